"""What moderators read in the admin room: the alerts (join waves, reports, protections, policy
changes, lockdowns) and the moderation commands' answers, as one notice each (plain body and
HTML, users as pills).

An alert never shows a supporter's email, only Matrix IDs, room names and (for reports and
protections) the excerpt the alert carries.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape
from typing import Any

from bridge.db.moderation_alerts import Alert, Report

from .commands import Reply
from .i18n import MESSAGES, Language, translate

Line = tuple[str, str]  # (plain, html)

#: The content key naming the alert a message shows: ``{"id", "kind"}``.
ALERT_KEY = "org.ralliement.moderation_alert"


def pill(user_id: str) -> str:
    """A user as a pill (an HTML link to their matrix.to page)."""
    return f'<a href="https://matrix.to/#/{escape(user_id)}">{escape(user_id)}</a>'


def event_link(room_id: str, event_id: str) -> str:
    """The matrix.to link of an event."""
    return f"https://matrix.to/#/{room_id}/{event_id}"


@dataclass
class Notice:
    """A notice being written: lines of text, each with its HTML, and bulleted lists."""

    body: list[str] = field(default_factory=list)
    html: list[str] = field(default_factory=list)

    def line(self, text: str, html: str | None = None) -> Notice:
        self.body.append(text)
        self.html.append(f"<p>{html if html is not None else escape(text)}</p>")
        return self

    def bullets(self, items: list[tuple[str, str]]) -> Notice:
        """Items as (text, html)."""
        if items:
            self.body.extend(f"• {text}" for text, _ in items)
            self.html.append("<ul>" + "".join(f"<li>{html}</li>" for _, html in items) + "</ul>")
        return self

    def users(self, user_ids: list[str]) -> Notice:
        return self.bullets([(user, pill(user)) for user in user_ids])

    def reply(self) -> Reply:
        return Reply("\n".join(self.body), "".join(self.html))

    def content(self) -> dict[str, Any]:
        """An ``m.notice`` that mentions nobody (pills notify no one)."""
        return {
            "msgtype": "m.notice",
            "body": "\n".join(self.body),
            "format": "org.matrix.custom.html",
            "formatted_body": "".join(self.html),
            "m.mentions": {},
        }


def with_users(key: str, language: Language, users: dict[str, str], **values: Any) -> Line:
    """The sentence ``key`` with ``users`` (placeholder → user ID) as text and as pills."""
    text = translate(key, language, **values, **users)
    escaped = {name: escape(str(value)) for name, value in values.items()}
    html = translate(key, language, **escaped, **{k: pill(v) for k, v in users.items()})
    return text, html


def entry_words(knock: bool, language: Language) -> str:
    """How people still get into a locked room: by invitation, or also by asking to join
    (``knock``: a team room of a campaign that allows knocking)."""
    return translate("moderation.entry.knock" if knock else "moderation.entry.invite", language)


def protection_words(name: str, language: Language) -> str:
    key = f"moderation.protection_name.{name}"
    return translate(key, language) if key in MESSAGES else name


# --- Alerts ------------------------------------------------------------------------------------


def join_wave_notice(payload: dict[str, Any], language: Language, *, knock: bool = False) -> Notice:
    joiners = [str(user) for user in payload.get("joiners") or []]
    room = str(payload.get("room_name") or payload.get("room_id") or "?")
    notice = Notice()
    notice.line(
        translate(
            "moderation.alert.join_wave",
            language,
            room=room,
            joins=payload.get("joins", len(joiners)),
            seconds=payload.get("seconds", "?"),
            entry=entry_words(knock, language),
        )
    )
    notice.line(translate("moderation.alert.joiners", language)).users(joiners)
    return notice.line(translate("moderation.alert.join_wave_hint", language))


def report_notice(
    report: Report | None, report_id: int, room_name: str | None, language: Language
) -> Notice:
    notice = Notice()
    if report is None:
        return notice.line(translate("moderation.alert.report_missing", language, id=report_id))
    users = {"reported": report.reported_user, "reporter": report.reporter}
    notice.line(
        *with_users(
            "moderation.alert.report",
            language,
            users,
            id=report.id,
            room=room_name or report.room_id,
        )
    )
    if report.reason:
        notice.line(translate("moderation.alert.report_reason", language, reason=report.reason))
    if report.excerpt:
        notice.line(translate("moderation.alert.excerpt", language, excerpt=report.excerpt))
    link = event_link(report.room_id, report.event_id)
    anchor = f'<a href="{escape(link)}">{escape(link)}</a>'
    notice.line(
        translate("moderation.alert.link", language, link=link),
        translate("moderation.alert.link", language, link=anchor),
    )
    return notice.line(translate("moderation.alert.report_actions", language))


def protection_notice(payload: dict[str, Any], room_name: str | None, language: Language) -> Notice:
    action = str(payload.get("action") or "redacted")
    key = f"moderation.alert.protection.{action}"
    if key not in MESSAGES:
        key = "moderation.alert.protection.redacted"
    notice = Notice().line(
        *with_users(
            key,
            language,
            {"user": str(payload.get("user_id") or "?")},
            protection=protection_words(str(payload.get("protection") or "?"), language),
            room=room_name or str(payload.get("room_id") or "?"),
            strikes=payload.get("strikes", 1),
        )
    )
    if payload.get("excerpt"):
        notice.line(
            translate("moderation.alert.excerpt", language, excerpt=str(payload["excerpt"]))
        )
    return notice


def policy_notice(payload: dict[str, Any], language: Language) -> Notice:
    removed = payload.get("change") == "removed"
    key = "moderation.alert.policy.removed" if removed else "moderation.alert.policy.added"
    return Notice().line(
        *with_users(
            key,
            language,
            {"sender": str(payload.get("sender") or "?")},
            list=str(payload.get("list") or "?"),
            entity=str(payload.get("entity") or "?"),
            reason=str(payload.get("reason") or "—"),
            rooms=payload.get("rooms", 0),
        )
    )


def lockdown_notice(payload: dict[str, Any], language: Language) -> Notice:
    """Who locked or unlocked a room (``room_id``, ``room_name``, ``locked``, ``by``); a locked
    room's alert says 🔓 opens it."""
    locked = payload.get("locked", True) is not False
    key = "moderation.alert.lockdown.locked" if locked else "moderation.alert.lockdown.unlocked"
    room = str(payload.get("room_name") or payload.get("room_id") or "?")
    notice = Notice().line(
        *with_users(key, language, {"by": str(payload.get("by") or "?")}, room=room)
    )
    if locked:
        notice.line(translate("moderation.alert.lockdown_hint", language))
    return notice


