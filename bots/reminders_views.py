"""What the reminders bot writes: its answers (a reminder set, the list, a snooze...) and the
reminders it delivers (personal ones, and those of the events people go to)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from html import escape
from typing import Any
from zoneinfo import ZoneInfo

from bridge.db.events import Event
from bridge.db.reminders import Reminder
from bridge.domain.reminders import recurrence_from_json
from ralliement.when import Frequency, Recurrence

from .commands import Reply
from .i18n import Language, format_moment, translate, translate_count

#: The key of delivered reminders' content naming the reminder (read back by !plus-tard).
REMINDER_KEY = "org.ralliement.reminder"
#: Reminders shown by !rappels; the others are counted.
LIST_LIMIT = 30

_WEEKDAYS_PLURAL: dict[Language, tuple[str, ...]] = {
    "fr": ("lundis", "mardis", "mercredis", "jeudis", "vendredis", "samedis", "dimanches"),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
}
_WEEKDAYS: dict[Language, tuple[str, ...]] = {
    "fr": ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"),
    "en": _WEEKDAYS_PLURAL["en"],
}


def _ms_to(moment_ms: int, zone: ZoneInfo) -> datetime:
    return datetime.fromtimestamp(moment_ms / 1000, UTC).astimezone(zone)


def _clock(hour: int, minute: int, language: Language) -> str:
    return f"{hour:02d}:{minute:02d}" if language == "en" else f"{hour}h{minute:02d}"


def _joined(items: Sequence[str], language: Language) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + translate("reminder.and", language) + items[-1]


def _ordinal(day: int, language: Language) -> str:
    if language != "en":
        return "1er" if day == 1 else str(day)
    suffix = "th" if 10 <= day % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{day}{suffix}"


def rule_words(rule: Recurrence, language: Language) -> str:
    """A repetition in words: "tous les mardis à 19h00", "every other Friday at 17:00"."""
    names = _WEEKDAYS_PLURAL.get(language) or _WEEKDAYS_PLURAL["fr"]
    single = _WEEKDAYS.get(language) or _WEEKDAYS["fr"]
    n = rule.interval
    if rule.frequency is Frequency.DAILY:
        text = translate("reminder.rule.daily" if n == 1 else "reminder.rule.days", language,
                         count=n)  # fmt: skip
    elif rule.frequency is Frequency.WEEKLY:
        plural = _joined([names[d] for d in rule.weekdays], language)
        singular = _joined([single[d] for d in rule.weekdays], language)
        if not rule.weekdays:
            key = "reminder.rule.weekly" if n == 1 else "reminder.rule.weeks"
        elif n == 1:
            key = "reminder.rule.weekdays"
        elif n == 2 and len(rule.weekdays) == 1:
            key, plural = "reminder.rule.other_week", singular
        else:
            key, plural = "reminder.rule.weeks", singular
        text = translate(key, language, days=plural, count=n)
    else:
        day = _ordinal(rule.month_day, language) if rule.month_day else ""
        if n == 1:
            key = "reminder.rule.month_day" if day else "reminder.rule.monthly"
        else:
            key = "reminder.rule.months"
        text = translate(key, language, day=day, count=n)
    if rule.at is None:
        return text
    clock = _clock(rule.at.hour, rule.at.minute, language)
    return translate("reminder.rule.at", language, rule=text, time=clock)


def length_words(length: timedelta, language: Language) -> str:
    """A length, rounded as people say it: "45 min", "1 h 30", "3 h", "2 jours"."""
    minutes = max(0, round(length.total_seconds() / 60))
    if minutes < 60:
        return translate("reminder.length.minutes", language, count=minutes)
    hours, rest = divmod(minutes, 60)
    if hours >= 48:
        days = round(minutes / (24 * 60))
        return translate_count("reminder.length.days", days, language)
    if hours >= 3 or rest == 0:
        return translate("reminder.length.hours", language, count=round(minutes / 60))
    return translate("reminder.length.hours_minutes", language, count=hours, minutes=rest)


def delay_words(due_ms: int, now: datetime, language: Language) -> str:
    """How long until ``due_ms``: "dans 2 h", "in 3 days"."""
    left = timedelta(milliseconds=due_ms - int(now.timestamp() * 1000))
    if left <= timedelta(seconds=30):
        return translate("reminder.now", language)
    return translate("reminder.in", language, length=length_words(left, language))


def when_words(due_ms: int, zone: ZoneInfo, now: datetime, language: Language) -> str:
    """A reminder's moment: "ven. 20 nov. à 18h00" ("le" added in French, "on" in English)."""
    moment = format_moment(due_ms, None, zone, language, this_year=now.astimezone(zone).year)
    return f"on {moment}" if language == "en" else f"le {moment}"


