"""Lockdowns and mutes against the real stack, as members see them: a lockdown written in the
database (as ``!verrouiller`` writes it) turns the team room invite-only and the homeserver
refuses a space member's join; unlocking opens it again; a muted member's messages are refused
by the homeserver until unmuted."""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import quote

import pytest

from bridge.db.room_guard import RoomGuard
from bridge.db.room_sync import request_room_sync
from bridge.db.spaces import ROOT, SpaceRepository
from bridge.domain.teams import TeamService
from ralliement.devstack.stack import DevStack
from tests.integration.conftest import NewUser
from tests.integration.test_team_rooms import as_user, joined_member
from tests.support.homeserver import ClientAPI, appservice_api, eventually, open_team_service
from tests.support.matrix_user import MatrixUser

_transactions = itertools.count()


@pytest.fixture
async def service(stack: DevStack) -> AsyncIterator[TeamService]:
    service = await open_team_service(stack)
    yield service
    await service.repository.db.stop()


async def join_rule(api: ClientAPI, room_id: str) -> dict[str, Any]:
    return (await api.state(room_id))[("m.room.join_rules", "")]


async def say(user: MatrixUser, room_id: str, body: str) -> int:
    """Send a plain message as ``user``'s client does; the homeserver's status code."""
    status, _ = await as_user(user).request(
        "PUT",
        f"/rooms/{quote(room_id)}/send/m.room.message/t{next(_transactions)}",
        {"msgtype": "m.text", "body": body},
    )
    return status


async def test_a_locked_team_room_is_invite_only_until_unlocked(
    stack: DevStack, service: TeamService, new_user: NewUser
) -> None:
    alice, walker = await new_user(), await new_user()
    team = await service.create_team_at("Équipe sous cloche", "local", "69008", alice.user_id)
    room_id = await joined_member(service, team, alice)
    db = service.repository.db
    # Walker is in the campaign's spaces, so the team room is open to him.
    spaces = SpaceRepository(db)
    root, departement = await spaces.get(ROOT), await spaces.get("69")
    assert root is not None and departement is not None
    await appservice_api(stack).invite(root, walker.user_id)
    await as_user(walker).join(root)
    await as_user(walker).join(departement)
    alice_view = as_user(alice)
    assert (await join_rule(alice_view, room_id))["join_rule"] == "restricted"

    async with db.acquire() as conn, conn.transaction():
        assert await RoomGuard.lock(conn, room_id, reason="test", locked_by=alice.user_id)
        await request_room_sync(conn, team.id)
    await eventually(lambda: join_rule(alice_view, room_id), lambda r: r == {"join_rule": "invite"})
    status, body = await as_user(walker).request("POST", f"/join/{quote(room_id)}", {})
    assert status == 403, body

    async with db.acquire() as conn, conn.transaction():
        assert await RoomGuard.unlock(conn, room_id)
        await request_room_sync(conn, team.id)
    opened = await eventually(
        lambda: join_rule(alice_view, room_id), lambda r: r["join_rule"] == "restricted"
    )
    assert opened["allow"] == [{"type": "m.room_membership", "room_id": departement}]
    await as_user(walker).join(room_id)


async def test_a_muted_member_cannot_speak_until_unmuted(
    service: TeamService, new_user: NewUser
) -> None:
    alice, bob = await new_user(), await new_user()
    team = await service.create_team_at("Équipe bavarde", "local", "69009", alice.user_id)
    room_id = await joined_member(service, team, alice)
    await alice_invites(alice, bob, room_id)
    assert await say(bob, room_id, "bonjour") == 200
    db = service.repository.db

    async def bobs_level() -> int:
        levels = (await as_user(alice).state(room_id))[("m.room.power_levels", "")]
        return int(levels["users"].get(bob.user_id, 0))

    async with db.acquire() as conn, conn.transaction():
        await RoomGuard.mute(conn, room_id, bob.user_id, muted_by=alice.user_id, until=None)
        await request_room_sync(conn, team.id)
    await eventually(bobs_level, lambda level: level == -1)
    assert await say(bob, room_id, "encore moi") == 403
    assert await say(alice, room_id, "chut") == 200

    async with db.acquire() as conn, conn.transaction():
        assert await RoomGuard.unmute(conn, room_id, bob.user_id)
        await request_room_sync(conn, team.id)
    await eventually(bobs_level, lambda level: level == 0)
    assert await say(bob, room_id, "merci") == 200


async def alice_invites(alice: MatrixUser, user: MatrixUser, room_id: str) -> None:
    await as_user(alice).invite(room_id, user.user_id)
    await as_user(user).join(room_id)
