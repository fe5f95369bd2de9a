"""The moderation's own rooms: the admin room and the campaign's policy list (ban list).

Both are created by the appservice bot (room version 12: it stays their creator, with unlimited
power) under a fixed alias, so a crash between creating one and recording it finds the same room
again. The moderation bot is joined to both with power 100; moderators are invited to both with
power 50 (100 for admins): they talk to the bot in the admin room, and may write rules in the
policy list with any tool that speaks the Matrix policy list format.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from mautrix.errors import MatrixRequestError

from bridge.db.policy import PolicyStore, RoomPurpose
from bridge.domain.moderation.protections import MODERATOR_POWER
from bridge.rooms import state
from bridge.rooms.matrix import RoomClient, is_room_in_use

log = logging.getLogger("bridge.moderation.rooms")

ADMIN_LEVEL = 100


@dataclass(frozen=True)
class ModerationRoomSettings:
    domain: str
    alias_prefix: str
    campaign_name: str
    #: The moderation bot (power 100 in both rooms).
    bot: str
    #: ``moderation.moderators`` of the configuration.
    moderators: tuple[str, ...]


class ModeratorProblem(StrEnum):
    """Why someone cannot be made a moderator."""

    NOT_LOCAL = "not_local"
    UNKNOWN = "unknown"
    OURS = "ours"


@dataclass(frozen=True)
class ModeratorChange:
    user_id: str
    level: int
    #: The rooms whose membership or levels changed (empty: it already was so).
    changed: tuple[str, ...]


class ModerationRooms:
    """Finds or creates the admin room and the policy list, and manages their moderators."""

    def __init__(
        self, client: RoomClient, policy: PolicyStore, settings: ModerationRoomSettings
    ) -> None:
        self.client = client
        self.policy = policy
        self.settings = settings
        self._lock = asyncio.Lock()

    def alias(self, purpose: RoomPurpose) -> str:
        name = "moderation" if purpose is RoomPurpose.ADMIN else "liste_de_bannissement"
        return f"#{self.settings.alias_prefix}{name}:{self.settings.domain}"

    async def ensure(self) -> tuple[str, str]:
        """The admin room and the policy list (created the first time, repaired otherwise), and
        the configured moderators invited to both."""
        admin = await self.ensure_room(RoomPurpose.ADMIN)
        policy = await self.ensure_room(RoomPurpose.POLICY)
        for user_id in self.settings.moderators:
            problem = await self.moderator_problem(user_id)
            if problem is not None:
                log.warning(
                    "Moderator %s not invited (%s): see moderation.moderators", user_id, problem
                )
                continue
            await self.add_moderator(user_id, MODERATOR_POWER, only_if_absent=True)
        return admin, policy

    async def ensure_room(self, purpose: RoomPurpose) -> str:
        """The room for ``purpose`` (admin or policy), with the moderation bot joined at 100."""
        async with self._lock:
            recorded = await self.policy.room(purpose)
            if recorded is not None:
                room_id = recorded.room_id
            else:
                room_id = await self._create(purpose)
                await self.policy.set_room(
                    purpose, room_id, alias=self.alias(purpose), added_by=self.client.bot_user_id
                )
            await self._join_bot(room_id)
            return room_id

    async def _create(self, purpose: RoomPurpose) -> str:
        alias = self.alias(purpose)
        try:
            room_id = await self.client.create_room(self.creation_request(purpose))
        except MatrixRequestError as error:
            if not is_room_in_use(error):
                raise
            found = await self.client.resolve_alias(alias)
            if found is None:
                raise
            log.info("Found the %s room %s by its alias", purpose, found)
            return found
        log.info("Created the %s room %s (%s)", purpose, room_id, alias)
        return room_id

    def creation_request(self, purpose: RoomPurpose) -> dict[str, Any]:
        campaign = self.settings.campaign_name
        levels = {
            **state.ROOM_LEVELS,
            "invite": MODERATOR_POWER,
            "users": {self.settings.bot: ADMIN_LEVEL},
        }
        initial_state: list[dict[str, Any]] = [
            {"type": "m.room.join_rules", "state_key": "", "content": {"join_rule": "invite"}},
            {
                "type": "m.room.guest_access",
                "state_key": "",
                "content": {"guest_access": "forbidden"},
            },
        ]
        if purpose is RoomPurpose.ADMIN:
            name, localpart = f"Modération — {campaign}", "moderation"
            topic = "Salle des modérateurs : commandes du bot de modération (!aide) et alertes."
            initial_state += [
                {"type": "m.room.encryption", "state_key": "", "content": dict(state.ENCRYPTION)},
                _history("shared"),
            ]
        else:
            name, localpart = f"Liste de bannissement — {campaign}", "liste_de_bannissement"
            topic = (
                f"Règles de bannissement de {campaign} (m.policy.rule.*), lisibles par d'autres"
                " outils de modération."
            )
            initial_state.append(_history("world_readable"))
        return {
            "room_version": state.ROOM_VERSION,
            "preset": "private_chat",
            "name": name,
            "topic": topic,
            "room_alias_name": f"{self.settings.alias_prefix}{localpart}",
            "invite": [self.settings.bot],
            "power_level_content_override": levels,
            "initial_state": initial_state,
        }

    async def _join_bot(self, room_id: str) -> None:
        bot = self.settings.bot
        member = await self.client.state_event(room_id, "m.room.member", bot)
        membership = (member or {}).get("membership")
        if membership == "join":
            return
        if membership != "invite":
            await self.client.invite(room_id, bot)
        await self.client.join(room_id, bot)
        await self._set_level(room_id, bot, ADMIN_LEVEL)

    # --- moderators ----------------------------------------------------------------------------

    async def moderator_problem(self, user_id: str) -> ModeratorProblem | None:
        """Why ``user_id`` cannot be a moderator: not on our homeserver, unknown, or one of
        the appservice's own users."""
        if user_id.split(":", 1)[-1] != self.settings.domain or not user_id.startswith("@"):
            return ModeratorProblem.NOT_LOCAL
        if user_id in (self.settings.bot, self.client.bot_user_id):
            return ModeratorProblem.OURS
        if not await self.client.user_exists(user_id):
            return ModeratorProblem.UNKNOWN
        return None

    async def add_moderator(
        self, user_id: str, level: int = MODERATOR_POWER, *, only_if_absent: bool = False
    ) -> ModeratorChange:
        """Invite ``user_id`` to the admin room and the policy list with ``level``.

        With ``only_if_absent``, someone already a member or invited is left as they are (the
        configured moderators at each start: an admin may have changed their level since).
        """
        changed = []
        for purpose in (RoomPurpose.ADMIN, RoomPurpose.POLICY):
            room_id = await self.ensure_room(purpose)
            member = await self.client.state_event(room_id, "m.room.member", user_id)
            membership = (member or {}).get("membership")
            if only_if_absent and membership in ("join", "invite"):
                continue
            if await self._set_level(room_id, user_id, level):
                changed.append(room_id)
            if membership not in ("join", "invite"):
                await self.client.invite(room_id, user_id)
                if room_id not in changed:
                    changed.append(room_id)
        return ModeratorChange(user_id, level, tuple(changed))

    async def remove_moderator(self, user_id: str) -> ModeratorChange:
        """Take ``user_id``'s power in both rooms back to 0 and remove them from the rooms."""
        changed = []
        for purpose in (RoomPurpose.ADMIN, RoomPurpose.POLICY):
            room_id = await self.ensure_room(purpose)
            lowered = await self._set_level(room_id, user_id, 0)
            member = await self.client.state_event(room_id, "m.room.member", user_id)
            if (member or {}).get("membership") in ("join", "invite", "knock"):
                await self.client.kick(room_id, user_id, "Retiré(e) de la modération")
                lowered = True
            if lowered:
                changed.append(room_id)
        return ModeratorChange(user_id, 0, tuple(changed))

    async def moderators(self) -> dict[str, int]:
        """Who has power 50 or more in the admin room (its members and invitees)."""
        room_id = await self.ensure_room(RoomPurpose.ADMIN)
        current = await self.client.state(room_id)
        users = (current.get("m.room.power_levels") or {}).get("users") or {}
        return {
            user: level
            for user, level in sorted(users.items())
            if isinstance(level, int)
            and level >= MODERATOR_POWER
            and current.memberships.get(user) in ("join", "invite")
            and user != self.settings.bot
        }

    async def _set_level(self, room_id: str, user_id: str, level: int) -> bool:
        """Give ``user_id`` ``level`` in ``room_id``; False if they already had it."""
        levels = await self.client.state_event(room_id, "m.room.power_levels") or {}
        users = dict(levels.get("users") or {})
        if users.get(user_id, 0) == level:
            return False
        if level:
            users[user_id] = level
        else:
            users.pop(user_id, None)
        await self.client.put_state(room_id, "m.room.power_levels", {**levels, "users": users})
        return True


def _history(visibility: str) -> dict[str, Any]:
    return {
        "type": "m.room.history_visibility",
        "state_key": "",
        "content": {"history_visibility": visibility},
    }
