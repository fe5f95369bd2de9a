"""Who moderates (power in the admin room, read when asked), and which room a moderator names.

Power is read from the admin room's state at the moment of the command or reaction, so a
moderator demoted in Element loses the commands at once. In room version 12 the room's creators
(the ``m.room.create`` sender and ``additional_creators``) have unlimited power.
https://spec.matrix.org/v1.16/rooms/v12/
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from bridge.db.managed_rooms import ManagedRoom
from bridge.domain.moderation.protections import MODERATOR_POWER

from .homeserver_api import HomeserverAPI, HomeserverError
from .moderation_arguments import RoomReference
from .moderation_services import ModerationServices

#: Room versions whose creators do not have unlimited power.
_CLASSIC_VERSIONS = frozenset(str(n) for n in range(1, 12))


@dataclass(frozen=True)
class RoomPowers:
    """A room's power levels, as its state says."""

    users: dict[str, int]
    users_default: int
    creators: frozenset[str]

    def of(self, user_id: str) -> float:
        if user_id in self.creators:
            return math.inf
        return self.users.get(user_id, self.users_default)

    def moderators(self) -> set[str]:
        """Everyone named with a power of 50 or more, and the creators."""
        named = {user for user, level in self.users.items() if level >= MODERATOR_POWER}
        return named | set(self.creators)

    def is_moderator(self, user_id: str) -> bool:
        return self.of(user_id) >= MODERATOR_POWER


def _level(value: Any, default: int = 0) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def powers_of_state(state: Iterable[dict[str, Any]]) -> RoomPowers:
    """The powers a room's state events give (``GET /rooms/{id}/state``)."""
    levels: dict[str, Any] = {}
    creators: set[str] = set()
    for event in state:
        if event.get("state_key", "") != "":
            continue
        content = event.get("content") or {}
        if event.get("type") == "m.room.power_levels":
            levels = content
        elif (
            event.get("type") == "m.room.create"
            and str(content.get("room_version", "1")) not in _CLASSIC_VERSIONS
        ):
            creators.add(str(event.get("sender", "")))
            extra = content.get("additional_creators")
            if isinstance(extra, list):
                creators.update(str(user) for user in extra)
    users = levels.get("users")
    return RoomPowers(
        users={str(k): _level(v) for k, v in users.items()} if isinstance(users, dict) else {},
        users_default=_level(levels.get("users_default")),
        creators=frozenset(creators - {""}),
    )


async def room_powers(api: HomeserverAPI, room_id: str, *, as_user: str) -> RoomPowers:
    """Read ``room_id``'s power levels now, as ``as_user`` (a member): its ``m.room.create``
    and ``m.room.power_levels`` events (``format=event`` gives the sender too)."""
    state = []
    for event_type in ("m.room.create", "m.room.power_levels"):
        path = f"/_matrix/client/v3/rooms/{quote(room_id)}/state/{event_type}/?format=event"
        try:
            state.append(await api.request("GET", path, as_user=as_user))
        except HomeserverError as error:
            if error.errcode != "M_NOT_FOUND":
                raise
    return powers_of_state(state)


async def admin_powers(moderation: ModerationServices) -> RoomPowers | None:
    """The admin room's powers now; None when there is no admin room yet."""
    room_id = await moderation.admin_room()
    if room_id is None:
        return None
    return await room_powers(moderation.api, room_id, as_user=moderation.bot_user_id)


# --- Rooms a moderator names -------------------------------------------------------------------


async def resolve_alias(api: HomeserverAPI, alias: str, *, as_user: str) -> str | None:
    """The room an alias points to; None when the directory does not know it.
    https://spec.matrix.org/v1.16/client-server-api/#get_matrixclientv3directoryroomroomalias"""
    try:
        data = await api.request(
            "GET", f"/_matrix/client/v3/directory/room/{quote(alias)}", as_user=as_user
        )
    except HomeserverError as error:
        if error.errcode == "M_NOT_FOUND" or error.status == 404:
            return None
        raise
    room_id = data.get("room_id")
    return room_id if isinstance(room_id, str) else None


async def find_managed_room(
    moderation: ModerationServices, reference: RoomReference
) -> ManagedRoom | None:
    """The team room or space ``reference`` names; None when it is not one of ours."""
    if reference.team_id is not None:
        key = reference.team_id.casefold()
        return next(
            (room for room in await moderation.rooms.all() if room.key.casefold() == key),
            None,
        )
    room_id = reference.room_id
    if reference.alias is not None:
        room_id = await resolve_alias(
            moderation.api, reference.alias, as_user=moderation.bot_user_id
        )
    if room_id is None:
        return None
    return await moderation.rooms.get(room_id)


def room_label(room: ManagedRoom) -> str:
    """How a managed room is named to moderators: its team's name and id, or its space's key."""
    if room.name and room.name != room.key:
        return f"{room.name} ({room.key})"
    return room.key
