"""Ban lists against the real stack, as people see them: a rule written in the campaign's policy
room (by a moderator's client, as Draupnir or any other tool would) bans the user from every
team room and space, and the homeserver refuses their later joins; a glob rule bans the members
it matches and whoever matching comes later; removing a rule unbans; a watched list bans too."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from bridge.db.moderation_alerts import AlertOutbox
from bridge.db.policy import PolicyStore, RoomPurpose
from bridge.db.spaces import ROOT, SpaceRepository
from bridge.db.teams import Team
from bridge.domain.teams import TeamService
from ralliement.devstack.accounts import register_user
from ralliement.devstack.stack import DevStack, StackInfo
from tests.integration.conftest import PASSWORD, NewUser
from tests.integration.test_team_rooms import as_user, joined_member, room_of
from tests.support.homeserver import ClientAPI, appservice_api, eventually, open_team_service
from tests.support.matrix_user import MatrixUser
from tests.support.moderation import make_moderator, policy_list_id

USER_RULE = "m.policy.rule.user"


@pytest.fixture
async def service(stack: DevStack) -> AsyncIterator[TeamService]:
    service = await open_team_service(stack)
    yield service
    await service.repository.db.stop()


@pytest.fixture
async def named_user(
    stack_info: StackInfo, shared_secret: str, tmp_path: Path
) -> AsyncIterator[Any]:
    """Users with a chosen localpart (a glob rule must match some and not others)."""
    users: list[MatrixUser] = []

    async def make(localpart: str) -> MatrixUser:
        account = await register_user(stack_info.homeserver, shared_secret, localpart, PASSWORD)
        user = MatrixUser(stack_info.homeserver, account.user_id, tmp_path / localpart)
        await user.login(PASSWORD)
        users.append(user)
        return user

    yield make
    for user in users:
        await user.close()


def rule(entity: str, reason: str = "spam") -> dict[str, str]:
    return {"entity": entity, "recommendation": "m.ban", "reason": reason}


async def write_rule(
    moderator: MatrixUser, list_id: str, entity: str, content: dict[str, str]
) -> None:
    status, body = await as_user(moderator).put_state(list_id, USER_RULE, content, f"rule:{entity}")
    assert status == 200, body


async def membership(api: ClientAPI, room_id: str, user_id: str) -> str | None:
    status, body = await api.request(
        "GET", f"/rooms/{quote(room_id)}/state/m.room.member/{quote(user_id)}"
    )
    return body.get("membership") if status == 200 else None


async def memberships(api: ClientAPI, rooms: list[str], user_id: str) -> list[str | None]:
    return [await membership(api, room_id, user_id) for room_id in rooms]


async def member_of(
    service: TeamService, team: Team, referent: MatrixUser, user: MatrixUser
) -> str:
    room_id = await room_of(service, team)
    await as_user(referent).invite(room_id, user.user_id)
    await as_user(user).join(room_id)
    return room_id


async def test_a_rule_bans_from_every_managed_room_and_removing_it_unbans(
    stack: DevStack, service: TeamService, new_user: NewUser
) -> None:
    moderator, alice, mallory = await new_user(), await new_user(), await new_user()
    await make_moderator(stack, moderator)
    list_id = await policy_list_id(stack)
    lyon = await service.create_team_at("Lyon contre le spam", "local", "69003", alice.user_id)
    caluire = await service.create_team_at(
        "Caluire contre le spam", "local", "69300", alice.user_id
    )
    lyon_room = await joined_member(service, lyon, alice)
    caluire_room = await joined_member(service, caluire, alice)
    await member_of(service, lyon, alice, mallory)
    spaces = SpaceRepository(service.repository.db)
    root, departement = await spaces.get(ROOT), await spaces.get("69")
    assert root is not None and departement is not None
    rooms = [lyon_room, caluire_room, root, departement]
    api = appservice_api(stack)

    await write_rule(moderator, list_id, mallory.user_id, rule(mallory.user_id, "insultes"))
    await eventually(
        lambda: memberships(api, rooms, mallory.user_id), lambda m: m == ["ban"] * 4, timeout=30
    )
    # Mallory's client: out of the Lyon room, and the homeserver refuses her coming back or
    # joining the other team.
    status, body = await as_user(mallory).request("POST", f"/join/{quote(lyon_room)}", {})
    assert status == 403, body
    status, body = await as_user(alice).request(
        "POST", f"/rooms/{quote(caluire_room)}/invite", {"user_id": mallory.user_id}
    )
    assert status == 403, body
    status, body = await as_user(mallory).request("POST", f"/join/{quote(caluire_room)}", {})
    assert status == 403, body
    (alert, *_) = await AlertOutbox(service.repository.db).of_kind("policy")
    assert alert.payload["entity"] == mallory.user_id and alert.payload["change"] == "added"
    assert alert.payload["rooms"] >= 4 and alert.payload["reason"] == "insultes"

    # The rule removed (an empty state event): unbanned everywhere, she may come back.
    await write_rule(moderator, list_id, mallory.user_id, {})
    await eventually(
        lambda: memberships(api, rooms, mallory.user_id), lambda m: m == ["leave"] * 4, timeout=30
    )
    await as_user(alice).invite(caluire_room, mallory.user_id)
    await as_user(mallory).join(caluire_room)
    (alert, *_) = await AlertOutbox(service.repository.db).of_kind("policy")
    assert alert.payload["entity"] == mallory.user_id and alert.payload["change"] == "removed"


async def test_a_glob_rule_bans_matching_members_and_later_comers_only(
    stack: DevStack, service: TeamService, new_user: NewUser, named_user: Any
) -> None:
    tag = secrets.token_hex(3)
    moderator, alice = await new_user(), await new_user()
    await make_moderator(stack, moderator)
    raider, late_raider = await named_user(f"raid{tag}_one"), await named_user(f"raid{tag}_two")
    neighbour = await named_user(f"voisin{tag}")
    team = await service.create_team_at(
        "Villeurbanne contre le spam", "local", "69100", alice.user_id
    )
    room_id = await joined_member(service, team, alice)
    for user in (raider, neighbour):
        await member_of(service, team, alice, user)
    api = appservice_api(stack)
    glob = f"@raid{tag}*:localhost"

    await write_rule(moderator, await policy_list_id(stack), glob, rule(glob, "raid"))
    await eventually(lambda: membership(api, room_id, raider.user_id), lambda m: m == "ban")
    # A matching user invited later is banned as soon as the invite shows up.
    await as_user(alice).invite(room_id, late_raider.user_id)
    await eventually(lambda: membership(api, room_id, late_raider.user_id), lambda m: m == "ban")
    status, body = await as_user(late_raider).request("POST", f"/join/{quote(room_id)}", {})
    assert status == 403, body
    assert await membership(api, room_id, neighbour.user_id) == "join"
    # Alice (a member, not matching) and the moderator (matching nothing) are untouched.
    assert await membership(api, room_id, alice.user_id) == "join"

    await write_rule(moderator, await policy_list_id(stack), glob, {})
    for user in (raider, late_raider):
        await eventually(lambda u=user: membership(api, room_id, u.user_id), lambda m: m == "leave")


async def test_a_rule_of_a_watched_list_bans_too(
    stack: DevStack, service: TeamService, new_user: NewUser
) -> None:
    moderator, alice, early, late = (
        await new_user(),
        await new_user(),
        await new_user(),
        await new_user(),
    )
    await make_moderator(stack, moderator)
    team = await service.create_team_at("Bron contre le spam", "local", "69500", alice.user_id)
    room_id = await joined_member(service, team, alice)
    for user in (early, late):
        await member_of(service, team, alice, user)
    api = appservice_api(stack)

    # A community list, made by someone else; it had a rule before we watched it.
    created = await moderator.client.room_create(name="Liste communautaire")
    community = created.room_id
    await write_rule(moderator, community, early.user_id, rule(early.user_id, "déjà connu"))
    bot = stack.info.bots["moderation"] if stack.info else ""
    await PolicyStore(service.repository.db).set_room(
        RoomPurpose.WATCHED, community, alias=None, added_by=moderator.user_id
    )
    await as_user(moderator).invite(community, bot)
    await ClientAPI(api.homeserver, api.token, as_user=bot).join(community)
    await eventually(lambda: membership(api, room_id, early.user_id), lambda m: m == "ban")

    # A rule added to it afterwards.
    await write_rule(moderator, community, late.user_id, rule(late.user_id, "spam"))
    await eventually(lambda: membership(api, room_id, late.user_id), lambda m: m == "ban")
    rules = await PolicyStore(service.repository.db).rules(community)
    assert sorted(r.entity for r in rules) == sorted([early.user_id, late.user_id])
