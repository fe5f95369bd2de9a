"""Discovery against the real Synapse, from a supporter's E2EE client: events near a commune and
near a shared location, the next page, and alerts near home delivered in an encrypted DM.

Each test works in an area no other test uses (around Rennes, around Limoges), so the events
other tests create do not show up in its pages.
"""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bridge.db.events import Event, EventRepository
from bridge.db.teams import Team
from bridge.domain.events import EventPlace, EventService
from bridge.domain.supporters import SupporterService
from bridge.domain.teams import TeamService, distance_km
from ralliement.devstack.stack import DevStack
from ralliement.geo.gazetteer import Place, gazetteer
from tests.integration.conftest import NewUser
from tests.integration.test_team_commands import ask
from tests.support.homeserver import eventually, open_team_service
from tests.support.matrix_user import MatrixUser, Received

PARIS = ZoneInfo("Europe/Paris")
_emails = itertools.count(1)


@dataclass
class Services:
    teams: TeamService
    events: EventService
    supporters: SupporterService


@pytest.fixture
async def services(stack: DevStack) -> AsyncIterator[Services]:
    teams = await open_team_service(stack)
    db = teams.repository.db
    yield Services(
        teams, EventService(EventRepository(db), teams.repository), SupporterService.on_database(db)
    )
    await db.stop()


def commune(name: str) -> Place:
    [place] = gazetteer().by_name(name)
    return place


async def seed(services: Services, team: Team, organiser: str, title: str, where: str,
               days: int) -> Event:  # fmt: skip
    """An action of ``team`` at the town hall of the commune ``where``, in ``days`` days."""
    place = commune(where)
    start = (datetime.now(PARIS) + timedelta(days=days)).replace(
        hour=10, minute=0, second=0, microsecond=0
    )
    located = EventPlace(
        f"Place de la mairie, {place.postcode} {place.commune}",
        place.commune,
        place.postcode,
        place.latitude,
        place.longitude,
        "commune",
    )
    return await services.events.create_event(team.id, organiser, title, start, located)


def listed(reply: Received) -> list[str]:
    """The titles of a page's numbered lines: "3. Tractage — …" → "Tractage"."""
    return [
        line.split(". ", 1)[1].split(" — ")[0]
        for line in (reply.body or "").splitlines()
        if line[:1].isdigit()
    ]


async def share_location(user: MatrixUser, room_id: str, place: Place) -> Received:
    """Share a location as Element does (``m.location``, with ``geo_uri`` and MSC3488)."""
    uri = f"geo:{place.latitude},{place.longitude};u=25"
    content = {
        "msgtype": "m.location",
        "body": f"Position partagée : {uri}",
        "geo_uri": uri,
        "org.matrix.msc3488.location": {"uri": uri, "description": "Ma position"},
        "org.matrix.msc3488.asset": {"type": "m.self"},
    }
    sent = await user.client.room_send(
        room_id, "m.room.message", content, ignore_unverified_devices=True
    )
    return await user.reply_to(sent.event_id, timeout=60)  # type: ignore[union-attr]


