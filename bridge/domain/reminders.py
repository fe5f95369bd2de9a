"""Reminders: when they are due, who sends them, and what happens after.

:class:`ReminderScheduler` is the one loop that delivers reminders. Each round it claims a batch
of due rows (see :class:`~bridge.db.reminders.ReminderRepository`), hands each to a ``send``
function with the reminder's stable transaction key, then marks it sent — or, for a repeating
reminder, moves it to its next occurrence (wall-clock time kept across daylight-saving changes).
A reminder due while the bots were down is sent on start, marked ``late`` if it is more than
``late_after`` late; one whose event is already over is dropped.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bridge.db.reminders import Reminder, ReminderRepository
from ralliement.when import Frequency, Recurrence

log = logging.getLogger("bridge.reminders")

#: Delivers one reminder; ``late`` says it is delivered well after its time.
Send = Callable[[Reminder, bool], Awaitable[None]]
#: Whether a reminder still makes sense now (e.g. its event is not over).
StillUseful = Callable[[Reminder], Awaitable[bool]]


def recurrence_json(recurrence: Recurrence) -> str:
    """A recurrence as stored in ``reminder.recurrence``."""
    return json.dumps(
        {
            "frequency": recurrence.frequency.value,
            "interval": recurrence.interval,
            "weekdays": list(recurrence.weekdays),
            "month_day": recurrence.month_day,
            "at": recurrence.at.isoformat() if recurrence.at else None,
        }
    )


def recurrence_from_json(text: str) -> Recurrence:
    data = json.loads(text)
    return Recurrence(
        frequency=Frequency(data["frequency"]),
        interval=int(data["interval"]),
        weekdays=tuple(data["weekdays"]),
        month_day=data["month_day"],
        at=time.fromisoformat(data["at"]) if data["at"] else None,
    )


def next_occurrence(reminder: Reminder) -> int | None:
    """When a repeating reminder comes back after this occurrence (ms), or None."""
    if reminder.recurrence is None:
        return None
    zone = ZoneInfo(reminder.timezone)
    current = datetime.fromtimestamp(reminder.due_at / 1000, UTC).astimezone(zone)
    upcoming = recurrence_from_json(reminder.recurrence).next_after(current, zone)
    return int(upcoming.timestamp() * 1000)


@dataclass
class ReminderScheduler:
    """Claims due reminders in batches, sends them, marks them; safe to run in several processes
    on PostgreSQL."""

    repository: ReminderRepository
    send: Send
    still_useful: StillUseful
    late_after: timedelta = timedelta(minutes=15)
    batch: int = 50

    async def run_once(self, *, now: int | None = None) -> int:
        """One round; returns how many reminders were handled (sent, moved or dropped)."""
        claimed = await self.repository.claim_due(self.batch, now=now)
        for reminder in claimed:
            await self._deliver(reminder, now)
        return len(claimed)

    async def _deliver(self, reminder: Reminder, now: int | None) -> None:
        moment = now if now is not None else int(datetime.now(UTC).timestamp() * 1000)
        if not await self.still_useful(reminder):
            log.info("Reminder %s dropped: pointless by now", reminder.id)
            await self.repository.drop(reminder)
            return
        late = moment - reminder.due_at > self.late_after.total_seconds() * 1000
        try:
            await self.send(reminder, late)
        except Exception as error:
            log.warning("Reminder %s not sent (%s); it will be tried again", reminder.id, error)
            await self.repository.release(reminder)
            return
        following = next_occurrence(reminder)
        if following is None:
            await self.repository.mark_sent(reminder, late=late, now=moment)
            return
        while following <= moment:  # occurrences missed while down are not all sent
            skipped = Reminder(**{**reminder.__dict__, "due_at": following})
            following = next_occurrence(skipped) or following
        await self.repository.reschedule(reminder, following)
