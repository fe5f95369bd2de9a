"""The admin room's alerts (a background task of the moderation bot) and the quick actions
moderators take by reacting to them.

Whoever detects something (the appservice for join waves and policy changes, the protections,
``!signaler``) writes a ``moderation_alert`` row in the transaction that decided it;
:class:`ModerationAlertSender` sends each row to the admin room, encrypted, as an ``m.notice``
whose transaction id is made from the row's id, so a crash between sending and marking never
posts twice. The row keeps the message's id: a reaction on that message is a quick action
(:class:`QuickActions`), taken only from a moderator (power 50 or more in the admin room, read
at reaction time):

- on a report: 🔨 bans the author from the whole campaign (a rule in the campaign's list),
  🗑️ redacts the reported message, 👢 kicks the author from that room, ✅ dismisses it;
- on a join wave (or a lockdown): 🔓 unlocks the room.

Each is answered in the admin room, as a reply to the alert, saying who did what; a report
already handled says by whom.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass, field
from html import escape
from typing import Any

from bridge.db.moderation_actions import ActionKind, ActionRequest
from bridge.db.moderation_alerts import Alert, Report
from bridge.domain.moderation.policy import RuleKind

from .client import BotClient
from .homeserver_api import HomeserverError
from .i18n import MESSAGES, Language, translate
from .moderation_rooms import RoomPowers, admin_powers, room_label
from .moderation_services import ModerationServices, NoPolicyList
from .moderation_views import Line, Notice, alert_content, with_users

log = logging.getLogger("bots.moderation.alerts")

POLL_SECONDS = 1.0
RETRY_BASE_S = 2.0
RETRY_MAX_S = 300.0

#: Reactions on a report, and what each does (variation selectors removed).
REPORT_ACTIONS = {
    "🔨": "banned",
    "🗑": "redacted",
    "👢": "kicked",
    "✅": "dismissed",
    "✔": "dismissed",
}
UNLOCK_KEYS = frozenset({"🔓"})


def alert_key(alert: Alert) -> str:
    """What names an alert's message: its transaction id is made from it (and the room)."""
    return f"moderation-alert/{alert.id}"


def reaction_key(key: str) -> str:
    """A reaction's emoji without variation selectors: "🗑️" and "🗑" are the same."""
    return key.replace("\ufe0f", "").strip()


@dataclass
class ModerationAlertSender:
    """Sends what the alert outbox holds to the admin room (a background task)."""

    moderation: ModerationServices
    language: Language
    _retry: dict[int, tuple[float, int]] = field(default_factory=dict)

    async def __call__(self, bot: BotClient) -> None:
        while True:
            await self.round(bot)
            await asyncio.sleep(POLL_SECONDS)

    async def round(self, bot: BotClient) -> int:
        """Send the pending alerts; returns how many were sent. Nothing is sent until the
        admin room exists and the bot's sync knows it (it joined: members to encrypt for)."""
        room_id = await self.moderation.admin_room()
        client = bot.client
        if room_id is None or client is None or room_id not in client.rooms:
            return 0
        sent = 0
        for alert in await self.moderation.alerts.pending():
            if self._retry.get(alert.id, (0.0, 0))[0] > time.monotonic():
                continue
            try:
                content = await self.content(alert)
                event_id = await bot.send_message(room_id, content, key=alert_key(alert))
            except Exception as error:
                attempts = self._retry.get(alert.id, (0.0, 0))[1] + 1
                delay = min(RETRY_BASE_S * 2**attempts, RETRY_MAX_S)
                self._retry[alert.id] = (time.monotonic() + delay, attempts)
                log.warning(
                    "Alert %s (%s) failed, retry in %.0f s: %s", alert.id, alert.kind, delay, error
                )
                await self.moderation.alerts.failed(alert.id, f"{type(error).__name__}: {error}")
                continue
            self._retry.pop(alert.id, None)
            await self.moderation.alerts.sent(alert.id, event_id)
            log.info("Alert %s (%s) sent to the admin room as %s", alert.id, alert.kind, event_id)
            sent += 1
        return sent

    async def content(self, alert: Alert) -> dict[str, Any]:
        report = None
        room_id = alert.room_id
        if alert.kind == "report":
            report = await self.moderation.reports.get(int(alert.payload.get("report_id", 0)))
            room_id = report.room_id if report else room_id
        room_id = room_id or alert.payload.get("room_id")
        room = await self.moderation.rooms.get(str(room_id)) if room_id else None
        room_name = room_label(room) if room else None
        knock = room is not None and self.moderation.knocks_when_locked(room)
        return alert_content(
            alert, report=report, room_name=room_name, language=self.language, knock=knock
        )