def _reply(lines: list[str], html: list[str] | None = None) -> Reply:
    return Reply("\n".join(lines), "<br>".join(html or [escape(line) for line in lines]))


def created(
    reminder: Reminder, zone: ZoneInfo, now: datetime, language: Language, *, show_zone: bool
) -> Reply:
    """The answer to !rappel: when, what, how often, and the id to cancel it."""
    when = when_words(reminder.due_at, zone, now, language)
    if show_zone:
        when += f" ({translate('reminder.zone', language, zone=zone.key)})"
    values = {"when": when, "delay": delay_words(reminder.due_at, now, language)}
    if reminder.recurrence:
        rule = rule_words(recurrence_from_json(reminder.recurrence), language)
        first = translate("reminder.created.recurring", language, text=reminder.text, rule=rule,
                          **values)  # fmt: skip
    else:
        first = translate("reminder.created", language, text=reminder.text, **values)
    second = translate("reminder.created.id", language, id=reminder.id)
    html_second = translate("reminder.created.id", language, id=f"<code>{reminder.id}</code>")
    return _reply([first, second], [escape(first), html_second])


def snoozed(reminder: Reminder, zone: ZoneInfo, now: datetime, language: Language) -> Reply:
    when = when_words(reminder.due_at, zone, now, language)
    delay = delay_words(reminder.due_at, now, language)
    return _reply([translate("reminder.snoozed", language, when=when, delay=delay, id=reminder.id)])


def cancelled(reminder: Reminder, language: Language) -> Reply:
    if reminder.recurrence:
        rule = rule_words(recurrence_from_json(reminder.recurrence), language)
        text = translate("reminder.cancelled.recurring", language, id=reminder.id, rule=rule,
                         text=reminder.text)  # fmt: skip
    else:
        text = translate("reminder.cancelled", language, id=reminder.id, text=reminder.text)
    return _reply([text])


def reminder_list(
    reminders: Sequence[Reminder], zone: ZoneInfo, now: datetime, language: Language
) -> Reply:
    """!rappels: each reminder to come with its id, local time, text and repetition."""
    if not reminders:
        return _reply([translate("reminder.list.empty", language)])
    header = translate_count("reminder.list.header", len(reminders), language)
    lines, items = [header], []
    this_year = now.astimezone(zone).year
    for reminder in reminders[:LIST_LIMIT]:
        moment = format_moment(reminder.due_at, None, zone, language, this_year=this_year)
        rule = ""
        if reminder.recurrence:
            rule = f" (🔁 {rule_words(recurrence_from_json(reminder.recurrence), language)})"
        lines.append(f"• {reminder.id} — {moment} — {reminder.text}{rule}")
        items.append(f"<li><code>{reminder.id}</code> — {escape(moment)} — "
                     f"{escape(reminder.text)}{escape(rule)}</li>")  # fmt: skip
    tail = []
    if len(reminders) > LIST_LIMIT:
        tail.append(translate("reminder.list.more", language, count=len(reminders) - LIST_LIMIT))
    tail.append(translate("reminder.list.footer", language))
    lines += tail
    html = f"<p>{escape(header)}</p><ul>{''.join(items)}</ul>"
    html += "".join(f"<p>{escape(line)}</p>" for line in tail)
    return Reply("\n".join(lines), html)


