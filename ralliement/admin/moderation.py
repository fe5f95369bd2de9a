"""``ralliement admin moderation``: the admin room's moderators, and what moderation runs on.

The commands talk to the homeserver as the appservice (like ``space init``), through the same
code the appservice runs at start (:class:`bridge.moderation.ModerationRooms`): a command run
before the appservice ever started creates the admin room and the policy list itself.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from mautrix.errors import MatrixError

from bridge.db.policy import PolicyStore, RoomPurpose
from bridge.domain.moderation.protections import MODERATOR_POWER
from bridge.moderation import ModerationRooms, moderation_rooms
from bridge.moderation.rooms import ADMIN_LEVEL, ModeratorChange, ModeratorProblem
from ralliement.config import Config


class ModerationRefused(Exception):
    """The command cannot do what was asked (exit code 1, one line)."""


@asynccontextmanager
async def open_moderation(config: Config) -> AsyncIterator[tuple[ModerationRooms, PolicyStore]]:
    """The moderation rooms of ``config``'s campaign, as the appservice sees them."""
    from bridge.rooms import open_room_projection

    async with open_room_projection(config) as projection:
        rooms = moderation_rooms(config, projection.client, projection.db)
        if rooms is None:
            raise ModerationRefused(
                f"the moderation bot is off (bots.moderation.enabled in {config.path})"
            )
        yield rooms, PolicyStore(projection.db)


def problem_text(user_id: str, problem: ModeratorProblem, domain: str) -> str:
    if problem is ModeratorProblem.NOT_LOCAL:
        return (
            f"{user_id} is not a user of this homeserver ({domain}): moderators must have an"
            f" account here, e.g. @alice:{domain}"
        )
    if problem is ModeratorProblem.OURS:
        return f"{user_id} is one of Ralliement's own bots, not a person"
    return (
        f"{user_id} does not exist on {domain} (yet): they must create their account, or sign"
        " in once, before they can be made a moderator"
    )


async def add_moderator(config: Config, user_id: str, *, admin: bool = False) -> ModeratorChange:
    """Invite ``user_id`` to the admin room and the policy list with power 50 (100: admin).

    Raises:
        ModerationRefused: not a local user, unknown, or one of our bots.
    """
    async with open_moderation(config) as (rooms, _):
        problem = await rooms.moderator_problem(user_id)
        if problem is not None:
            raise ModerationRefused(problem_text(user_id, problem, config.homeserver.domain))
        return await rooms.add_moderator(user_id, ADMIN_LEVEL if admin else MODERATOR_POWER)


async def remove_moderator(config: Config, user_id: str) -> ModeratorChange:
    async with open_moderation(config) as (rooms, _):
        if user_id == rooms.settings.bot:
            raise ModerationRefused(f"{user_id} is the moderation bot: it cannot be removed")
        return await rooms.remove_moderator(user_id)


async def overview(config: Config) -> dict[str, Any]:
    """The admin room, the policy list, the watched lists, the moderators and the rule count."""
    async with open_moderation(config) as (rooms, policy):
        admin = await rooms.ensure_room(RoomPurpose.ADMIN)
        own = await rooms.ensure_room(RoomPurpose.POLICY)
        moderators = await rooms.moderators()
        lists = await policy.lists()
        rules = await policy.rules()
    counts: dict[str, int] = {}
    for rule in rules:
        counts[rule.key.list_room_id] = counts.get(rule.key.list_room_id, 0) + 1
    return {
        "admin_room": {"room_id": admin, "alias": rooms.alias(RoomPurpose.ADMIN)},
        "policy_list": {
            "room_id": own,
            "alias": rooms.alias(RoomPurpose.POLICY),
            "rules": counts.get(own, 0),
        },
        "watched_lists": [
            {"room_id": room.room_id, "alias": room.alias, "rules": counts.get(room.room_id, 0)}
            for room in lists
            if room.purpose is RoomPurpose.WATCHED
        ],
        "moderators": moderators,
        "rules": len(rules),
    }


def overview_text(data: dict[str, Any]) -> str:
    lines = [
        f"Admin room:  {data['admin_room']['alias']} ({data['admin_room']['room_id']})",
        f"Policy list: {data['policy_list']['alias']} ({data['policy_list']['room_id']}),"
        f" {data['policy_list']['rules']} rules",
    ]
    if data["watched_lists"]:
        lines.append("Watched lists:")
        lines += [
            f"  {room['alias'] or room['room_id']} ({room['room_id']}), {room['rules']} rules"
            for room in data["watched_lists"]
        ]
    else:
        lines.append("Watched lists: none (!surveiller #list:server in the admin room)")
    if data["moderators"]:
        lines.append("Moderators:")
        lines += [f"  {user} (power {level})" for user, level in data["moderators"].items()]
    else:
        lines.append("Moderators: none (ralliement admin moderation add-moderator @someone:server)")
    lines.append(f"Rules in force: {data['rules']}")
    return "\n".join(lines)


def change_text(change: ModeratorChange, verb: str) -> str:
    if not change.changed:
        return f"{change.user_id} already {verb}: nothing changed."
    return f"{change.user_id} {verb} in {len(change.changed)} rooms: {', '.join(change.changed)}"


def homeserver_failure(config: Config, error: MatrixError | OSError) -> int:
    print(
        f"ralliement admin: the homeserver at {config.homeserver.address} refused or is"
        f" unreachable: {error}",
        file=sys.stderr,
    )
    return 1


def refused(error: ModerationRefused) -> int:
    print(f"ralliement admin: {error}", file=sys.stderr)
    return 1


async def run_add(args: argparse.Namespace, out: Any) -> int:
    config = args.config_loaded
    try:
        change = await add_moderator(config, args.user_id, admin=args.admin)
    except ModerationRefused as error:
        return refused(error)
    except (MatrixError, OSError) as error:
        return homeserver_failure(config, error)
    role = "admin (power 100)" if args.admin else "moderator (power 50)"
    data = {"user_id": change.user_id, "level": change.level, "rooms": list(change.changed)}
    out(args, data, change_text(change, f"is {role}"))
    return 0


async def run_remove(args: argparse.Namespace, out: Any) -> int:
    config = args.config_loaded
    try:
        change = await remove_moderator(config, args.user_id)
    except ModerationRefused as error:
        return refused(error)
    except (MatrixError, OSError) as error:
        return homeserver_failure(config, error)
    data = {"user_id": change.user_id, "level": 0, "rooms": list(change.changed)}
    out(args, data, change_text(change, "is no longer a moderator"))
    return 0


async def run_show(args: argparse.Namespace, out: Any) -> int:
    config = args.config_loaded
    try:
        data = await overview(config)
    except ModerationRefused as error:
        return refused(error)
    except (MatrixError, OSError) as error:
        return homeserver_failure(config, error)
    out(args, data, overview_text(data))
    return 0
