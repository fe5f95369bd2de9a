"""Events run from a team room with the agenda bot: real Synapse, real appservice, E2EE clients.

The organiser creates the team in a DM with the welcome bot, then creates an action in its room;
the appservice publishes it as room state; a member answers that they are coming, and is refused
when trying to organise.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bridge.domain.roles import Role
from bridge.domain.teams import TeamService
from ralliement.devstack.stack import DevStack, StackInfo
from ralliement.geo.gazetteer import gazetteer
from ralliement.when import parse_when
from tests.integration.conftest import NewUser
from tests.integration.test_team_commands import ask, join_when_invited, named_user
from tests.integration.test_team_rooms import as_user
from tests.support.homeserver import eventually, open_team_service

EVENT_STATE = "org.ralliement.event"
PARIS = ZoneInfo("Europe/Paris")
MARKET = "Marché de la Croix-Rousse, 69004 Lyon"


@pytest.fixture
async def service(stack: DevStack) -> AsyncIterator[TeamService]:
    service = await open_team_service(stack)
    yield service
    await service.repository.db.stop()


async def test_an_action_created_in_the_room_published_and_joined(
    stack_info: StackInfo, service: TeamService, new_user: NewUser
) -> None:
    alice = await named_user(new_user, "Alice Durand")
    bob = await named_user(new_user, "Bob Martin")
    welcome, agenda = stack_info.bots["welcome"], stack_info.bots["agenda"]

    # Alice creates the team with the welcome bot, then joins its room.
    dm = await alice.direct_chat(welcome)
    created = await ask(alice, dm, "!creer-equipe Insoumis de la Croix-Rousse 69004")
    assert (created.body or "").startswith("✅ Équipe « Insoumis de la Croix-Rousse » créée")
    [team] = [t for t in await service.list_teams() if t.name == "Insoumis de la Croix-Rousse"]
    team = await eventually(lambda: service.get_team(team.id), lambda t: t.room_id is not None)
    room = team.room_id
    assert room is not None
    await join_when_invited(alice, room)

    # Bob joins as a plain member.
    await alice.client.room_invite(room, bob.user_id)
    await join_when_invited(bob, room)
    await eventually(
        lambda: service.repository.role_of(team.id, bob.user_id), lambda r: r is Role.MEMBER
    )

    # The referent creates an action; the reply gives its id.
    expected = parse_when("samedi 10h", datetime.now(PARIS), PARIS).start
    reply = await ask(alice, room, f"!action Tractage au marché | samedi 10h | {MARKET}")
    assert reply.sender == agenda
    found = re.fullmatch(
        r"✅ Action « Tractage au marché » créée — identifiant ([a-z0-9]{6})\.",
        (reply.body or "").splitlines()[0],
    )
    assert found is not None, reply.body
    event_id = found[1]
    assert f"📍 {MARKET}" in (reply.body or "").splitlines()

    # The appservice publishes it as room state, in UTC with its time zone.
    state = await eventually(
        lambda: as_user(bob).state(room), lambda s: (EVENT_STATE, event_id) in s
    )
    published = state[(EVENT_STATE, event_id)]
    assert published["title"] == "Tractage au marché"
    assert published["start"] == {
        "utc": expected.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "localtime": expected.strftime("%Y-%m-%dT10:00:00"),
        "timezone": "Europe/Paris",
    }
    assert published["status"] == "confirmed" and published["kind"] == "action"
    [arrondissement] = gazetteer().by_postcode("69004")
    assert published["location"] == {
        "name": MARKET,
        "uri": f"geo:{arrondissement.latitude:.6f},{arrondissement.longitude:.6f}",
    }

    # A member says they are coming.
    going = await ask(bob, room, f"!jyvais {event_id}")
    assert (going.body or "").startswith("👍 C'est noté : vous venez à « Tractage au marché » ("), (
        going.body
    )

    # A plain member cannot organise, and is told so politely.
    refused = await ask(bob, room, "!action Collage | demain 21h | Croix-Rousse")
    assert refused.body == (
        "Seuls les gestionnaires et les référents de l'équipe peuvent organiser ses "
        "événements. Demandez à l'un d'eux, ou tapez !membres pour les voir."
    )

    # The agenda lists the action, with Bob going, and the calendar links.
    listing = await ask(bob, room, "!agenda")
    lines = (listing.body or "").splitlines()
    assert lines[0] == "Agenda de l'équipe « Insoumis de la Croix-Rousse » :"
    assert lines[1].startswith(f"• {event_id} — Tractage au marché — ")
    assert lines[1].endswith(f" à 10h00 — {MARKET} — 1 inscrit")
    assert lines[2].startswith("📅 L'agenda dans votre calendrier (abonnement) : http")
    assert lines[2].endswith(f"/_ralliement/calendar/teams/{team.id}.ics")
