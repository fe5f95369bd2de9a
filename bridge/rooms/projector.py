"""Keeps each team's room true to the database: creation, state, power levels, space links.

:meth:`TeamRoomProjector.sync` is idempotent: it reads the room's state once, compares it with
what the database says (:mod:`.state`), and sends only what differs, reporting each repair. The
same call creates a missing room, follows a changed role, repairs drift and re-links a room after
an upgrade.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Iterable
from dataclasses import dataclass
from typing import Any

from mautrix.errors import MatrixRequestError

from bridge.db.clock import now_ms
from bridge.db.events import EventRepository
from bridge.db.room_guard import RoomGuard
from bridge.db.teams import Member, Team, TeamRepository

from . import state
from .matrix import RoomClient, RoomState, StateKey, is_room_in_use
from .spaces import SpaceDirectory

log = logging.getLogger("bridge.rooms")

#: Events stay in the room's projection until this long after they end.
EVENTS_KEPT_MS = 30 * 24 * 3600 * 1000


@dataclass(frozen=True)
class ProjectionSettings:
    domain: str
    alias_prefix: str
    allow_knock: bool
    #: The bots that live in every team room (they join through the appservice).
    room_bots: tuple[str, ...]


class TeamRoomProjector:
    """Projects teams onto their Matrix rooms."""

    def __init__(
        self,
        client: RoomClient,
        teams: TeamRepository,
        events: EventRepository,
        spaces: SpaceDirectory,
        settings: ProjectionSettings,
        guard: RoomGuard,
    ) -> None:
        self.client = client
        self.teams = teams
        self.events = events
        self.spaces = spaces
        self.settings = settings
        #: Lockdowns and mutes decided by moderation, projected as join rule and power levels.
        self.guard = guard

    def alias_localpart(self, team: Team) -> str:
        return f"{self.settings.alias_prefix}equipe_{team.id}"

    async def sync(self, team_id: str) -> list[str]:
        """Bring the team's room up to date; returns a line per repair (empty: nothing to do)."""
        team = await self.teams.get(team_id)
        if team is None:
            return []
        members = await self.teams.members(team_id)
        for bot in self.settings.room_bots:
            await self.client.ensure_registered(bot)
        space = await self.spaces.for_team(team.departement)
        if team.room_id is None:
            room_id, created = await self._create(team, members, space)
            await self.teams.set_room(team.id, room_id)
            team = await self.teams.get(team_id)
            assert team is not None
            if created:
                # Independent (one event in the space, one in the room): one round trip, not two.
                await _all(self._link_child(team, space, room_id), self._join_bots(room_id))
                return [f"created room {room_id}"]
        return await self._repair(team, members, space)

    async def unlink(self, team: Team, old_room_id: str) -> None:
        """Remove a replaced room from its space (after an upgrade)."""
        space = await self.spaces.for_team(team.departement)
        await self.client.put_state(space, "m.space.child", {}, old_room_id)

    # --- creation ------------------------------------------------------------------------

    async def _create(self, team: Team, members: list[Member], space: str) -> tuple[str, bool]:
        try:
            room_id = await self.client.create_room(self.creation_request(team, members, space))
        except MatrixRequestError as error:
            if not is_room_in_use(error):
                raise
            # Created before a crash that came before its id was saved: the alias finds it.
            alias = f"#{self.alias_localpart(team)}:{self.settings.domain}"
            found = await self.client.resolve_alias(alias)
            if found is None:
                raise
            log.info("Team %s: found its room %s by alias", team.id, found)
            return found, False
        log.info("Team %s: created room %s", team.id, room_id)
        return room_id, True

    def creation_request(self, team: Team, members: list[Member], space: str) -> dict[str, Any]:
        """The ``createRoom`` body of ``team``'s room in ``space`` (``bench.provision`` sends it
        too, for its baseline)."""
        desired = self._desired_room_state(team, space)
        desired.pop(("m.room.power_levels", ""))
        initial_state = [
            {"type": event_type, "state_key": state_key, "content": content}
            for (event_type, state_key), content in desired.items()
            if event_type not in ("m.room.name", "m.room.topic")
        ]
        return {
            "room_version": state.ROOM_VERSION,
            "preset": "private_chat",
            "name": team.name,
            "topic": state.topic(team),
            "room_alias_name": self.alias_localpart(team),
            "invite": sorted({member.user_id for member in members} | set(self.settings.room_bots)),
            "power_level_content_override": state.power_levels(members, self.settings.room_bots),
            "initial_state": initial_state,
        }

    async def _desired_event_state(self, team: Team) -> dict[StateKey, Any]:
        """The state of the team's events that are not long over."""
        since = now_ms() - EVENTS_KEPT_MS
        return {
            (state.EVENT_STATE, event.id): state.event_state(event)
            for event in await self.events.of_team(team.id, ending_after=since)
        }

    def _desired_room_state(
        self, team: Team, space: str, *, locked: bool = False
    ) -> dict[StateKey, Any]:
        archived = team.archived_at is not None
        desired: dict[StateKey, Any] = {
            ("m.room.name", ""): {"name": team.name},
            ("m.room.topic", ""): {"topic": state.topic(team)},
            ("m.room.encryption", ""): dict(state.ENCRYPTION),
            ("m.room.history_visibility", ""): {"history_visibility": "shared"},
            ("m.room.guest_access", ""): {"guest_access": "forbidden"},
            ("m.room.join_rules", ""): state.join_rules(
                space, allow_knock=self.settings.allow_knock, archived=archived, locked=locked
            ),
            (state.TEAM_STATE, ""): state.team_state(team),
            ("m.space.parent", space): {} if archived else state.parent_link(self.settings.domain),
            ("m.room.power_levels", ""): None,  # computed against the room's current levels
        }
        if team.avatar_url:
            desired[("m.room.avatar", "")] = {"url": team.avatar_url}
        return desired

    async def _link_child(self, team: Team, space: str, room_id: str) -> None:
        content = {} if team.archived_at is not None else state.space_link(self.settings.domain)
        await self.client.put_state(space, "m.space.child", content, room_id)

    async def _join_bots(self, room_id: str, already: Iterable[str] = ()) -> list[str]:
        joined = []
        for bot in self.settings.room_bots:
            if bot not in already:
                await self.client.join(room_id, bot)
                joined.append(bot)
        return joined

    # --- repair --------------------------------------------------------------------------

    async def _repair(self, team: Team, members: list[Member], space: str) -> list[str]:
        assert team.room_id is not None
        room_id = team.room_id
        current = await self.client.state(room_id)
        fixes: list[str] = []
        locked = await self.guard.lockdown(room_id) is not None
        desired = self._desired_room_state(team, space, locked=locked)
        desired.update(await self._desired_event_state(team))
        desired[("m.room.power_levels", "")] = state.power_levels(
            members,
            self.settings.room_bots,
            current.get("m.room.power_levels"),
            muted=await self.guard.muted(room_id),
        )
        for (event_type, state_key), content in desired.items():
            if event_type == "m.room.encryption" and current.get(event_type) is not None:
                continue  # encryption cannot be changed once on; only a missing one is added
            if _same(current.get(event_type, state_key), content):
                continue
            await self.client.put_state(room_id, event_type, content, state_key)
            fixes.append(f"{room_id}: set {event_type}" + (f" [{state_key}]" if state_key else ""))
        fixes += await self._repair_space_link(team, space, room_id)
        fixes += await self._repair_memberships(team, members, current, room_id)
        return fixes

    async def _repair_space_link(self, team: Team, space: str, room_id: str) -> list[str]:
        # One state event, not the whole space: a département space may list hundreds of rooms.
        current = await self.client.state_event(space, "m.space.child", room_id)
        wanted = {} if team.archived_at is not None else state.space_link(self.settings.domain)
        if _same(current, wanted):
            return []
        await self.client.put_state(space, "m.space.child", wanted, room_id)
        return [f"{space}: set m.space.child [{room_id}]"]

    async def _repair_memberships(
        self, team: Team, members: list[Member], current: RoomState, room_id: str
    ) -> list[str]:
        fixes = []
        joined_bots = [
            bot for bot in self.settings.room_bots if current.memberships.get(bot) == "join"
        ]
        for bot in self.settings.room_bots:
            if bot in joined_bots:
                continue
            if current.memberships.get(bot) != "invite":
                await self.client.invite(room_id, bot)
            await self.client.join(room_id, bot)
            fixes.append(f"{room_id}: {bot} joined")
        if team.archived_at is not None:
            return fixes
        for member in members:
            # A member the room has never seen (just added, or after an upgrade): invite. Someone
            # who left is not invited back: their departure is on its way to the database.
            if member.user_id not in current.memberships:
                await self.client.invite(room_id, member.user_id)
                fixes.append(f"{room_id}: invited {member.user_id}")
        return fixes


async def _all(*steps: Awaitable[object]) -> None:
    """Run independent steps at once; all of them finish, then the first failure is raised."""
    for outcome in await asyncio.gather(*steps, return_exceptions=True):
        if isinstance(outcome, BaseException):
            raise outcome


def _same(current: dict[str, Any] | None, desired: dict[str, Any]) -> bool:
    """Whether the room already holds ``desired`` (an empty content and no event are the same)."""
    return (current or {}) == desired
