"""Event reminders: which reminders an event and its RSVPs owe, and when.

An event owes:

* each person going, one reminder (``event_attendee``, in their direct room with the reminders
  bot) per offset before the start: the campaign's default (``reminders.default_offsets``,
  :data:`DEFAULT_OFFSETS` = 24 h and 1 h when not given), or the person's own from
  ``reminder_settings.offsets`` ("off" for none, "24h,1h", "2h", ... read by
  :func:`.reminder_preferences.parse_offsets`);
* the team room, one reminder (``event_room``) at the start minus :data:`ROOM_OFFSET`;
* the organiser, a nudge to post a report (``event_report``) the day after: at
  :data:`REPORT_TIME` in the event's time zone on the day after the start, or the first such
  morning after the end for an event that runs past it.

A row names the event and the kind only (``room_id`` NULL, ``text`` empty): the reminders bot
finds the room (the person's direct room, the team's current room) and writes the text (title,
local time, place) when it sends, so an edit of the title or the place shows, and a room upgrade
needs no change here. The team room and report reminders are kept under the organiser's user ID.

The rules, applied in the same transaction as the change that calls for them:

* A reminder whose time is already past is not scheduled (no row): an event 30 minutes away gets
  no 24 h or 1 h reminder.
* RSVP "going": the person's reminders are scheduled; one cancelled before it was sent (they had
  said no, or cancelled it) comes back. "Not going" or a withdrawn RSVP: they are cancelled.
* Editing the time: every reminder still to be sent moves with it; one whose new time is past is
  removed; one whose time becomes future is added. A reminder already sent (or being sent) is
  left alone, so none is sent twice.
* Cancelling the event: every reminder still to be sent is cancelled (the cancellation itself is
  announced by the agenda bot).

Ids are deterministic, so running a hook again changes nothing (no duplicates): ``ev-<event>-room``,
``ev-<event>-report`` and ``ev-<event>-<person>-<offset>`` where ``<person>`` is 10 base-32
characters of a SHA-256 of the Matrix ID (50 bits: a clash between two people of one event is
about one in ten million for 10,000 people going) and ``<offset>`` reads like "24h", "1h30" or
"30min" (:func:`.reminder_preferences.format_offset`).
"""

from __future__ import annotations

import base64
import hashlib
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from mautrix.util.async_db import Connection, Database

from bridge.db.clock import now_ms
from bridge.db.event_reminders import EventReminderRows, NewReminder, ReminderState
from bridge.db.events import Event, EventRepository, EventStatus
from bridge.db.reminders import Reminder
from ralliement.when.model import localize

from .reminder_preferences import PreferenceError, format_offset, parse_offsets

log = logging.getLogger("bridge.event_reminders")

ATTENDEE = "event_attendee"
ROOM = "event_room"
REPORT = "event_report"
KINDS = (ATTENDEE, ROOM, REPORT)

DEFAULT_OFFSETS = (timedelta(hours=24), timedelta(hours=1))
ROOM_OFFSET = timedelta(hours=1)
REPORT_TIME = time(10, 0)


# --- offsets: "off", "24h,1h" (read and written by :mod:`.reminder_preferences`) ---------------


def offsets_setting(stored: str | None, default: Sequence[timedelta]) -> tuple[timedelta, ...]:
    """A person's offsets from their stored setting; the default without one (or with one that
    no longer reads, logged)."""
    if stored is None or not stored.strip():
        return tuple(default)
    try:
        return parse_offsets(stored)
    except PreferenceError as error:
        log.warning("Reminder offsets %r not understood (%s); the default applies", stored, error)
        return tuple(default)


# --- ids and times -----------------------------------------------------------------------------


def person_key(user_id: str) -> str:
    """10 base-32 characters standing for a Matrix ID in reminder ids."""
    digest = hashlib.sha256(user_id.encode()).digest()
    return base64.b32encode(digest).decode()[:10].lower()


def attendee_reminder_id(event_id: str, user_id: str, offset: timedelta) -> str:
    return f"ev-{event_id}-{person_key(user_id)}-{format_offset(offset)}"


def room_reminder_id(event_id: str) -> str:
    return f"ev-{event_id}-room"


def report_reminder_id(event_id: str) -> str:
    return f"ev-{event_id}-report"


def report_due(event: Event) -> int:
    """:data:`REPORT_TIME` on the day after the start, or the first such time after the end
    (wall-clock time of the event's zone, daylight saving included), in ms."""
    zone = ZoneInfo(event.timezone)
    day = datetime.fromtimestamp(event.start_at / 1000, zone).date()
    while True:
        day += timedelta(days=1)
        due = _ms(localize(datetime.combine(day, REPORT_TIME), zone))
        if due > event.end_at:
            return due


def attendee_plan(
    event: Event, user_id: str, offsets: Iterable[timedelta], now: int
) -> list[NewReminder]:
    """The reminders a person going owes to be sent from ``now`` on."""
    planned = (
        NewReminder(
            attendee_reminder_id(event.id, user_id, offset),
            user_id,
            ATTENDEE,
            event.start_at - int(offset.total_seconds() * 1000),
        )
        for offset in offsets
    )
    return [reminder for reminder in planned if reminder.due_at > now]


