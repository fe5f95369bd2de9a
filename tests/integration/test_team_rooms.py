"""Teams as rooms against the real Synapse: what a supporter's client reads back."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import AsyncIterator
from typing import Any

import pytest

from bridge.db.teams import Team
from bridge.domain.roles import Role, RoleRefused
from bridge.domain.teams import TeamService
from ralliement.devstack.stack import DevStack
from tests.integration.conftest import NewUser
from tests.support.homeserver import (
    ClientAPI,
    appservice_api,
    eventually,
    open_team_service,
    stack_config,
)
from tests.support.matrix_user import MatrixUser

TEAM_STATE = "org.ralliement.team"


@pytest.fixture
async def service(stack: DevStack) -> AsyncIterator[TeamService]:
    service = await open_team_service(stack)
    yield service
    await service.repository.db.stop()


def as_user(user: MatrixUser) -> ClientAPI:
    return ClientAPI(user.client.homeserver, user.client.access_token)


async def room_of(service: TeamService, team: Team) -> str:
    """The team's room id, once the appservice has created it."""
    created = await eventually(lambda: service.get_team(team.id), lambda t: t.room_id is not None)
    assert created.room_id is not None
    return created.room_id


async def joined_member(service: TeamService, team: Team, user: MatrixUser) -> str:
    """Wait for ``user``'s invite to the team room, join it, return the room id."""
    room_id = await room_of(service, team)
    client = as_user(user)
    await eventually(lambda: client.request("POST", f"/join/{room_id}", {}), lambda r: r[0] == 200)
    return room_id


async def role_in_db(service: TeamService, team: Team, user_id: str) -> Role | None:
    return await service.repository.role_of(team.id, user_id)


async def test_team_room_has_its_state_encryption_levels_join_rule_and_space_links(
    stack: DevStack, service: TeamService, new_user: NewUser
) -> None:
    alice = await new_user()
    team = await service.create_team_at(
        "Insoumis de Lyon 3e", "local", "69003", alice.user_id, avatar_url="mxc://localhost/AbC_12"
    )
    room_id = await joined_member(service, team, alice)

    state = await as_user(alice).state(room_id)
    config = stack_config(stack)
    agenda = config.bot_user_id("agenda")
    create = state[("m.room.create", "")]
    assert create["room_version"] == "12"
    assert state[("m.room.member", config.appservice_bot_user_id)]["membership"] == "join"
    assert state[("m.room.encryption", "")]["algorithm"] == "m.megolm.v1.aes-sha2"
    assert state[("m.room.name", "")] == {"name": "Insoumis de Lyon 3e"}
    assert "Lyon 3e Arrondissement (69003)" in state[("m.room.topic", "")]["topic"]
    assert state[("m.room.avatar", "")] == {"url": "mxc://localhost/AbC_12"}
    team_state = state[(TEAM_STATE, "")]
    assert team_state["id"] == team.id
    assert team_state["kind"] == "local"
    assert team_state["departement"] == "69"
    assert team_state["location"]["uri"].startswith("geo:45.7")
    levels = state[("m.room.power_levels", "")]
    moderation = config.bot_user_id("moderation")
    assert levels["users"] == {alice.user_id: 100, agenda: 50, moderation: 50}
    assert levels["events"][TEAM_STATE] > 100  # only the appservice (the creator) publishes it
    assert state[("m.room.member", agenda)]["membership"] == "join"
    assert state[("m.room.member", moderation)]["membership"] == "join"

    rules = state[("m.room.join_rules", "")]
    assert rules["join_rule"] == "restricted"
    (space_id,) = [key for (kind, key) in state if kind == "m.space.parent"]
    assert rules["allow"] == [{"type": "m.room_membership", "room_id": space_id}]

    appservice = appservice_api(stack)
    space = await appservice.state(space_id)
    assert space[("m.room.create", "")]["type"] == "m.space"
    assert space[("m.room.name", "")]["name"] == "69 – Rhône"
    assert space[("m.space.child", room_id)] == {"via": ["localhost"]}
    (root_id,) = [key for (kind, key) in space if kind == "m.space.parent"]
    root = await appservice.state(root_id)
    assert root[("m.space.child", space_id)] == {"via": ["localhost"]}
    assert root[("m.room.name", "")]["name"] == "Ralliement (dev)"