async def test_events_near_a_commune_and_a_shared_location_then_the_next_page(
    stack: DevStack, services: Services, new_user: NewUser
) -> None:
    agenda = stack.info.bots["agenda"]  # type: ignore[union-attr]
    organiser = await new_user()
    team = await services.teams.create_team_at("Insoumis de Rennes", "local", "35000",
                                               organiser.user_id)  # fmt: skip
    # Seven events within 20 km of Rennes (two at the town hall), two beyond.
    seeded = [
        await seed(services, team, organiser.user_id, title, where, days)
        for title, where, days in [
            ("Porte-à-porte Betton", "Betton", 3),
            ("Tractage Rennes samedi", "Rennes", 4),
            ("Marché de Chantepie", "Chantepie", 5),
            ("Réunion publique Rennes", "Rennes", 2),
            ("Collage Bruz", "Bruz", 6),
            ("Tractage Cesson-Sévigné", "Cesson-Sévigné", 3),
            ("Forum Saint-Jacques", "Saint-Jacques-de-la-Lande", 7),
            ("Meeting Vitré", "Vitré", 3),
            ("Fête Saint-Malo", "Saint-Malo", 3),
        ]
    ]
    rennes = commune("Rennes")

    def order(radius: float) -> list[str]:
        found = []
        for event in seeded:
            assert event.latitude is not None and event.longitude is not None
            distance = distance_km(rennes.latitude, rennes.longitude, event.latitude,
                                   event.longitude)  # fmt: skip
            if distance <= radius:
                found.append((distance, event.start_at, event.id, event.title))
        return [title for *_, title in sorted(found)]

    expected = order(20)
    assert expected[:2] == ["Réunion publique Rennes", "Tractage Rennes samedi"]
    assert len(expected) == 7

    supporter = await new_user()
    dm = await supporter.direct_chat(agenda)
    first = await ask(supporter, dm, "!autour Rennes")
    lines = (first.body or "").splitlines()
    assert lines[0] == "📍 Événements à venir à moins de 20 km de Rennes (35000) :"
    assert listed(first) == expected[:5]
    meeting = next(e for e in seeded if e.title == "Réunion publique Rennes")
    assert lines[1].endswith(f" — 0,0 km — Insoumis de Rennes — !jyvais {meeting.id}")
    assert lines[-1] == "Tapez !plus pour la suite."
    assert "<ol>" in first.source["content"]["formatted_body"]

    following = await ask(supporter, dm, "!plus")
    assert listed(following) == expected[5:]
    assert (following.body or "").splitlines()[1].startswith("6. ")
    assert (await ask(supporter, dm, "!plus")).body == (
        "Il n'y a pas d'autres résultats. Pour chercher plus loin : « !autour <lieu> 50 km »."
    )

    # A location shared from Element, at Rennes' town hall: the same events, same order.
    here = await share_location(supporter, dm, rennes)
    assert here.sender == agenda and here.decrypted
    assert (here.body or "").splitlines()[0] == (
        "📍 Événements à venir à moins de 20 km de votre position :"
    )
    assert listed(here) == expected[:5]
    assert listed(await ask(supporter, dm, "!plus")) == expected[5:]

    # Wider: Vitré (34 km) comes in; Saint-Malo (65 km) does not.
    wider = await ask(supporter, dm, "!autour Rennes 40 km")
    assert listed(wider) == order(40)[:5]
    assert "Meeting Vitré" in listed(await ask(supporter, dm, "!plus"))

    # Coming from the page, the supporter says they are going, in the same DM.
    going = await ask(supporter, dm, f"!jyvais {meeting.id}")
    assert (going.body or "").startswith("👍 C'est noté : vous venez à « Réunion publique Rennes »")

    # Bad input gets the expected form and an example.
    location = await share_location_without_coordinates(supporter, dm)
    assert (location.body or "").startswith(
        "📍 Ce partage de position ne contient pas de coordonnées"
    )
    ambiguous = await ask(supporter, dm, "!autour Saint-Denis")
    assert "• Saint-Denis (974 – La Réunion)" in (ambiguous.body or "").splitlines()
    radius = await ask(supporter, dm, "!autour Rennes 900 km")
    assert (radius.body or "").startswith("Le rayon doit être un nombre entier de kilomètres")
    teams_near = await ask(supporter, dm, "!equipes-autour 35000")
    assert (
        (teams_near.body or "")
        .splitlines()[1]
        .startswith("1. Insoumis de Rennes — Rennes — 0,0 km — 1 membre")
    )


async def share_location_without_coordinates(user: MatrixUser, room_id: str) -> Received:
    sent = await user.client.room_send(
        room_id,
        "m.room.message",
        {"msgtype": "m.location", "body": "Position partagée"},
        ignore_unverified_devices=True,
    )
    return await user.reply_to(sent.event_id, timeout=60)  # type: ignore[union-attr]


