"""The moderation's rooms and actions against the real stack: the admin room and the ban list the
appservice made, ``ralliement admin moderation`` run as an admin runs it, and bans, unbans and
kicks written as rows and carried out by the appservice, as members see them."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import pytest

from bridge.db.moderation_actions import ActionKind, ActionQueue, ActionRequest
from bridge.domain.teams import TeamService
from ralliement.devstack.stack import DevStack
from tests.integration.conftest import NewUser
from tests.integration.test_admin_doors import admin
from tests.integration.test_team_rooms import as_user, joined_member
from tests.support.homeserver import appservice_api, eventually, open_team_service, stack_config
from tests.support.moderation import admin_room_id, make_moderator, policy_list_id


@pytest.fixture
async def service(stack: DevStack) -> AsyncIterator[TeamService]:
    service = await open_team_service(stack)
    yield service
    await service.repository.db.stop()


async def test_the_admin_room_is_encrypted_and_the_ban_list_readable_by_other_tools(
    stack: DevStack,
) -> None:
    config = stack_config(stack)
    bot = config.bot_user_id("moderation")
    api = appservice_api(stack)

    admin_room = await admin_room_id(stack)
    state = await api.state(admin_room)
    assert state[("m.room.create", "")]["room_version"] == "12"
    assert state[("m.room.encryption", "")]["algorithm"] == "m.megolm.v1.aes-sha2"
    assert state[("m.room.name", "")] == {"name": "Modération — Ralliement (dev)"}
    assert state[("m.room.join_rules", "")] == {"join_rule": "invite"}
    assert state[("m.room.member", bot)]["membership"] == "join"
    assert state[("m.room.power_levels", "")]["users"][bot] == 100
    status, body = await api.request("GET", "/directory/room/%23ralliement_moderation:localhost")
    assert (status, body["room_id"]) == (200, admin_room)

    ban_list = await policy_list_id(stack)
    state = await api.state(ban_list)
    assert ("m.room.encryption", "") not in state
    assert state[("m.room.history_visibility", "")] == {"history_visibility": "world_readable"}
    assert state[("m.room.name", "")] == {"name": "Liste de bannissement — Ralliement (dev)"}
    assert state[("m.room.member", bot)]["membership"] == "join"
    assert state[("m.room.power_levels", "")]["users"][bot] == 100
    status, body = await api.request(
        "GET", "/directory/room/%23ralliement_liste_de_bannissement:localhost"
    )
    assert (status, body["room_id"]) == (200, ban_list)


async def test_admins_add_show_and_remove_moderators_from_the_command_line(
    stack: DevStack, new_user: NewUser
) -> None:
    alice = await new_user()
    code, _, err = await admin(stack, "moderation", "add-moderator", "@eve:example.org")
    assert code == 1 and "@eve:example.org is not a user of this homeserver (localhost)" in err
    code, _, err = await admin(stack, "moderation", "add-moderator", "@nobody_here:localhost")
    assert code == 1 and "@nobody_here:localhost does not exist on localhost (yet)" in err

    code, out, err = await admin(stack, "moderation", "add-moderator", alice.user_id, "--json")
    assert code == 0, err
    added = json.loads(out)
    admin_room = await admin_room_id(stack)
    assert added["level"] == 50 and admin_room in added["rooms"]
    await alice.wait_until(lambda: admin_room in alice.client.invited_rooms)
    await as_user(alice).join(admin_room)
    levels = (await as_user(alice).state(admin_room))[("m.room.power_levels", "")]["users"]
    assert levels[alice.user_id] == 50

    code, out, err = await admin(stack, "moderation", "add-moderator", alice.user_id, "--admin")
    assert code == 0, err
    code, out, err = await admin(stack, "moderation", "show", "--json")
    assert code == 0, err
    shown = json.loads(out)
    assert shown["admin_room"]["room_id"] == admin_room
    assert shown["policy_list"]["room_id"] == await policy_list_id(stack)
    assert shown["moderators"][alice.user_id] == 100
    code, out, err = await admin(stack, "moderation", "show")
    assert f"{alice.user_id} (power 100)" in out

    code, out, err = await admin(stack, "moderation", "remove-moderator", alice.user_id)
    assert code == 0, err
    state = await appservice_api(stack).state(admin_room)
    assert state[("m.room.member", alice.user_id)]["membership"] == "leave"
    assert alice.user_id not in state[("m.room.power_levels", "")]["users"]


async def test_a_test_user_made_moderator_is_in_the_admin_room_with_power_50(
    stack: DevStack, new_user: NewUser
) -> None:
    bob = await new_user()
    admin_room = await make_moderator(stack, bob)
    state = await as_user(bob).state(admin_room)
    assert state[("m.room.member", bob.user_id)]["membership"] == "join"
    assert state[("m.room.power_levels", "")]["users"][bob.user_id] == 50
    ban_list = await policy_list_id(stack)
    state = await as_user(bob).state(ban_list)
    assert state[("m.room.member", bob.user_id)]["membership"] == "join"


async def test_actions_written_as_rows_are_carried_out_in_the_team_room(
    stack: DevStack, service: TeamService, new_user: NewUser
) -> None:
    alice, bob, carol = await new_user(), await new_user(), await new_user()
    team = await service.create_team_at("Équipe des actions", "local", "69007", alice.user_id)
    room_id = await joined_member(service, team, alice)
    await as_user(alice).invite(room_id, bob.user_id)
    await as_user(bob).join(room_id)
    queue = ActionQueue(service.repository.db)
    api = appservice_api(stack)

    async def membership(user_id: str) -> str | None:
        state = await api.state(room_id)
        return (state.get(("m.room.member", user_id)) or {}).get("membership")

    await queue.enqueue(
        [
            ActionRequest(room_id, bob.user_id, ActionKind.KICK, reason="test", cause="test"),
            # Carol never came: banned beforehand, then the kick finds her gone (nothing to do).
            ActionRequest(room_id, carol.user_id, ActionKind.BAN, reason="spam", cause="test"),
            ActionRequest(room_id, carol.user_id, ActionKind.KICK, cause="test"),
        ]
    )
    await eventually(lambda: membership(bob.user_id), lambda m: m == "leave")
    await eventually(lambda: membership(carol.user_id), lambda m: m == "ban")
    status, body = await as_user(carol).request("POST", f"/join/{room_id}", {})
    assert status == 403, body

    await queue.enqueue([ActionRequest(room_id, carol.user_id, ActionKind.UNBAN, cause="test")])
    await eventually(lambda: membership(carol.user_id), lambda m: m == "leave")
    # Unbanning her again: already done, not an error.
    await queue.enqueue([ActionRequest(room_id, carol.user_id, ActionKind.UNBAN, cause="test")])

    # Each done (the second unban and the kick of someone gone: nothing to do), none failed.
    await eventually(
        lambda: queue.of_user(carol.user_id),
        lambda actions: len(actions) == 4 and all(a.done_at for a in actions),
    )

    # A room the appservice is not in: refused for good, not retried forever.
    outside = await alice.client.room_create(name="Pas à nous")
    await queue.enqueue([ActionRequest(outside.room_id, bob.user_id, ActionKind.BAN, cause="test")])
    (failed,) = await eventually(
        lambda: queue.of_user(bob.user_id, limit=1), lambda a: a[0].failed_at is not None
    )
    assert failed.attempts == 1 and "M_FORBIDDEN" in (failed.last_error or "")


async def test_after_a_crash_the_rooms_are_found_again_and_pending_actions_carried_out(
    stack: DevStack, service: TeamService, new_user: NewUser
) -> None:
    alice, dave = await new_user(), await new_user()
    team = await service.create_team_at("Équipe après la panne", "local", "69002", alice.user_id)
    room_id = await joined_member(service, team, alice)
    admin_room, ban_list = await admin_room_id(stack), await policy_list_id(stack)
    db = service.repository.db
    bridge = stack.component("bridge")
    await bridge.stop(kill=True)
    try:
        # Written while the appservice is down (as the bots would), and the rooms' ids lost as
        # if the crash came between creating them and recording them.
        await ActionQueue(db).enqueue(
            [ActionRequest(room_id, dave.user_id, ActionKind.BAN, reason="panne", cause="test")]
        )
        await db.execute("DELETE FROM moderation_room WHERE purpose IN ('admin', 'policy')")
    finally:
        await bridge.start()
    assert (await admin_room_id(stack), await policy_list_id(stack)) == (admin_room, ban_list)
    api = appservice_api(stack)
    banned = await eventually(
        lambda: api.state(room_id),
        lambda state: (state.get(("m.room.member", dave.user_id)) or {}).get("membership") == "ban",
    )
    assert banned[("m.room.member", dave.user_id)]["reason"] == "panne"
