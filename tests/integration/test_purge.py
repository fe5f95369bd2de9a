"""!purge against the real stack: a member who posted (encrypted messages and a reaction) in two
team rooms is banned, then ``!purge @user 24h`` from a moderator redacts what they said in both
rooms, as another member's client sees it, while the others' messages stay."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import quote

import pytest

from bridge.domain.teams import TeamService
from ralliement.devstack.stack import DevStack
from tests.integration.conftest import NewUser
from tests.integration.test_moderation_admin import command, follow_up, membership
from tests.integration.test_team_rooms import as_user, joined_member
from tests.support.homeserver import appservice_api, eventually, open_team_service
from tests.support.matrix_user import MatrixUser
from tests.support.moderation import make_moderator


@pytest.fixture
async def service(stack: DevStack) -> AsyncIterator[TeamService]:
    service = await open_team_service(stack)
    yield service
    await service.repository.db.stop()


async def seen_by(user: MatrixUser, room_id: str, event_id: str) -> dict[str, Any]:
    """The event as ``user``'s client fetches it (a redacted one has lost its content)."""
    status, event = await as_user(user).request(
        "GET", f"/rooms/{quote(room_id)}/event/{quote(event_id)}"
    )
    assert status == 200, event
    return dict(event)


def redacted(event: dict[str, Any]) -> bool:
    return not event.get("content") and "redacted_because" in (event.get("unsigned") or {})


async def test_purge_redacts_a_banned_members_messages_in_every_room(
    stack: DevStack, service: TeamService, new_user: NewUser
) -> None:
    moderator, alice, troll = await new_user(), await new_user(), await new_user()
    admin_room = await make_moderator(stack, moderator)
    pessac = await service.create_team_at("Pessac ensemble", "local", "33600", alice.user_id)
    begles = await service.create_team_at("Bègles ensemble", "local", "33130", alice.user_id)
    rooms = [await joined_member(service, team, alice) for team in (pessac, begles)]
    for room_id in rooms:
        await as_user(alice).invite(room_id, troll.user_id)
        await as_user(troll).join(room_id)
        await troll.wait_until(lambda r=room_id: r in troll.client.rooms)
        await alice.wait_until(lambda r=room_id: troll.user_id in alice.client.rooms[r].users)

    kept = [await alice.send_text(room_id, "Réunion jeudi à 19h") for room_id in rooms]
    purged = [
        await troll.send_text(rooms[0], "premier message désagréable"),
        await troll.send_text(rooms[0], "deuxième"),
        await troll.send_text(rooms[1], "et ici aussi"),
    ]
    reaction = await troll.client.room_send(
        rooms[1],
        "m.reaction",
        {"m.relates_to": {"rel_type": "m.annotation", "event_id": kept[1], "key": "👎"}},
        ignore_unverified_devices=True,
    )
    purged.append(reaction.event_id)  # type: ignore[union-attr]

    event_id, _ = await command(moderator, admin_room, f"!ban {troll.user_id} messages haineux")
    await follow_up(moderator, event_id, "✅")
    api = appservice_api(stack)
    assert [await membership(api, room_id, troll.user_id) for room_id in rooms] == ["ban", "ban"]

    _, reply = await command(moderator, admin_room, f"!purge {troll.user_id} 24h")
    lines = (reply.body or "").splitlines()
    assert lines[0] == f"🧹 4 messages de {troll.user_id} (depuis 1 j) vont être effacés :"
    assert sorted(lines[1:]) == sorted(
        [f"• Pessac ensemble ({pessac.id}) : 2", f"• Bègles ensemble ({begles.id}) : 2"]
    )

    # Alice's client: the troll's events redacted in both rooms; hers untouched.
    for index, event in enumerate(purged):
        room_id = rooms[0] if index < 2 else rooms[1]
        await eventually(lambda r=room_id, e=event: seen_by(alice, r, e), redacted, timeout=60)
    for room_id, event in zip(rooms, kept, strict=True):
        seen = await seen_by(alice, room_id, event)
        assert seen["type"] == "m.room.encrypted" and seen["content"]["ciphertext"]

    # Nothing left to purge.
    _, reply = await command(moderator, admin_room, f"!purge {troll.user_id} 24h")
    assert reply.body == (
        f"🧹 Aucun message de {troll.user_id} depuis 1 j dans les salons de la campagne."
    )