async def delivery_status(services: Services, event: Event, user: MatrixUser) -> str | None:
    status = await services.teams.repository.db.fetchval(
        "SELECT status FROM alert_delivery WHERE event_id = $1 AND user_id = $2",
        event.id,
        user.user_id,
    )
    return None if status is None else str(status)


async def test_an_alert_near_home_arrives_encrypted_and_not_one_far_away(
    stack: DevStack, services: Services, new_user: NewUser
) -> None:
    agenda = stack.info.bots["agenda"]  # type: ignore[union-attr]
    organiser, supporter = await new_user(), await new_user()
    team = await services.teams.create_team_at("Insoumis de Limoges", "local", "87000",
                                               organiser.user_id)  # fmt: skip
    email = f"alerte{next(_emails)}@example.org"
    await services.supporters.upsert(email, "Camille", "87000")
    await services.supporters.link(email, supporter.user_id, allow_unlisted=False)

    dm = await supporter.direct_chat(agenda)
    home = await ask(supporter, dm, "!chez-moi 87000")
    assert (home.body or "").startswith("🏠 C'est noté : chez vous, c'est Limoges (87000).")
    subscribed = await ask(supporter, dm, "!alerte 20")
    assert (subscribed.body or "").startswith(
        "🔔 C'est noté : je vous préviendrai en message privé des nouveaux événements à moins de "
        "20 km de chez vous (Limoges (87000)), 5 par jour au plus."
    )

    # 60 km away (Guéret), then 5.5 km away (Feytiat).
    far = await seed(services, team, organiser.user_id, "Meeting à Guéret", "Guéret", 4)
    near = await seed(services, team, organiser.user_id, "Tractage à Feytiat", "Feytiat", 4)
    alert = await supporter.wait_for(
        lambda m: m.sender == agenda and "Tractage à Feytiat" in (m.body or ""), timeout=60
    )
    assert alert.encrypted and alert.decrypted
    assert (
        await services.teams.repository.db.fetchval(
            "SELECT room_id FROM direct_room WHERE bot_user_id = $1 AND user_id = $2",
            agenda,
            supporter.user_id,
        )
        == dm
    )  # the DM the supporter opened
    lines = (alert.body or "").splitlines()
    assert lines[0] == "🔔 Nouvel événement près de chez vous (5,5 km) : Tractage à Feytiat"
    assert lines[-1] == f"Pour venir : !jyvais {near.id}. Pour arrêter ces alertes : !alerte off."
    content = alert.source["content"]
    assert content["org.matrix.msc3488.location"]["uri"] == content["geo_uri"]
    assert await eventually(
        lambda: delivery_status(services, near, supporter), lambda s: s == "sent"
    )
    assert await delivery_status(services, far, supporter) is None
    assert not [m for m in supporter.received if "Guéret" in (m.body or "")]

    # The supporter leaves the DM: the next alert comes in a new one. It is sent while they are
    # only invited (the bot shares the room key with invited members), and read once they join.
    await supporter.client.room_leave(dm)
    second = await seed(services, team, organiser.user_id, "Collage à Couzeix", "Couzeix", 5)
    await supporter.wait_until(lambda: bool(supporter.client.invited_rooms), timeout=60)
    [new_dm] = list(supporter.client.invited_rooms)
    assert new_dm != dm
    await eventually(lambda: delivery_status(services, second, supporter), lambda s: s == "sent")
    assert not [m for m in supporter.received if "Couzeix" in (m.body or "")]
    await supporter.client.join(new_dm)
    late = await supporter.wait_for(
        lambda m: m.sender == agenda and "Collage à Couzeix" in (m.body or ""), timeout=60
    )
    assert late.encrypted and late.decrypted
    room = supporter.client.rooms[new_dm]
    assert room.encrypted and set(room.users) == {agenda, supporter.user_id}

    stopped = await ask(supporter, new_dm, "!alerte off")
    assert stopped.body == "🔕 C'est fait : vous ne recevrez plus d'alertes."
