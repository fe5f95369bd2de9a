"""What the moderation bot does with what is said and who joins in team rooms: the protections
(:class:`bridge.domain.moderation.protections.Protection`) it can judge because it reads the
rooms' encrypted messages.

Watched: team rooms only (never the admin room, DMs or policy lists), people who are neither the
campaign's bots nor moderators of the room (power 50 or more: the team's managers and
referents), and each protection only where it is on (the room's switch, else the global one,
else the configuration).

- ``words``: a message (its body, HTML body, caption, file name; an edit's new content) with a
  forbidden word (:mod:`bridge.domain.moderation.words`).
- ``mentions``: a message mentioning more than ``moderation.max_mentions`` people, or the whole
  room (``@room``) (:func:`bridge.domain.moderation.messages.mentions`).
- ``new_member_links``: a message that is only links or media (a sticker too) from a member who
  joined less than ``moderation.new_member_minutes`` before sending it. When the member joined
  is read from the join log the appservice keeps (``room_join``), else from the join this bot
  saw in its sync since it started; a member whose join neither saw joined before moderation
  started watching, and is not new.
- ``display_names``: a member who joins, or changes their display name, with a forbidden word
  in it.

A message caught is removed (a ``redact`` action, carried out by the appservice), its author
warned in reply (encrypted; the reason in general terms, never the word; the warnings left before
a ban); a member with a forbidden name is kicked (a ``kick`` action, with a reason that does not
repeat the word). Each offence is a strike and a ``protection`` alert for the admin room, written
in one transaction; the strike that reaches ``moderation.strikes_before_ban`` bans the person
from every managed room: a rule in the campaign's policy list, which the appservice applies.

Seeing an event again (after a restart) changes nothing: a strike is recorded once per event
and protection, and actions and alerts only with a new strike; the warning is sent with a
transaction id made from the event, so the homeserver drops a repeat.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from html import escape
from typing import Any

from nio import MatrixRoom

from bridge.db.managed_rooms import ManagedKind
from bridge.db.moderation_actions import ActionKind, ActionRequest, enqueue_actions
from bridge.db.moderation_alerts import raise_alert
from bridge.db.room_guard import RoomGuard
from bridge.domain.moderation.messages import (
    excerpt,
    is_only_links_or_media,
    mentions,
    message_texts,
)
from bridge.domain.moderation.policy import RuleKind
from bridge.domain.moderation.protections import MODERATOR_POWER, Protection
from bridge.domain.moderation.words import WordList

from .bot_hooks import MessageWatcher
from .client import BotClient
from .i18n import Language, translate, translate_count
from .moderation_services import ModerationServices
from .services import BotServices

log = logging.getLogger("bots.moderation.protections")

#: People with this power in a room moderate it: never filtered there.
#: The kind of alert a protection raises (payload: :func:`alert_payload`).
ALERT_KIND = "protection"
EXCERPT_CHARS = 200


@dataclass(frozen=True)
class Offence:
    """What a protection caught: ``event_id`` (a message, or a membership change) by
    ``user_id`` in ``room_id``."""

    protection: Protection
    room_id: str
    user_id: str
    event_id: str
    excerpt: str

    @property
    def removes_message(self) -> bool:
        return self.protection is not Protection.DISPLAY_NAMES


def alert_payload(offence: Offence, action: str, strikes: int) -> dict[str, Any]:
    """The ``protection`` alert's payload (the contract with the admin room's sender)."""
    return {
        "protection": offence.protection.value,
        "user_id": offence.user_id,
        "room_id": offence.room_id,
        "event_id": offence.event_id,
        "action": action,
        "strikes": strikes,
        "excerpt": offence.excerpt[:EXCERPT_CHARS],
    }


class ProtectionWatcher(MessageWatcher):
    """The moderation bot's :class:`~bots.bot_hooks.MessageWatcher`."""

    def __init__(self, moderation: ModerationServices, language: Language) -> None:
        self.moderation = moderation
        self.language = language
        self.words = WordList(moderation.settings.words)
        # Joins this bot saw in its sync, by (room, user): when the join log has none yet.
        self._joins_seen: dict[tuple[str, str], int] = {}

    @classmethod
    def of(cls, services: BotServices) -> ProtectionWatcher:
        if services.moderation is None:
            raise ValueError("the protections need BotServices.moderation")
        return cls(services.moderation, services.language)

    # --- MessageWatcher ----------------------------------------------------------------------

    async def message(self, bot: BotClient, room: MatrixRoom, event: dict[str, Any]) -> None:
        sender, event_id = event.get("sender"), event.get("event_id")
        content = event.get("content")
        if not isinstance(sender, str) or not isinstance(event_id, str):
            return
        if not isinstance(content, Mapping) or not content:
            return  # Redacted: nothing to judge.
        if not await self._watched(room, sender):
            return
        offence = await self._judge_message(room, event, sender, event_id, content)
        if offence is not None:
            await self._act(bot, room, offence)

    async def member(self, bot: BotClient, room: MatrixRoom, event: dict[str, Any]) -> None:
        user_id, event_id = event.get("state_key"), event.get("event_id")
        content = event.get("content") or {}
        if not isinstance(user_id, str) or not isinstance(event_id, str):
            return
        if content.get("membership") != "join":
            self._joins_seen.pop((room.room_id, user_id), None)
            return
        previous = _previous_content(event)
        joined_now = previous.get("membership") != "join"
        if joined_now and isinstance(event.get("origin_server_ts"), int):
            self._joins_seen[(room.room_id, user_id)] = event["origin_server_ts"]
        name = content.get("displayname")
        if not isinstance(name, str) or not name.strip():
            return
        if not joined_now and name == previous.get("displayname"):
            return  # Another change (e.g. the avatar): the name was already judged.
        if not self.words or not await self._watched(room, user_id):
            return
        if not await self.moderation.is_enabled(Protection.DISPLAY_NAMES, room.room_id):
            return
        if self.words.find(name) is not None:
            offence = Offence(Protection.DISPLAY_NAMES, room.room_id, user_id, event_id, name)
            await self._act(bot, room, offence)

    # --- Judging -----------------------------------------------------------------------------

    async def _watched(self, room: MatrixRoom, user_id: str) -> bool:
        """Whether ``user_id`` is watched in ``room``: a team room, not our bots, not its
        moderators."""
        # The rooms' creator (unlimited power in room version 12) is the appservice's bot.
        if user_id in self.moderation.our_users:
            return False
        if room.power_levels.get_user_level(user_id) >= MODERATOR_POWER:
            return False
        managed = await self.moderation.rooms.get(room.room_id)
        return managed is not None and managed.kind is ManagedKind.TEAM

    async def _judge_message(
        self,
        room: MatrixRoom,
        event: Mapping[str, Any],
        sender: str,
        event_id: str,
        content: Mapping[str, Any],
    ) -> Offence | None:
        """The first protection the message breaks, or None."""
        room_id = room.room_id
        enabled = self.moderation.is_enabled
        settings = self.moderation.settings

        def caught(protection: Protection) -> Offence:
            return Offence(protection, room_id, sender, event_id, excerpt(content))

        # Each check is cheap and pure; whether the protection is on is asked only then.
        said = self.words.find_in(message_texts(content))
        if said is not None and await enabled(Protection.WORDS, room_id):
            return caught(Protection.WORDS)
        names = {uid: u.display_name for uid, u in room.users.items() if u.display_name}
        mentioned = mentions(content, sender=sender, names=names)
        too_many = len(mentioned) > settings.max_mentions or mentioned.room
        if too_many and await enabled(Protection.MENTIONS, room_id):
            return caught(Protection.MENTIONS)
        sent_at = event.get("origin_server_ts")
        event_type = str(event.get("type") or "m.room.message")
        if (
            is_only_links_or_media(event_type, content)
            and isinstance(sent_at, int)
            and await self._is_new(room_id, sender, sent_at)
            and await enabled(Protection.NEW_MEMBER_LINKS, room_id)
        ):
            return caught(Protection.NEW_MEMBER_LINKS)
        return None

    async def _is_new(self, room_id: str, user_id: str, at: int) -> bool:
        """Whether ``user_id`` had joined ``room_id`` less than ``new_member_minutes`` before
        ``at``; a join no one saw is an old one."""
        joined = await self.moderation.guard.joined_at(room_id, user_id)
        if joined is None:
            joined = self._joins_seen.get((room_id, user_id))
        if joined is None:
            return False
        return at - joined < self.moderation.settings.new_member_minutes * 60_000

    # --- Acting ------------------------------------------------------------------------------

    async def _act(self, bot: BotClient, room: MatrixRoom, offence: Offence) -> None:
        moderation, language = self.moderation, self.language
        limit = moderation.settings.strikes_before_ban
        kind = ActionKind.REDACT if offence.removes_message else ActionKind.KICK
        reason_key = (
            "protection.redact_reason" if offence.removes_message else ("protection.kick_reason")
        )
        action = ActionRequest(
            room_id=offence.room_id,
            user_id=offence.user_id,
            kind=kind,
            reason=translate(reason_key, language),
            cause=f"protection:{offence.protection.value}",
            requested_by=moderation.bot_user_id,
            target_event=offence.event_id if offence.removes_message else None,
        )
        db = moderation.guard.db
        async with db.acquire() as conn, conn.transaction():  # type: ignore[var-annotated]
            strikes, new = await RoomGuard.record_strike(
                conn, offence.user_id, offence.room_id, offence.event_id, offence.protection
            )
            banned = strikes >= limit
            if new:
                await enqueue_actions(conn, [action])
                done = "banned" if banned else ("redacted" if offence.removes_message else "kicked")
                payload = alert_payload(offence, done, strikes)
                await raise_alert(conn, ALERT_KIND, payload, offence.room_id)
        log.info(
            "%s by %s in %s (%s): %s, strike %d of %d%s",
            offence.protection.value,
            offence.user_id,
            offence.room_id,
            offence.event_id,
            kind.value,
            strikes,
            limit,
            "" if new else " (seen before)",
        )
        if banned:
            await self._ban(offence.user_id, limit)
        if offence.removes_message:
            await self._warn(bot, room, offence, strikes_left=max(limit - strikes, 0))

    async def _ban(self, user_id: str, limit: int) -> None:
        """Ban ``user_id`` from every managed room: a rule in the campaign's policy list (the
        same rule again, for an event seen twice, changes nothing)."""
        reason = translate("protection.ban_reason", self.language, count=limit)
        try:
            await self.moderation.write_rule(RuleKind.USER, user_id, reason)
        except Exception:
            # Without the rule (no policy list yet, homeserver unreachable), the ban must not be
            # lost: ban actions in every managed room, which the appservice carries out.
            log.exception(
                "Could not write the ban rule of %s after %d strikes; banning room by room",
                user_id,
                limit,
            )
            bans = [
                ActionRequest(
                    room_id=room_id,
                    user_id=user_id,
                    kind=ActionKind.BAN,
                    reason=reason,
                    cause="protection:strikes",
                    requested_by=self.moderation.bot_user_id,
                )
                for room_id in await self.moderation.rooms.room_ids()
            ]
            await self.moderation.actions.enqueue(bans)

    async def _warn(
        self, bot: BotClient, room: MatrixRoom, offence: Offence, *, strikes_left: int
    ) -> None:
        """Tell the author in reply why their message was removed (encrypted by the bot)."""
        language = self.language
        name = room.user_name(offence.user_id) or offence.user_id
        pill = f'<a href="https://matrix.to/#/{escape(offence.user_id)}">{escape(name)}</a>'
        key = f"protection.warning.{offence.protection.value}"
        limit = self.moderation.settings.max_mentions
        if strikes_left:
            tail = translate_count("protection.strikes_left", strikes_left, language)
        else:
            tail = translate("protection.banned", language)
        body = translate(key, language, author=name, limit=limit) + " " + tail
        html = translate(key, language, author=pill, limit=limit) + " " + escape(tail)
        content = {
            "msgtype": "m.notice",
            "body": body,
            "format": "org.matrix.custom.html",
            "formatted_body": html,
            "m.mentions": {"user_ids": [offence.user_id]},
            "m.relates_to": {"m.in_reply_to": {"event_id": offence.event_id}},
        }
        try:
            await bot.send_message(offence.room_id, content, key=f"protection/{offence.event_id}")
        except Exception:
            log.exception("Could not warn %s in %s", offence.user_id, offence.room_id)


def _previous_content(event: Mapping[str, Any]) -> Mapping[str, Any]:
    """A membership event's previous content (``unsigned.prev_content``, or the older
    top-level ``prev_content``)."""
    unsigned = event.get("unsigned")
    previous = unsigned.get("prev_content") if isinstance(unsigned, Mapping) else None
    if not isinstance(previous, Mapping):
        previous = event.get("prev_content")
    return previous if isinstance(previous, Mapping) else {}