@dataclass
class QuickActions:
    """Reactions of moderators on the alerts of the admin room."""

    moderation: ModerationServices
    language: Language

    async def reacted(
        self, bot: BotClient, room_id: str, sender: str, reaction_id: str, target: str, key: str
    ) -> None:
        emoji = reaction_key(key)
        if emoji not in REPORT_ACTIONS and emoji not in UNLOCK_KEYS:
            return
        if room_id != await self.moderation.admin_room():
            return
        alert = await self.moderation.alerts.by_message(target)
        if alert is None:
            return
        powers = await admin_powers(self.moderation)
        if powers is None:
            return
        line: Line | None
        if not powers.is_moderator(sender):
            line = with_users("moderation.quick.not_moderator", self.language, {"user": sender})
        elif alert.kind == "report" and emoji in REPORT_ACTIONS:
            line = await self.on_report(alert, sender, REPORT_ACTIONS[emoji], powers)
        elif alert.kind in ("join_wave", "lockdown") and emoji in UNLOCK_KEYS:
            line = await self.unlock(alert, sender)
        else:
            line = None
        if line is None:
            return
        content = Notice().line(*line).content()
        content["m.relates_to"] = {"m.in_reply_to": {"event_id": target}}
        await bot.send_message(room_id, content, key=f"quick/{reaction_id}")

    async def redacted(self, bot: BotClient, room_id: str, sender: str, redacted: str) -> None:
        """Taking a reaction back undoes nothing: the action was announced and carried out."""

    async def on_report(
        self, alert: Alert, moderator: str, resolution: str, powers: RoomPowers
    ) -> Line | None:
        report = await self.moderation.reports.get(int(alert.payload.get("report_id", 0)))
        if report is None:
            return None
        if report.handled_by is not None:
            return self.already(report)
        language = self.language
        users = {"moderator": moderator, "user": report.reported_user}
        actions: list[ActionRequest] = []
        if resolution == "banned":
            author = report.reported_user
            if author in self.moderation.our_users or powers.is_moderator(author):
                return with_users("moderation.quick.refused", language, {"user": author})
            reason = translate("moderation.quick.ban_reason", language, id=report.id)
            try:
                await self.moderation.write_rule(RuleKind.USER, author, reason)
            except (HomeserverError, NoPolicyList) as error:
                return with_users(
                    "moderation.quick.failed", language, {"moderator": moderator}, error=error
                )
        elif resolution in ("redacted", "kicked"):
            actions.append(
                ActionRequest(
                    room_id=report.room_id,
                    user_id=report.reported_user,
                    kind=ActionKind.REDACT if resolution == "redacted" else ActionKind.KICK,
                    reason=translate("moderation.quick.action_reason", language, id=report.id),
                    cause=f"report:{report.id}",
                    requested_by=moderator,
                    target_event=report.event_id if resolution == "redacted" else None,
                )
            )
        handled = await self.moderation.reports.handle(
            report.id, handled_by=moderator, resolution=resolution, actions=actions
        )
        if not handled:
            return self.already(await self.moderation.reports.get(report.id) or report)
        room = await self.moderation.rooms.get(report.room_id)
        return with_users(
            f"moderation.quick.{resolution}",
            language,
            users,
            id=report.id,
            room=room_label(room) if room else report.room_id,
        )

    def already(self, report: Report) -> Line:
        key = f"moderation.resolution.{report.resolution}"
        resolution = translate(key, self.language) if key in MESSAGES else report.resolution or "?"
        return with_users(
            "moderation.quick.already",
            self.language,
            {"moderator": report.handled_by or "?"},
            id=report.id,
            resolution=resolution,
        )

    async def unlock(self, alert: Alert, moderator: str) -> Line | None:
        room_id = alert.payload.get("room_id") or alert.room_id
        if not isinstance(room_id, str):
            return None
        room = await self.moderation.rooms.get(room_id)
        label = room_label(room) if room else str(alert.payload.get("room_name") or room_id)
        if room is None:
            return None
        unlocked = await self.moderation.set_lockdown(room, locked=False, by=moderator)
        if not unlocked:
            text = translate("moderation.quick.not_locked", self.language, room=label)
            return text, escape(text)
        return with_users(
            "moderation.quick.unlocked", self.language, {"moderator": moderator}, room=label
        )
