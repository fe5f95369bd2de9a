"""What the moderation bot works with: the moderation tables, the configuration, and the
homeserver through the appservice token (which the homeserver does not rate-limit)."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from mautrix.util.async_db import Database

from bridge.db.clock import now_ms
from bridge.db.managed_rooms import ManagedKind, ManagedRoom, ManagedRooms
from bridge.db.moderation_actions import ActionQueue
from bridge.db.moderation_alerts import AlertOutbox, ReportRepository, raise_alert
from bridge.db.policy import PolicyStore, RoomPurpose
from bridge.db.room_guard import RoomGuard
from bridge.db.room_sync import request_room_sync
from bridge.db.spaces import ROOT
from bridge.domain.moderation.policy import (
    WRITE_TYPES,
    RuleKind,
    rule_content,
    rule_state_key,
)
from bridge.domain.moderation.protections import Protection, is_enabled
from bridge.rooms.state import space_join_rules
from ralliement.config_schema import ModerationConfig

from .homeserver_api import HomeserverAPI

#: The alert a moderator's lock or unlock raises (:func:`bots.moderation_views.lockdown_notice`).
LOCKDOWN_ALERT = "lockdown"


class NoPolicyList(RuntimeError):
    """The campaign's policy list does not exist yet (the appservice creates it at start)."""


@dataclass(frozen=True)
class ModerationServices:
    """The moderation bot's dependencies.

    Attributes:
        policy: moderation rooms (admin room, policy lists) and the rules read from the lists.
        actions: bans, unbans, kicks and redactions owed to rooms (the appservice does them).
        guard: joins, lockdowns, mutes, protection switches, strikes.
        alerts: what the admin room is owed (sent by the moderation bot).
        reports: messages reported by supporters.
        rooms: the rooms a campaign-wide ban covers.
        settings: the ``moderation`` section of the configuration.
        api: the homeserver, with the appservice token.
        bot_user_id: the moderation bot.
        our_users: the appservice's own users (its bot and every bot): never moderated.
        allow_knock: ``campaign.allow_knock``: a locked team room lets people ask to join
            (knock); a locked space never does.
    """

    policy: PolicyStore
    actions: ActionQueue
    guard: RoomGuard
    alerts: AlertOutbox
    reports: ReportRepository
    rooms: ManagedRooms
    settings: ModerationConfig
    api: HomeserverAPI
    bot_user_id: str
    our_users: frozenset[str]
    allow_knock: bool = False

    @classmethod
    def on_database(
        cls,
        db: Database,
        *,
        settings: ModerationConfig,
        api: HomeserverAPI,
        bot_user_id: str,
        our_users: frozenset[str],
        allow_knock: bool = False,
    ) -> ModerationServices:
        return cls(
            policy=PolicyStore(db),
            actions=ActionQueue(db),
            guard=RoomGuard(db),
            alerts=AlertOutbox(db),
            reports=ReportRepository(db),
            rooms=ManagedRooms(db),
            settings=settings,
            api=api,
            bot_user_id=bot_user_id,
            our_users=our_users,
            allow_knock=allow_knock,
        )

    def knocks_when_locked(self, room: ManagedRoom) -> bool:
        """Whether people may still ask to join ``room`` (knock) while it is locked down: in a
        team room when the campaign allows knocking; never in a space (invite only)."""
        return self.allow_knock and room.kind is ManagedKind.TEAM

    async def admin_room(self) -> str | None:
        room = await self.policy.room(RoomPurpose.ADMIN)
        return room.room_id if room else None

    async def policy_room(self) -> str | None:
        room = await self.policy.room(RoomPurpose.POLICY)
        return room.room_id if room else None

    async def is_enabled(self, protection: Protection, room_id: str | None) -> bool:
        """Whether ``protection`` applies in ``room_id`` (None: globally)."""
        switches = await self.guard.switches()
        return is_enabled(
            protection, room_id, configured=self.settings.protections, switches=switches
        )

    async def write_rule(self, kind: RuleKind, entity: str, reason: str) -> None:
        """Write a ban rule in the campaign's policy list, as the moderation bot. The appservice
        reads it back from the room and applies it in every managed room."""
        await self._put_rule(kind, entity, rule_content(entity, reason))

    async def remove_rule(self, kind: RuleKind, entity: str) -> None:
        """Remove the campaign's rule about ``entity`` (an empty state event, as the spec says);
        the appservice lifts the bans it caused."""
        await self._put_rule(kind, entity, {})

    async def _put_rule(self, kind: RuleKind, entity: str, content: dict[str, str]) -> None:
        room_id = await self.policy_room()
        if room_id is None:
            raise NoPolicyList("the campaign's policy list is not created yet")
        path = (
            f"/_matrix/client/v3/rooms/{quote(room_id)}/state/{WRITE_TYPES[kind]}/"
            f"{quote(rule_state_key(entity), safe='')}"
        )
        await self.api.request("PUT", path, content, as_user=self.bot_user_id)

    async def set_lockdown(
        self, room: ManagedRoom, *, locked: bool, by: str, reason: str = "moderator"
    ) -> bool:
        """Lock ``room`` down (knock or invite only) or open it again, as the moderator ``by``
        (a command or a quick action); False if it already was.

        The change and a ``lockdown`` alert for the admin room (who locked or unlocked what)
        are written in one transaction. A team room's projection follows the row (the
        appservice syncs it); a space has no projection, so its join rule is put at once, as the
        appservice (only it may).
        """
        guard = self.guard
        async with guard.db.acquire() as conn, conn.transaction():  # type: ignore[var-annotated]
            if locked:
                changed = await RoomGuard.lock(conn, room.room_id, reason=reason, locked_by=by)
            else:
                changed = await RoomGuard.unlock(conn, room.room_id)
            if changed and room.kind is ManagedKind.TEAM:
                await request_room_sync(conn, room.key)
            if changed:
                payload = {
                    "room_id": room.room_id,
                    "room_name": room.name,
                    "locked": locked,
                    "by": by,
                }
                await raise_alert(conn, LOCKDOWN_ALERT, payload, room.room_id)
        if changed and room.kind is ManagedKind.SPACE:
            spaces = {
                space.key: space.room_id
                for space in await self.rooms.all()
                if space.kind is ManagedKind.SPACE
            }
            parent = None if room.key == ROOT else spaces.get(ROOT)
            path = f"/_matrix/client/v3/rooms/{quote(room.room_id)}/state/m.room.join_rules/"
            await self.api.request("PUT", path, space_join_rules(parent, locked=locked))
        return changed

    def since(self, seconds: float) -> int:
        """The instant ``seconds`` ago, as the database stores it."""
        return now_ms() - int(seconds * 1000)