async def test_roles_follow_commands_and_element_edits_within_the_rules(
    service: TeamService, new_user: NewUser
) -> None:
    alice, bob, carol = await new_user(), await new_user(), await new_user()
    team = await service.create_team_at("Équipe de Villeurbanne", "local", "69100", alice.user_id)
    room_id = await joined_member(service, team, alice)
    alice_api = as_user(alice)
    for user in (bob, carol):
        await alice_api.invite(room_id, user.user_id)
        await as_user(user).join(room_id)
        await eventually(
            lambda u=user: role_in_db(service, team, u.user_id), lambda r: r is Role.MEMBER
        )

    async def levels() -> dict[str, Any]:
        return (await alice_api.state(room_id))[("m.room.power_levels", "")]["users"]

    # Database → room: a role change through the domain (as `!role` does) sets the power level.
    await service.change_role(team.id, alice.user_id, bob.user_id, Role.MANAGER)
    await eventually(levels, lambda users: users.get(bob.user_id) == 50)

    # Room → database: the referent makes bob referent in Element; the rules allow it.
    current = (await alice_api.state(room_id))[("m.room.power_levels", "")]
    current["users"][bob.user_id] = 100
    status, body = await alice_api.put_state(room_id, "m.room.power_levels", current)
    assert status == 200, body
    await eventually(lambda: role_in_db(service, team, bob.user_id), lambda r: r is Role.REFERENT)

    # A third referent is against the rules: the database refuses and the room is put back.
    current = (await alice_api.state(room_id))[("m.room.power_levels", "")]
    current["users"][carol.user_id] = 100
    status, body = await alice_api.put_state(room_id, "m.room.power_levels", current)
    assert status == 200, body
    await eventually(levels, lambda users: carol.user_id not in users)
    assert await role_in_db(service, team, carol.user_id) is Role.MEMBER

    # A member leaving in Element is no longer a member.
    await as_user(carol).leave(room_id)
    await eventually(lambda: role_in_db(service, team, carol.user_id), lambda r: r is None)


async def test_last_referent_is_refused_then_replaced_when_leaving_the_room(
    service: TeamService, new_user: NewUser
) -> None:
    alice, bob = await new_user(), await new_user()
    team = await service.create_team_at("Équipe Croix-Rousse", "local", "69004", alice.user_id)
    room_id = await joined_member(service, team, alice)
    await as_user(alice).invite(room_id, bob.user_id)
    await as_user(bob).join(room_id)
    await eventually(lambda: role_in_db(service, team, bob.user_id), lambda r: r is Role.MEMBER)

    with pytest.raises(RoleRefused) as refused:
        await service.leave(team.id, alice.user_id)
    assert refused.value.key == "team.leave.last_referent"
    with pytest.raises(RoleRefused) as refused:
        await service.change_role(team.id, alice.user_id, alice.user_id, Role.MEMBER)
    assert refused.value.key == "team.role.last_referent"

    # The room cannot refuse a departure: the longest-standing member takes over.
    await as_user(alice).leave(room_id)
    await eventually(lambda: role_in_db(service, team, bob.user_id), lambda r: r is Role.REFERENT)
    levels = await eventually(
        lambda: as_user(bob).state(room_id),
        lambda s: s[("m.room.power_levels", "")]["users"].get(bob.user_id) == 100,
    )
    assert alice.user_id not in levels[("m.room.power_levels", "")]["users"]


async def test_room_upgrade_is_followed(
    stack: DevStack, service: TeamService, new_user: NewUser
) -> None:
    alice = await new_user()
    team = await service.create_team_at("Équipe Part-Dieu", "local", "69003", alice.user_id)
    old_room = await joined_member(service, team, alice)
    appservice = appservice_api(stack)
    space_id = next(k for (t, k) in await appservice.state(old_room) if t == "m.space.parent")

    status, body = await appservice.request(
        "POST", f"/rooms/{old_room}/upgrade", {"new_version": "12"}
    )
    assert status == 200, body
    new_room = body["replacement_room"]

    moved = await eventually(lambda: service.get_team(team.id), lambda t: t.room_id == new_room)
    assert moved.room_id == new_room
    state = await eventually(
        lambda: appservice.state(new_room),
        lambda s: (
            (TEAM_STATE, "") in s
            and ("m.space.parent", space_id) in s
            and ("m.room.member", alice.user_id) in s
        ),
    )
    assert state[(TEAM_STATE, "")]["id"] == team.id
    assert state[("m.room.power_levels", "")]["users"][alice.user_id] == 100
    # Alice is invited to the new room; the space lists the new room instead of the old one.
    assert state[("m.room.member", alice.user_id)]["membership"] == "invite"
    space = await eventually(
        lambda: appservice.state(space_id), lambda s: s.get(("m.space.child", old_room)) == {}
    )
    assert space[("m.space.child", new_room)] == {"via": ["localhost"]}


