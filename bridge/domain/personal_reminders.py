"""Personal reminders: "!rappel demain 9h appeler Marie", listed, cancelled, snoozed.

How a request is read (:func:`read_reminder`, pure):

- The date is found anywhere in the text by :func:`ralliement.when.find_when`, in the person's
  time zone; the rest, without it, is what to remind ("appeler Marie demain à 18h" → "appeler
  Marie" at 18:00). A few little words left at the start ("me", "moi", "de", "d'", "to",
  "that", "about", "que", "qu'": "remind me tomorrow at 9 to call Bob" → "call Bob") and
  punctuation around it (" : ", " - ") are dropped.
- A day without a time ("demain", "samedi", "in 3 days", "le 12/12") is at :data:`DEFAULT_TIME`,
  09:00 on that day, the time people plan their day; so is each occurrence of a repetition
  without a time ("tous les mardis", "daily").
- A repetition ("tous les mardis à 19h", "every day at 8am", "le 5 de chaque mois") is kept with
  the reminder (``reminder.recurrence``); its first occurrence is the first one after now. After
  each delivery the scheduler moves it to the next, on the wall clock of the zone it was set in
  (a weekly 19:00 stays 19:00 across daylight-saving changes).
- Refused: no date (``reminder.when_missing``), a moment not in the future
  (``reminder.past``), nothing to remind (``reminder.text_missing``), a text over
  :data:`MAX_TEXT` characters, and what the date parser refuses (``when.*``: "25h", "demain
  samedi" on a Thursday...).

Ids are short like events' (:data:`ID_LENGTH` characters people can type: no 0/o, 1/l/i).
Snoozing ("!plus-tard 1h" in reply to a delivered reminder) sets a new one-off reminder with the
same text; the first one (repeating or not) is left as it is.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, replace
from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

from bridge.db.reminders import Reminder, ReminderRepository
from ralliement.when import Recurrence, WhenError, find_when, localize, parse_duration, parse_when

from .errors import DomainError
from .events import ID_ALPHABET, ID_LENGTH, normalise_event_id
from .reminder_preferences import ReminderPreferences
from .reminders import recurrence_json

# Message keys of the refusals, for the bots' translations.
WHEN_MISSING = "reminder.when_missing"  # text
PAST = "reminder.past"  # when
TEXT_MISSING = "reminder.text_missing"  # when
TEXT_TOO_LONG = "reminder.text_too_long"  # max
TOO_MANY = "reminder.too_many"  # max
NOT_FOUND = "reminder.not_found"  # id
SNOOZE_UNKNOWN = "reminder.snooze.unknown"  # text
SNOOZE_MISSING = "reminder.snooze.missing"
SNOOZE_NOT_YOURS = "reminder.snooze.not_yours"
#: The team room's reminder of an event: anyone in the room may snooze it for themselves.
SHARED_KINDS = frozenset({"event_room"})

#: The time of a reminder given a day without a time ("demain").
DEFAULT_TIME = time(9, 0)
#: The longest "!rappel" text, date included.
MAX_TEXT = 500
_QUOTE = 80
#: Reminders still to come one person may have (personal ones).
MAX_SCHEDULED = 100
ID_ATTEMPTS = 5
PERSONAL = "personal"

_LEADING_WORDS = re.compile(r"^(?:(?:me|moi|de|d'|d’|to|that|about|que|qu'|qu’)(?:\s+|(?<='|’)))+",
                            re.IGNORECASE)  # fmt: skip
_EDGES = " \t\n,;:.-–—|"


class ReminderError(DomainError):
    """A reminder request the rules refuse."""


@dataclass(frozen=True)
class ReminderRequest:
    """What "!rappel …" asks for, read but not stored.

    Attributes:
        text: what to remind, as typed, without the date.
        start: the (first) moment, aware, in the person's zone.
        recurrence: how it repeats, with a time of day; None for a one-off.
        when: the date as typed ("demain à 18h").
    """

    text: str
    start: datetime
    recurrence: Recurrence | None
    when: str


def _remaining_text(text: str, matched: str) -> str:
    at = text.find(matched) if matched else -1
    rest = text if at < 0 else text[:at] + " " + text[at + len(matched) :]
    rest = " ".join(rest.split()).strip(_EDGES)
    return _LEADING_WORDS.sub("", rest).strip(_EDGES)


def read_reminder(text: str, now: datetime, zone: ZoneInfo) -> ReminderRequest:
    """Read "!rappel"'s arguments: a date somewhere, and what to remind.

    Args:
        text: the arguments as typed, e.g. "appeler Marie demain à 18h".
        now: the current instant, aware.
        zone: the person's time zone.

    Raises:
        ReminderError: ``reminder.when_missing``, ``reminder.past``, ``reminder.text_missing``,
            ``reminder.text_too_long``.
        WhenError: a date the parser refuses ("25h", "31/02", "demain samedi"...).
    """
    if len(text.strip()) > MAX_TEXT:
        raise ReminderError(TEXT_TOO_LONG, max=MAX_TEXT)
    when = find_when(text, now, zone)
    if when is None:
        typed = " ".join(text.split())
        quoted = typed if len(typed) <= _QUOTE else typed[: _QUOTE - 1] + "…"
        raise ReminderError(WHEN_MISSING, text=quoted)
    start, recurrence = when.start, when.recurrence
    if when.all_day:
        start = localize(datetime.combine(start.date(), DEFAULT_TIME), zone)
    if recurrence is not None and recurrence.at is None:
        recurrence = replace(recurrence, at=start.time())
    if start <= now:
        raise ReminderError(PAST, when=when.matched)
    remaining = _remaining_text(text, when.matched)
    if not remaining:
        raise ReminderError(TEXT_MISSING, when=when.matched)
    if len(remaining) > MAX_TEXT:
        raise ReminderError(TEXT_TOO_LONG, max=MAX_TEXT)
    return ReminderRequest(remaining, start, recurrence, when.matched)


def read_snooze(text: str, now: datetime, zone: ZoneInfo) -> datetime:
    """When a snoozed reminder comes back: a length ("1h", "30 min", "2 jours") from now, or a
    moment ("demain 9h", "ce soir"; a day alone at :data:`DEFAULT_TIME`).

    Raises:
        ReminderError: ``reminder.snooze.missing`` (nothing written), ``reminder.snooze.unknown``
            (nothing understood), ``reminder.past``.
        WhenError: a moment the parser refuses.
    """
    if not text.strip():
        raise ReminderError(SNOOZE_MISSING)
    try:
        return (now.astimezone(UTC) + parse_duration(text)).astimezone(zone)
    except WhenError:
        pass
    try:
        when = parse_when(text, now, zone)
    except WhenError as error:
        if error.key in ("when.unknown", "when.empty"):
            raise ReminderError(SNOOZE_UNKNOWN, text=text.strip()) from None
        raise
    start = when.start
    if when.all_day:
        start = localize(datetime.combine(start.date(), DEFAULT_TIME), zone)
    if when.recurrence is not None:
        raise ReminderError(SNOOZE_UNKNOWN, text=text.strip())
    if start <= now:
        raise ReminderError(PAST, when=when.matched or text.strip())
    return start


def new_reminder_id() -> str:
    return "".join(secrets.choice(ID_ALPHABET) for _ in range(ID_LENGTH))


def _ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


@dataclass
class PersonalReminders:
    """The personal reminders of each person, on the reminder table the scheduler delivers."""

    reminders: ReminderRepository
    preferences: ReminderPreferences

    async def create(
        self, user_id: str, room_id: str, text: str, now: datetime, zone: ZoneInfo | None = None
    ) -> Reminder:
        """Set a reminder from "!rappel"'s arguments, delivered in ``room_id``.

        Args:
            zone: the zone to read the date in; by default the person's.

        Raises:
            ReminderError, WhenError: as :func:`read_reminder`; ``reminder.too_many``.
        """
        zone = zone or await self.preferences.zone_of(user_id)
        request = read_reminder(text, now, zone)
        recurrence = recurrence_json(request.recurrence) if request.recurrence else None
        return await self._add(user_id, room_id, request.text, request.start, recurrence, now)

    async def _add(
        self,
        user_id: str,
        room_id: str,
        text: str,
        due: datetime,
        recurrence: str | None,
        now: datetime,
    ) -> Reminder:
        if len(await self.list(user_id)) >= MAX_SCHEDULED:
            raise ReminderError(TOO_MANY, max=MAX_SCHEDULED)
        zone = due.tzinfo
        name = zone.key if isinstance(zone, ZoneInfo) else "UTC"
        for _ in range(ID_ATTEMPTS):
            reminder = Reminder(
                id=new_reminder_id(), user_id=user_id, room_id=room_id, kind=PERSONAL,
                event_id=None, text=text, due_at=_ms(due), timezone=name, recurrence=recurrence,
                status="scheduled", occurrence=0, claimed_at=None, sent_at=None, late=False,
                created_at=_ms(now),
            )  # fmt: skip
            if await self.reminders.add(reminder):
                return reminder
        raise RuntimeError(f"no free reminder id after {ID_ATTEMPTS} tries")

    async def list(self, user_id: str) -> list[Reminder]:
        """The person's personal reminders still to come, soonest first."""
        return [r for r in await self.reminders.scheduled_of(user_id) if r.kind == PERSONAL]

    async def get(self, user_id: str, typed_id: str) -> Reminder:
        """One of the person's reminders by its id as typed ("#K3F9Q2") (``reminder.not_found``)."""
        reminder_id = normalise_event_id(typed_id)
        reminder = await self.reminders.get(reminder_id) if reminder_id else None
        if reminder is None or reminder.user_id != user_id:
            raise ReminderError(NOT_FOUND, id=typed_id.strip())
        return reminder

    async def cancel(self, user_id: str, typed_id: str) -> Reminder:
        """Cancel one of the person's personal reminders still to come (``reminder.not_found``)."""
        reminder = await self.get(user_id, typed_id)
        if reminder.kind != PERSONAL or not await self.reminders.cancel(reminder.id, user_id):
            raise ReminderError(NOT_FOUND, id=typed_id.strip())
        return reminder

    async def snooze(
        self,
        user_id: str,
        reminder_id: str,
        duration: str,
        now: datetime,
        *,
        room_id: str | None = None,
        text: str | None = None,
    ) -> Reminder:
        """Remind again, at ``duration`` from now ("1h", or a moment: "demain 9h"), what the
        reminder ``reminder_id`` said: a new one-off personal reminder. Anyone may snooze the
        team room's reminder of an event (for themselves); other reminders only their person.

        Args:
            room_id: where to deliver it (by default where the first one was).
            text: what to remind, when the first reminder has no text of its own (an event's).

        Raises:
            ReminderError: ``reminder.not_found``, ``reminder.snooze.not_yours``, the refusals
                of :func:`read_snooze`, ``reminder.too_many``.
        """
        original = await self.reminders.get(reminder_id)  # as the delivered message names it
        if original is None:
            raise ReminderError(NOT_FOUND, id=reminder_id)
        if original.user_id != user_id and original.kind not in SHARED_KINDS:
            raise ReminderError(SNOOZE_NOT_YOURS)
        zone = await self.preferences.zone_of(user_id)
        due = read_snooze(duration, now, zone)
        room = room_id or original.room_id
        what = (text or original.text).strip()[:MAX_TEXT]
        if room is None or not what:
            raise ReminderError(NOT_FOUND, id=reminder_id)
        return await self._add(user_id, room, what, due, None, now)
