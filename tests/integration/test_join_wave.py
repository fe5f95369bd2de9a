"""A scripted join wave against the real stack: 30 accounts in the campaign's spaces join a team
room within a minute (the session's threshold: more than 20 joins in 60 s); the room's join rule
switches to invite (as a member's client reads it), the admin room gets the alert listing the
joiners, and ``!depuis <window> kick <team>`` from a moderator removes exactly the accounts that
joined, while the members from before stay."""

from __future__ import annotations

import asyncio
import math
import secrets
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from urllib.parse import quote

import pytest

from bridge.db.room_guard import RoomGuard
from bridge.db.spaces import ROOT, SpaceRepository
from bridge.domain.moderation.protections import Protection
from bridge.domain.teams import TeamService
from ralliement.devstack.accounts import register_user
from ralliement.devstack.stack import DevStack, StackInfo
from tests.integration.conftest import PASSWORD, NewUser
from tests.integration.test_moderation_admin import command, membership
from tests.integration.test_team_rooms import as_user, joined_member
from tests.support.homeserver import ClientAPI, appservice_api, eventually, open_team_service
from tests.support.moderation import make_moderator

RAIDERS = 30


@pytest.fixture
async def service(stack: DevStack) -> AsyncIterator[TeamService]:
    service = await open_team_service(stack)
    yield service
    await service.repository.db.stop()


@dataclass(frozen=True)
class Raider:
    user_id: str
    api: ClientAPI


async def raiders(stack_info: StackInfo, shared_secret: str, count: int) -> list[Raider]:
    """``count`` fresh accounts (registered with the shared secret), as API clients."""
    tag = secrets.token_hex(3)

    async def register(n: int) -> Raider:
        account = await register_user(
            stack_info.homeserver, shared_secret, f"raid{tag}_{n:02d}", PASSWORD
        )
        return Raider(account.user_id, ClientAPI(stack_info.homeserver, account.access_token))

    return list(await asyncio.gather(*(register(n) for n in range(count))))


async def test_a_join_wave_locks_the_room_alerts_and_since_kicks_exactly_the_joiners(
    stack: DevStack,
    stack_info: StackInfo,
    shared_secret: str,
    service: TeamService,
    new_user: NewUser,
) -> None:
    moderator, alice, bob = await new_user(), await new_user(), await new_user()
    admin_room = await make_moderator(stack, moderator)
    team = await service.create_team_at("Talence accueille", "local", "33400", alice.user_id)
    room_id = await joined_member(service, team, alice)
    await as_user(alice).invite(room_id, bob.user_id)
    await as_user(bob).join(room_id)
    db = service.repository.db
    spaces = SpaceRepository(db)
    root, departement = await spaces.get(ROOT), await spaces.get("33")
    assert root is not None and departement is not None
    guard = RoomGuard(db)
    # The raiders get into the campaign's spaces first: only the team room's wave is tested.
    for space in (root, departement):
        await guard.switch(space, Protection.JOIN_WAVE.value, enabled=False, set_by="test")
    try:
        accounts = await raiders(stack_info, shared_secret, RAIDERS)
        api = appservice_api(stack)
        for raider in accounts:
            await api.invite(root, raider.user_id)
        await asyncio.gather(*(raider.api.join(root) for raider in accounts))
        await asyncio.gather(*(raider.api.join(departement) for raider in accounts))
        alice_view = as_user(alice)
        assert (await alice_view.state(room_id))[("m.room.join_rules", "")]["join_rule"] == (
            "restricted"
        )

        # The wave: everyone at once; those who come after the lockdown are turned away.
        await asyncio.sleep(2)  # alice and bob joined before the window !depuis will use
        wave_start = time.time()
        statuses = await asyncio.gather(
            *(raider.api.request("POST", f"/join/{quote(room_id)}", {}) for raider in accounts)
        )
        joined = [
            raider.user_id
            for raider, (status, _) in zip(accounts, statuses, strict=True)
            if status == 200
        ]
        refused = [status for status, _ in statuses if status != 200]
        assert len(joined) > 20 and all(status == 403 for status in refused)

        # The room is locked down: its join rule is "invite" for the members' clients.
        await eventually(
            lambda: alice_view.state(room_id),
            lambda s: s[("m.room.join_rules", "")]["join_rule"] == "invite",
        )
        # The admin room is alerted, with the joiners as pills and the hint.
        alert = await moderator.wait_for(
            lambda m: "🚨 Vague d'arrivées dans Talence accueille" in (m.body or ""), timeout=60
        )
        assert alert.decrypted
        content = alert.source["content"]
        listed = {
            line.removeprefix("• ") for line in (alert.body or "").splitlines() if line[:2] == "• "
        }
        # The joins the detection saw within its minute: more than 20, all the wave's but for
        # the room's earlier members and bots.
        assert len(listed) > 20
        assert listed - {alice.user_id, bob.user_id, *stack_info.bots.values()} <= set(joined)
        assert len(listed & set(joined)) >= 18
        sample = sorted(listed & set(joined))[0]
        assert f'href="https://matrix.to/#/{sample}"' in content["formatted_body"]
        assert "!depuis 10m kick|ban|mute" in (alert.body or "")

        # !depuis over the wave's window, in that room: exactly the accounts that joined.
        window = math.ceil(time.time() - wave_start) + 1
        _, reply = await command(moderator, admin_room, f"!depuis {window}s kick {team.id}")
        lines = (reply.body or "").splitlines()
        assert lines[0].startswith(f"👢 {len(joined)} comptes arrivés dans Talence accueille")
        assert sorted(line.removeprefix("• ") for line in lines[1:]) == sorted(joined)
        for user_id in joined:
            await eventually(lambda u=user_id: membership(api, room_id, u), lambda m: m == "leave")
        assert await membership(api, room_id, alice.user_id) == "join"
        assert await membership(api, room_id, bob.user_id) == "join"
    finally:
        for space in (root, departement):
            await guard.clear_switch(space, Protection.JOIN_WAVE.value)
