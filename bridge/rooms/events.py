"""What happens in team rooms, as the homeserver tells the appservice, reflected in the database.

Membership is the room's truth (who joined, left, was kicked or banned); roles are the
database's truth: a power-level edit is a role change asked by its sender, applied only if the
rules allow it, and the room's levels are then re-projected either way. A tombstone moves the
team to its replacement room.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from mautrix.types import Event

from bridge.db.teams import TeamRepository
from bridge.domain.teams import TeamService

from .matrix import RoomClient
from .projector import TeamRoomProjector

log = logging.getLogger("bridge.rooms.events")

LEFT = frozenset({"leave", "ban"})


class TeamRoomEvents:
    """An inbox handler for the events of team rooms."""

    def __init__(
        self,
        service: TeamService,
        projector: TeamRoomProjector,
        client: RoomClient,
        *,
        ignored_users: frozenset[str],
        wake: Callable[[], None],
    ) -> None:
        self.service = service
        self.teams: TeamRepository = service.repository
        self.projector = projector
        self.client = client
        self.ignored_users = ignored_users
        self.wake = wake

    async def __call__(self, parsed: Event) -> None:
        event: dict[str, Any] = parsed.serialize()
        event_type = event.get("type")
        if event_type not in ("m.room.member", "m.room.power_levels", "m.room.tombstone"):
            return
        team = await self.teams.get_by_room(event.get("room_id", ""))
        if team is None:
            return
        content = event.get("content") or {}
        sender = event.get("sender", "")
        if event_type == "m.room.member":
            await self._membership(team.id, event.get("state_key", ""), content)
        elif event_type == "m.room.power_levels" and sender not in self.ignored_users:
            users = content.get("users") or {}
            levels = {user: level for user, level in users.items() if isinstance(level, int)}
            refusals = await self.service.power_levels_edited(team.id, sender, levels)
            for refusal in refusals:
                log.info("Team %s: power level edit by %s refused: %r", team.id, sender, refusal)
        elif event_type == "m.room.tombstone":
            await self._replaced(team.id, team.room_id, content.get("replacement_room"))
        self.wake()

    async def _membership(self, team_id: str, user_id: str, content: dict[str, Any]) -> None:
        if user_id in self.ignored_users:
            return
        membership = content.get("membership")
        if membership == "join":
            if await self.service.member_joined(team_id, user_id):
                log.info("Team %s: %s joined", team_id, user_id)
        elif membership in LEFT:
            successor = await self.service.member_left(team_id, user_id)
            log.info("Team %s: %s is no longer a member (%s)", team_id, user_id, membership)
            if successor is not None:
                log.warning("Team %s: the last referent left; %s is referent", team_id, successor)

    async def _replaced(self, team_id: str, old_room: str | None, new_room: object) -> None:
        if not isinstance(new_room, str) or not new_room.startswith("!"):
            log.warning("Team %s: tombstone without a replacement room", team_id)
            return
        await self.client.join(new_room)
        await self.teams.set_room(team_id, new_room)
        team = await self.teams.get(team_id)
        if team is not None and old_room is not None:
            await self.projector.unlink(team, old_room)
        await self.service.request_room_sync(team_id)
        log.info("Team %s: room %s replaced by %s", team_id, old_room, new_room)
