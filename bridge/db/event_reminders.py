"""SQL for the reminders of events, run inside the transaction that changes the event.

The rules (which reminders an event and an RSVP owe, and when) live in
:mod:`bridge.domain.event_reminders`; this module only reads and writes ``reminder`` rows of the
kinds ``event_attendee``, ``event_room`` and ``event_report``, and reads the per-user offsets in
``reminder_settings``. Every write leaves alone a row being sent (``sending``) or already sent:
no reminder is sent twice because an event changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mautrix.util.async_db import Connection, Database

from .clock import now_ms

#: A connection inside a transaction, or the database for a single statement.
Executor = Connection | Database


@dataclass(frozen=True)
class ReminderState:
    """What the scheduling rules need to know about an existing row."""

    id: str
    user_id: str
    kind: str
    status: str
    due_at: int

    @classmethod
    def from_row(cls, row: Any) -> ReminderState:
        return cls(row["id"], row["user_id"], row["kind"], row["status"], row["due_at"])


@dataclass(frozen=True)
class NewReminder:
    """A reminder an event owes: who, which kind, when. Its text is written when it is sent."""

    id: str
    user_id: str
    kind: str
    due_at: int


@dataclass(frozen=True)
class EventFacts:
    cancelled: bool
    start_at: int
    end_at: int
    #: Whether the reminder's user is going (False without an answer).
    going: bool


class EventReminderRows:
    """The ``reminder`` rows of events, through one connection (or the database)."""

    def __init__(self, conn: Executor) -> None:
        self.conn = conn

    async def offsets_of(self, user_id: str) -> str | None:
        """The user's ``reminder_settings.offsets`` as stored ("off", "24h,1h"), or None."""
        value = await self.conn.fetchval(
            "SELECT offsets FROM reminder_settings WHERE user_id = $1", user_id
        )
        return None if value is None else str(value)

    async def going_with_offsets(self, event_id: str) -> list[tuple[str, str | None]]:
        """Everyone going to the event, with their offsets setting (None: the default)."""
        rows = await self.conn.fetch(
            "SELECT rsvp.user_id, reminder_settings.offsets FROM rsvp"
            " LEFT JOIN reminder_settings ON reminder_settings.user_id = rsvp.user_id"
            " WHERE rsvp.event_id = $1 AND rsvp.going ORDER BY rsvp.user_id",
            event_id,
        )
        return [(row["user_id"], row["offsets"]) for row in rows]

    async def of_event(
        self, event_id: str, *, kinds: tuple[str, ...], user_id: str | None = None
    ) -> list[ReminderState]:
        """The event's rows of ``kinds`` (of one user if given), whatever their status."""
        placeholders = ", ".join(f"${index}" for index in range(3, 3 + len(kinds)))
        rows = await self.conn.fetch(
            "SELECT id, user_id, kind, status, due_at FROM reminder"
            " WHERE event_id = $1 AND ($2 = '' OR user_id = $2)"
            f" AND kind IN ({placeholders}) ORDER BY id",
            event_id,
            user_id or "",
            *kinds,
        )
        return [ReminderState.from_row(row) for row in rows]

    async def event_facts(self, event_id: str, user_id: str) -> EventFacts | None:
        """What decides whether a reminder of the event is still worth sending."""
        row = await self.conn.fetchrow(
            "SELECT event.status, event.start_at, event.end_at, rsvp.going FROM event"
            " LEFT JOIN rsvp ON rsvp.event_id = event.id AND rsvp.user_id = $2"
            " WHERE event.id = $1",
            event_id,
            user_id,
        )
        if row is None:
            return None
        return EventFacts(
            cancelled=row["status"] == "cancelled",
            start_at=row["start_at"],
            end_at=row["end_at"],
            going=bool(row["going"]),
        )

    async def insert(self, reminder: NewReminder, event_id: str, timezone: str) -> None:
        """A new row, ``scheduled``; an id already there is left as it is."""
        await self.conn.execute(
            "INSERT INTO reminder (id, user_id, room_id, kind, event_id, text, due_at, timezone,"
            " recurrence, status, occurrence, late, created_at)"
            " VALUES ($1, $2, NULL, $3, $4, '', $5, $6, NULL, 'scheduled', 0, FALSE, $7)"
            " ON CONFLICT (id) DO NOTHING",
            reminder.id,
            reminder.user_id,
            reminder.kind,
            event_id,
            reminder.due_at,
            timezone,
            now_ms(),
        )

    async def move(self, reminder_id: str, due_at: int, timezone: str) -> None:
        """A row still to be sent gets a new time."""
        await self.conn.execute(
            "UPDATE reminder SET due_at = $1, timezone = $2 WHERE id = $3 AND status = 'scheduled'",
            due_at,
            timezone,
            reminder_id,
        )

    async def revive(self, reminder_id: str, due_at: int, timezone: str) -> None:
        """A row cancelled (or dropped) before it was sent is scheduled again, at ``due_at``."""
        await self.conn.execute(
            "UPDATE reminder SET status = 'scheduled', due_at = $1, timezone = $2,"
            " claimed_at = NULL WHERE id = $3 AND status IN ('scheduled', 'cancelled', 'dropped')",
            due_at,
            timezone,
            reminder_id,
        )

    async def forget(self, reminder_id: str) -> None:
        """A row no longer owed (its time is past, or the offset was given up), never sent."""
        await self.conn.execute(
            "DELETE FROM reminder WHERE id = $1 AND status = 'scheduled'", reminder_id
        )

    async def cancel(self, event_id: str, *, user_id: str | None = None) -> int:
        """Cancel the event's rows still to be sent (of one user's attendee reminders if
        ``user_id``); one being sent now goes out. Returns how many were cancelled."""
        if user_id is None:
            rows = await self.conn.fetch(
                "UPDATE reminder SET status = 'cancelled'"
                " WHERE event_id = $1 AND status = 'scheduled' RETURNING id",
                event_id,
            )
        else:
            rows = await self.conn.fetch(
                "UPDATE reminder SET status = 'cancelled' WHERE event_id = $1 AND user_id = $2"
                " AND kind = 'event_attendee' AND status = 'scheduled' RETURNING id",
                event_id,
                user_id,
            )
        return len(rows)