def offsets_words(offsets: Sequence[timedelta], language: Language) -> str:
    """ "24 h et 1 h avant", or "aucun (off)"."""
    if not offsets:
        return translate("reminder.offsets.none", language)
    lengths = _joined([length_words(offset, language) for offset in offsets], language)
    return translate("reminder.offsets.before", language, offsets=lengths)


def time_words(now: datetime, zone: ZoneInfo, language: Language) -> str:
    local = now.astimezone(zone)
    return _clock(local.hour, local.minute, language)


# --- Delivered reminders -------------------------------------------------------------------------


def _pill(user_id: str) -> str:
    return f'<a href="https://matrix.to/#/{escape(user_id)}">{escape(user_id)}</a>'


def _content(
    reminder: Reminder, lines: list[str], html: list[str], *, mention: bool
) -> dict[str, Any]:
    content: dict[str, Any] = {
        "msgtype": "m.text",
        "body": "\n".join(lines),
        "format": "org.matrix.custom.html",
        "formatted_body": "<br>".join(html),
        REMINDER_KEY: {"id": reminder.id, "occurrence": reminder.occurrence},
    }
    if mention:
        content["m.mentions"] = {"user_ids": [reminder.user_id]}
    return content


def _tail(lines: list[str], html: list[str], late: bool, language: Language) -> None:
    if late:
        notice = translate("reminder.message.late", language)
        lines.append(notice)
        html.append(f"<em>{escape(notice)}</em>")


def personal_content(
    reminder: Reminder, late: bool, language: Language, *, group_room: bool
) -> dict[str, Any]:
    """A personal reminder as delivered: its text (naming the person in a group room), late or
    not, how to snooze it; mentions the person so that their client notifies them."""
    if group_room:
        key = "reminder.message.for"
        first = translate(key, language, user=reminder.user_id, text=reminder.text)
        marked = escape(translate(key, language, user="\ue000", text=reminder.text))
        first_html = marked.replace("\ue000", _pill(reminder.user_id))
    else:
        first = translate("reminder.message", language, text=reminder.text)
        first_html = escape(first)
    lines, html = [first], [f"<strong>{first_html}</strong>"]
    _tail(lines, html, late, language)
    hint = translate("reminder.message.snooze", language)
    lines.append(hint)
    html.append(f"<small>{escape(hint)}</small>")
    return _content(reminder, lines, html, mention=True)


def event_content(
    reminder: Reminder, event: Event, late: bool, now: datetime, language: Language
) -> dict[str, Any]:
    """An event's reminder: to a person going (in their DM) or to the team room; title, how
    long until it starts, when and where."""
    zone = ZoneInfo(event.timezone)
    key = "reminder.event.room" if reminder.kind == "event_room" else "reminder.event.attendee"
    delay = delay_words(event.start_at, now, language)
    when = format_moment(event.start_at, event.end_at, zone, language,
                         this_year=now.astimezone(zone).year)  # fmt: skip
    lines = [
        translate(key, language, title=event.title, delay=delay),
        translate("reminder.event.when", language, when=when),
    ]
    if event.place:
        lines.append(translate("reminder.event.where", language, place=event.place))
    html = [escape(line) for line in lines]
    html[0] = f"<strong>{html[0]}</strong>"
    _tail(lines, html, late, language)
    content = _content(reminder, lines, html, mention=reminder.kind != "event_room")
    if event.latitude is not None and event.longitude is not None:
        uri = f"geo:{event.latitude:.6f},{event.longitude:.6f}"
        content["geo_uri"] = uri
        content["org.matrix.msc3488.location"] = {"uri": uri, "description": event.place}
    return content


def report_content(
    reminder: Reminder, event: Event, team_name: str, late: bool, now: datetime, language: Language
) -> dict[str, Any]:
    """The organiser's nudge, the day after, to post a report."""
    zone = ZoneInfo(event.timezone)
    when = format_moment(event.start_at, None, zone, language,
                         this_year=now.astimezone(zone).year)  # fmt: skip
    line = translate("reminder.event.report", language, title=event.title, when=when,
                     team=team_name)  # fmt: skip
    lines, html = [line], [escape(line)]
    _tail(lines, html, late, language)
    return _content(reminder, lines, html, mention=True)
