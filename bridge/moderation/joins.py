"""Who comes into the managed rooms: joiners a ban rule names are banned at once, every join is
logged, and a wave of joins locks the room down.

An inbox handler for ``m.room.member`` events of managed rooms (team rooms and spaces):

- a join, invite or knock by a user an active ban rule names is answered with a ban (the rule's
  reason), whatever else happens;
- every join (not a profile change, not one of our users) is logged with the event's time
  (``room_join``: join waves, ``!depuis``, "new member" protections);
- with the ``join_wave`` protection on in the room, more than ``moderation.join_wave_joins``
  joins within ``join_wave_seconds`` lock the room down once (a team room: its projection turns
  the join rule to knock or invite; a space: its join rule is put at once) and the admin room is
  owed one ``join_wave`` alert listing the recent joiners.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from mautrix.types import Event
from mautrix.util.async_db import Database

from bridge.db.managed_rooms import ManagedKind, ManagedRoom, ManagedRooms
from bridge.db.moderation_actions import ActionKind, ActionRequest, enqueue_actions
from bridge.db.moderation_alerts import raise_alert
from bridge.db.policy import PolicyStore
from bridge.db.room_guard import RoomGuard
from bridge.db.room_sync import request_room_sync
from bridge.domain.moderation.protections import Protection, is_enabled
from bridge.rooms.spaces import SpaceDirectory
from ralliement.config_schema import ModerationConfig

from .policy import PolicyEnforcer

log = logging.getLogger("bridge.moderation.joins")

COMING_IN = frozenset({"join", "invite", "knock"})
JOIN_WAVE = "join_wave"


def is_new_join(event: dict[str, Any]) -> bool:
    """A join that was not one already (a display name or avatar change repeats ``join``)."""
    if (event.get("content") or {}).get("membership") != "join":
        return False
    previous = (event.get("unsigned") or {}).get("prev_content") or {}
    return previous.get("membership") != "join"


def is_wave(join_count: int, threshold: int) -> bool:
    """More than ``threshold`` (``moderation.join_wave_joins``) joins in the window: a wave."""
    return join_count > threshold


class JoinGuard:
    """The inbox handler for memberships of managed rooms."""

    def __init__(
        self,
        db: Database,
        policy: PolicyEnforcer,
        spaces: SpaceDirectory,
        *,
        settings: ModerationConfig,
        appservice_bot: str,
        our_users: frozenset[str],
        wake_actions: Callable[[], None],
        wake_rooms: Callable[[], None],
    ) -> None:
        self.db = db
        self.policy = policy
        self.spaces = spaces
        self.settings = settings
        self.appservice_bot = appservice_bot
        self.our_users = our_users
        self.rooms = ManagedRooms(db)
        self.guard = RoomGuard(db)
        self.wake_actions = wake_actions
        self.wake_rooms = wake_rooms

    async def __call__(self, parsed: Event) -> None:
        event: dict[str, Any] = parsed.serialize()
        if event.get("type") != "m.room.member":
            return
        user_id = event.get("state_key") or ""
        membership = (event.get("content") or {}).get("membership")
        if membership not in COMING_IN or user_id in self.our_users:
            return
        room = await self.rooms.get(event.get("room_id", ""))
        if room is None:
            return
        if await self._ban_if_ruled_out(room, user_id):
            return
        if is_new_join(event):
            await self.joined(
                room,
                user_id,
                joined_at=int(event.get("origin_server_ts") or 0),
                event_id=event.get("event_id", ""),
            )

    async def _ban_if_ruled_out(self, room: ManagedRoom, user_id: str) -> bool:
        rule = await self.policy.ban_rule_for(user_id)
        if rule is None:
            return False
        async with self.db.acquire() as conn, conn.transaction():  # type: ignore[var-annotated]
            await PolicyStore.record_ban(conn, room.room_id, user_id, rule.key)
            request = ActionRequest(
                room.room_id,
                user_id,
                ActionKind.BAN,
                reason=rule.reason,
                cause=f"policy:{rule.key.list_room_id}:{rule.entity}",
            )
            await enqueue_actions(conn, [request])
        self.wake_actions()
        log.info("%s came into %s: banned by the rule %s", user_id, room.room_id, rule.entity)
        return True

    async def joined(
        self, room: ManagedRoom, user_id: str, *, joined_at: int, event_id: str
    ) -> bool:
        """Log a join, and lock the room down if it makes a wave; True if it locked."""
        wave_on = is_enabled(
            Protection.JOIN_WAVE,
            room.room_id,
            configured=self.settings.protections,
            switches=await self.guard.switches(),
        )
        window_start = joined_at - self.settings.join_wave_seconds * 1000
        async with self.db.acquire() as conn, conn.transaction():  # type: ignore[var-annotated]
            await RoomGuard.record_join(conn, room.room_id, user_id, joined_at, event_id)
            if not wave_on:
                return False
            recent = await RoomGuard.recent_joins(conn, room.room_id, window_start)
            if not is_wave(len(recent), self.settings.join_wave_joins):
                return False
            if not await RoomGuard.lock(
                conn, room.room_id, reason=JOIN_WAVE, locked_by=self.appservice_bot
            ):
                return False
            if room.kind is ManagedKind.TEAM:
                await request_room_sync(conn, room.key)
            payload = {
                "room_id": room.room_id,
                "room_name": room.name,
                "joins": len(recent),
                "seconds": self.settings.join_wave_seconds,
                "joiners": [join.user_id for join in recent],
            }
            await raise_alert(conn, JOIN_WAVE, payload, room.room_id)
        log.warning(
            "Join wave in %s (%s): %d joins in %d s, locked down",
            room.room_id,
            room.name,
            len(recent),
            self.settings.join_wave_seconds,
        )
        if room.kind is ManagedKind.SPACE:
            await self.spaces.set_locked(room.room_id, locked=True)
        else:
            self.wake_rooms()
        return True