async def test_reconcile_repairs_drift_and_reports_it(
    stack: DevStack, service: TeamService, new_user: NewUser
) -> None:
    alice = await new_user()
    team = await service.create_team_at("Équipe Gerland", "local", "69007", alice.user_id)
    room_id = await joined_member(service, team, alice)
    appservice = appservice_api(stack)
    state = await appservice.state(room_id)
    space_id = next(k for (t, k) in state if t == "m.space.parent")
    # Drift made behind the bridge's back, as its own user (so no event handler repairs it).
    levels = state[("m.room.power_levels", "")]
    levels["users"][alice.user_id] = 0
    await appservice.put_state(room_id, "m.room.power_levels", levels)
    await appservice.put_state(room_id, TEAM_STATE, {})
    await appservice.put_state(space_id, "m.space.child", {}, room_id)

    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "ralliement", "bridge", "--reconcile", "-c", str(stack.config_path),
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    out, err = await asyncio.wait_for(process.communicate(), 120)
    report = out.decode()
    assert process.returncode == 0, err.decode()
    mine = [line for line in report.splitlines() if line.startswith(team.id)]
    assert any("m.room.power_levels" in line for line in mine), report
    assert any(TEAM_STATE in line for line in mine), report
    assert any(f"m.space.child [{room_id}]" in line for line in mine), report

    state = await as_user(alice).state(room_id)
    assert state[("m.room.power_levels", "")]["users"][alice.user_id] == 100
    assert state[(TEAM_STATE, "")]["id"] == team.id
    assert (await appservice.state(space_id))[("m.space.child", room_id)] == {"via": ["localhost"]}


async def test_archiving_closes_the_room_and_takes_it_out_of_the_space(
    stack: DevStack, service: TeamService, new_user: NewUser
) -> None:
    alice = await new_user()
    team = await service.create_team_at("Équipe Confluence", "local", "69002", alice.user_id)
    room_id = await joined_member(service, team, alice)
    appservice = appservice_api(stack)
    space_id = next(k for (t, k) in await appservice.state(room_id) if t == "m.space.parent")

    await service.archive_team(team.id)

    state = await eventually(
        lambda: as_user(alice).state(room_id),
        lambda s: (
            s[("m.room.join_rules", "")] == {"join_rule": "invite"}
            and s[("m.space.parent", space_id)] == {}
        ),
    )
    assert state[(TEAM_STATE, "")]["archived_at"] > 0
    assert state[("m.space.parent", space_id)] == {}
    space = await eventually(
        lambda: appservice.state(space_id), lambda s: s.get(("m.space.child", room_id)) == {}
    )
    assert space[("m.space.child", room_id)] == {}


async def test_a_crashed_appservice_creates_each_room_once_after_restart(
    stack: DevStack, service: TeamService, new_user: NewUser
) -> None:
    alice = await new_user()
    teams = [
        await service.create_team_at(f"Équipe crash {n}", "local", "69008", alice.user_id)
        for n in range(6)
    ]
    await stack.restart("bridge", crash=True)  # kill -9, whatever it was doing

    rooms = [await room_of(service, team) for team in teams]
    assert len(set(rooms)) == len(teams)
    appservice = appservice_api(stack)
    status, joined = await appservice.request("GET", "/joined_rooms")
    assert status == 200, joined
    published: list[str] = []
    for room_id in joined["joined_rooms"]:
        status, content = await appservice.request("GET", f"/rooms/{room_id}/state/{TEAM_STATE}/")
        if status == 200 and content.get("id") in {team.id for team in teams}:
            published.append(content["id"])
    assert sorted(published) == sorted(team.id for team in teams)  # one room per team, no twin
