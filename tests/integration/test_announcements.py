"""Event announcements as a member's E2EE client receives them, and RSVPs by reaction."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bridge.db.events import EventRepository
from bridge.domain.events import EventChanges, EventPlace, EventService
from bridge.domain.teams import TeamService
from ralliement.devstack.stack import DevStack
from tests.integration.conftest import NewUser
from tests.integration.test_team_rooms import as_user, joined_member
from tests.support.homeserver import eventually, open_team_service
from tests.support.matrix_user import Received

PARIS = ZoneInfo("Europe/Paris")
MARKET = EventPlace(
    "Marché de la Croix-Rousse, 69004 Lyon", "Lyon 4e Arrondissement", "69004", 45.7771, 4.8315
)


@pytest.fixture
async def services(stack: DevStack) -> AsyncIterator[tuple[TeamService, EventService]]:
    teams = await open_team_service(stack)
    yield teams, EventService(EventRepository(teams.repository.db), teams.repository)
    await teams.repository.db.stop()


def replaces(message: Received, original: str) -> bool:
    relates = message.source.get("content", {}).get("m.relates_to") or {}
    return relates.get("rel_type") == "m.replace" and relates.get("event_id") == original


async def test_announcement_reaction_edit_and_cancellation(
    stack: DevStack, services: tuple[TeamService, EventService], new_user: NewUser
) -> None:
    teams, events = services
    agenda = stack.info.bots["agenda"]  # type: ignore[union-attr]
    alice, bob = await new_user(), await new_user()
    team = await teams.create_team_at("Équipe Croix-Rousse", "local", "69004", alice.user_id)
    room_id = await joined_member(teams, team, alice)
    await as_user(alice).invite(room_id, bob.user_id)
    await as_user(bob).join(room_id)
    await bob.wait_until(lambda: room_id in bob.client.rooms)

    start = (datetime.now(PARIS) + timedelta(days=5)).replace(
        hour=10, minute=0, second=0, microsecond=0
    )
    event = await events.create_event(team.id, alice.user_id, "Tractage au marché", start, MARKET)

    announcement = await bob.wait_for(
        lambda m: m.sender == agenda and m.body is not None and "Tractage au marché" in m.body,
        timeout=60,
    )
    assert announcement.decrypted  # encrypted for the room's members
    assert f"!jyvais {event.id}" in (announcement.body or "")
    assert "10h00 – 12h00" in (announcement.body or "")
    content = announcement.source["content"]
    assert content["geo_uri"] == "geo:45.777100,4.831500"
    assert content["org.matrix.msc3488.location"]["uri"] == content["geo_uri"]

    # ✅ on the announcement is an RSVP; removing the reaction takes it back.
    reaction = await bob.client.room_send(
        room_id,
        "m.reaction",
        {
            "m.relates_to": {
                "rel_type": "m.annotation",
                "event_id": announcement.event_id,
                "key": "✅",
            }
        },
        ignore_unverified_devices=True,
    )

    async def answers() -> dict[str, bool]:
        return {r.user_id: r.going for r in await events.events.rsvps(event.id)}

    await eventually(answers, lambda a: a.get(bob.user_id) is True)
    await bob.client.room_redact(room_id, reaction.event_id)  # type: ignore[union-attr]
    await eventually(answers, lambda a: a.get(bob.user_id) is False)

    # A new time replaces the announcement.
    await events.rsvp(event.id, bob.user_id, going=True)
    await events.edit_event(event.id, alice.user_id, EventChanges(start=start + timedelta(hours=4)))
    edit = await bob.wait_for(lambda m: replaces(m, announcement.event_id), timeout=60)
    assert "14h00 – 16h00" in edit.source["content"]["m.new_content"]["body"]

    # Cancelling replaces it again and tells bob, who was going, in a reply that mentions him.
    await events.cancel_event(event.id, alice.user_id)
    notice = await bob.wait_for(
        lambda m: m.sender == agenda and m.in_reply_to == announcement.event_id, timeout=60
    )
    assert "annulé" in (notice.body or "")
    assert notice.source["content"]["m.mentions"] == {"user_ids": [bob.user_id]}
    cancelled = await bob.wait_for(
        lambda m: (
            replaces(m, announcement.event_id)
            and "ANNULÉ" in m.source["content"]["m.new_content"]["body"]
        )
    )
    assert "!jyvais" not in cancelled.source["content"]["m.new_content"]["body"]


async def test_two_reactions_for_the_last_seat(
    stack: DevStack, services: tuple[TeamService, EventService], new_user: NewUser
) -> None:
    teams, events = services
    agenda = stack.info.bots["agenda"]  # type: ignore[union-attr]
    alice, bob, carol = await new_user(), await new_user(), await new_user()
    team = await teams.create_team_at("Équipe Pentes", "local", "69001", alice.user_id)
    room_id = await joined_member(teams, team, alice)
    for user in (bob, carol):
        await as_user(alice).invite(room_id, user.user_id)
        await as_user(user).join(room_id)
        await user.wait_until(lambda u=user: room_id in u.client.rooms)
    start = (datetime.now(PARIS) + timedelta(days=3)).replace(
        hour=19, minute=0, second=0, microsecond=0
    )
    event = await events.create_event(
        team.id, alice.user_id, "Réunion à une place", start, MARKET, capacity=1
    )
    announcements = [
        await user.wait_for(
            lambda m: m.sender == agenda and "Réunion à une place" in (m.body or ""), timeout=60
        )
        for user in (bob, carol)
    ]
    assert announcements[0].event_id == announcements[1].event_id
    target = announcements[0].event_id
    await asyncio.gather(
        *(
            user.client.room_send(
                room_id,
                "m.reaction",
                {"m.relates_to": {"rel_type": "m.annotation", "event_id": target, "key": "✅"}},
                ignore_unverified_devices=True,
            )
            for user in (bob, carol)
        )
    )

    async def going() -> list[str]:
        return [r.user_id for r in await events.events.rsvps(event.id) if r.going]

    (winner,) = await eventually(going, lambda g: len(g) == 1)
    loser = carol if winner == bob.user_id else bob
    refusal = await loser.wait_for(
        lambda m: (
            m.sender == agenda and loser.user_id in (m.body or "") and m.in_reply_to == target
        ),
        timeout=60,
    )
    assert "complet" in (refusal.body or "").lower()
    assert await going() == [winner]