def alert_notice(
    alert: Alert,
    *,
    report: Report | None,
    room_name: str | None,
    language: Language,
    knock: bool = False,
) -> Notice:
    """The notice an alert is shown as (``report`` for a report alert; ``room_name`` for the
    alert's room when the payload does not name it; ``knock``: the alert's room, locked, still
    lets people ask to join)."""
    payload = alert.payload
    if alert.kind == "join_wave":
        return join_wave_notice(payload, language, knock=knock)
    if alert.kind == "report":
        return report_notice(report, int(payload.get("report_id", 0)), room_name, language)
    if alert.kind == "protection":
        return protection_notice(payload, room_name, language)
    if alert.kind == "policy":
        return policy_notice(payload, language)
    if alert.kind == "lockdown":
        return lockdown_notice(payload, language)
    return Notice().line(translate("moderation.alert.unknown", language, kind=alert.kind))


def alert_content(
    alert: Alert,
    *,
    report: Report | None,
    room_name: str | None,
    language: Language,
    knock: bool = False,
) -> dict[str, Any]:
    """The message of an alert, marked with its id and kind (:data:`ALERT_KEY`)."""
    notice = alert_notice(alert, report=report, room_name=room_name, language=language, knock=knock)
    content = notice.content()
    content[ALERT_KEY] = {"id": alert.id, "kind": alert.kind}
    return content