def event_plan(event: Event, now: int) -> list[NewReminder]:
    """The team room's reminder and the organiser's report nudge still to come at ``now``."""
    planned = (
        NewReminder(
            room_reminder_id(event.id),
            event.organizer,
            ROOM,
            event.start_at - int(ROOM_OFFSET.total_seconds() * 1000),
        ),
        NewReminder(report_reminder_id(event.id), event.organizer, REPORT, report_due(event)),
    )
    return [reminder for reminder in planned if reminder.due_at > now]


def _ms(moment: datetime) -> int:
    return int(moment.astimezone(UTC).timestamp() * 1000)


# --- the hooks -------------------------------------------------------------------------------


@dataclass(frozen=True)
class EventReminders:
    """Keeps an event's reminder rows in step with the event and its RSVPs. Each hook takes the
    connection of the transaction that changes the event (holding its lock)."""

    default_offsets: tuple[timedelta, ...] = DEFAULT_OFFSETS

    async def event_created(self, conn: Connection, event: Event, *, now: int) -> None:
        rows = EventReminderRows(conn)
        for reminder in event_plan(event, now):
            await rows.insert(reminder, event.id, event.timezone)

    async def rsvp_changed(
        self, conn: Connection, event: Event, user_id: str, *, going: bool, now: int
    ) -> None:
        """``user_id`` answered: their reminders scheduled (going) or cancelled."""
        rows = EventReminderRows(conn)
        if not going or event.status is EventStatus.CANCELLED:
            await rows.cancel(event.id, user_id=user_id)
            return
        offsets = offsets_setting(await rows.offsets_of(user_id), self.default_offsets)
        existing = await rows.of_event(event.id, kinds=(ATTENDEE,), user_id=user_id)
        await _reconcile(rows, event, existing, attendee_plan(event, user_id, offsets, now), True)

    async def event_edited(
        self, conn: Connection, before: Event, after: Event, *, now: int
    ) -> None:
        """An edit: when the times changed, every reminder still to be sent follows."""
        if (before.start_at, before.end_at, before.timezone) == (
            after.start_at,
            after.end_at,
            after.timezone,
        ):
            return
        rows = EventReminderRows(conn)
        wanted = event_plan(after, now)
        for user_id, stored in await rows.going_with_offsets(after.id):
            offsets = offsets_setting(stored, self.default_offsets)
            wanted += attendee_plan(after, user_id, offsets, now)
        existing = await rows.of_event(after.id, kinds=KINDS)
        await _reconcile(rows, after, existing, wanted, False)

    async def event_cancelled(self, conn: Connection, event: Event) -> int:
        """Every reminder of the event still to be sent is cancelled; returns how many."""
        return await EventReminderRows(conn).cancel(event.id)

    async def offsets_changed(
        self, events: EventRepository, user_id: str, *, now: int | None = None
    ) -> None:
        """``user_id`` changed their offsets: their reminders of the events they go to (not over
        yet) follow, each event under its lock."""
        moment = now_ms() if now is None else now
        for event, rsvp in await events.rsvps_of_user(user_id, ending_after=moment):
            if not rsvp.going or event.status is EventStatus.CANCELLED:
                continue
            async with events.locked(event.id) as locked:
                if locked is None:
                    continue
                facts = await EventReminderRows(locked.conn).event_facts(event.id, user_id)
                if facts is not None and facts.going:
                    await self.rsvp_changed(
                        locked.conn, locked.event, user_id, going=True, now=moment
                    )


async def _reconcile(
    rows: EventReminderRows,
    event: Event,
    existing: Sequence[ReminderState],
    wanted: Sequence[NewReminder],
    revive: bool,
) -> None:
    """Bring ``existing`` rows to ``wanted``: add the missing, move those still to be sent,
    remove those no longer owed; a cancelled one comes back only if ``revive``. Rows sent or
    being sent are never touched."""
    current = {state.id: state for state in existing}
    for reminder in wanted:
        state = current.get(reminder.id)
        if state is None:
            await rows.insert(reminder, event.id, event.timezone)
        elif state.status == "scheduled" and state.due_at != reminder.due_at:
            await rows.move(reminder.id, reminder.due_at, event.timezone)
        elif state.status in ("cancelled", "dropped") and revive:
            await rows.revive(reminder.id, reminder.due_at, event.timezone)
    owed = {reminder.id for reminder in wanted}
    for state in existing:
        if state.id not in owed and state.status == "scheduled":
            await rows.forget(state.id)


# --- for the sender ----------------------------------------------------------------------------


async def still_useful(db: Database, reminder: Reminder, *, now: int | None = None) -> bool:
    """Whether an event reminder is still worth sending (for the scheduler, which drops it
    otherwise): the event is not cancelled; an attendee or room reminder only before the start,
    an attendee's only while they are going. Other kinds: always."""
    if reminder.kind not in KINDS or reminder.event_id is None:
        return True
    facts = await EventReminderRows(db).event_facts(reminder.event_id, reminder.user_id)
    if facts is None or facts.cancelled:
        return False
    if reminder.kind == REPORT:
        return True
    moment = now_ms() if now is None else now
    if moment >= facts.start_at:
        return False
    return facts.going or reminder.kind == ROOM
