"""SQL for reminders: scheduling, claiming due ones, marking them sent.

Claiming moves due rows from ``scheduled`` to ``sending`` in one statement. On PostgreSQL it
skips rows another process holds (``FOR UPDATE SKIP LOCKED``), so several bot processes can share
the work; SQLite has one writer, so one process. A row left in ``sending`` by a crash is claimed
again after :data:`LEASE_MS`; it is then sent again with the same transaction id, which the
homeserver drops if the first send went through — so it is delivered once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mautrix.util.async_db import Database, Scheme

from .clock import now_ms

#: How long a claimed reminder stays with its claimer before another may take it.
LEASE_MS = 60_000

REMINDER_COLUMNS = (
    "id, user_id, room_id, kind, event_id, text, due_at, timezone, recurrence, status,"
    " occurrence, claimed_at, sent_at, late, created_at"
)


@dataclass(frozen=True)
class Reminder:
    id: str
    user_id: str
    room_id: str | None
    kind: str
    event_id: str | None
    text: str
    due_at: int
    timezone: str
    recurrence: str | None
    status: str
    occurrence: int
    claimed_at: int | None
    sent_at: int | None
    late: bool
    created_at: int

    @classmethod
    def from_row(cls, row: Any) -> Reminder:
        return cls(
            id=row["id"],
            user_id=row["user_id"],
            room_id=row["room_id"],
            kind=row["kind"],
            event_id=row["event_id"],
            text=row["text"],
            due_at=row["due_at"],
            timezone=row["timezone"],
            recurrence=row["recurrence"],
            status=row["status"],
            occurrence=row["occurrence"],
            claimed_at=row["claimed_at"],
            sent_at=row["sent_at"],
            late=bool(row["late"]),
            created_at=row["created_at"],
        )

    @property
    def transaction_key(self) -> str:
        """Names this occurrence's message: the same key, the same Matrix transaction id."""
        return f"reminder/{self.id}/{self.occurrence}"


class ReminderRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def add(self, reminder: Reminder) -> bool:
        """Store a new reminder; False if its id is taken."""
        inserted = await self.db.fetchval(
            f"INSERT INTO reminder ({REMINDER_COLUMNS}) VALUES"
            " ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)"
            " ON CONFLICT (id) DO NOTHING RETURNING id",
            reminder.id,
            reminder.user_id,
            reminder.room_id,
            reminder.kind,
            reminder.event_id,
            reminder.text,
            reminder.due_at,
            reminder.timezone,
            reminder.recurrence,
            reminder.status,
            reminder.occurrence,
            reminder.claimed_at,
            reminder.sent_at,
            reminder.late,
            reminder.created_at,
        )
        return inserted is not None

    async def get(self, reminder_id: str) -> Reminder | None:
        row = await self.db.fetchrow(
            f"SELECT {REMINDER_COLUMNS} FROM reminder WHERE id = $1", reminder_id
        )
        return None if row is None else Reminder.from_row(row)

    async def scheduled_of(self, user_id: str) -> list[Reminder]:
        """A user's reminders still to come, soonest first."""
        rows = await self.db.fetch(
            f"SELECT {REMINDER_COLUMNS} FROM reminder WHERE user_id = $1"
            " AND status IN ('scheduled', 'sending') ORDER BY due_at, id",
            user_id,
        )
        return [Reminder.from_row(row) for row in rows]

    async def claim_due(self, limit: int, *, now: int | None = None) -> list[Reminder]:
        """Take up to ``limit`` reminders that are due (or whose claim expired), oldest first."""
        moment = now_ms() if now is None else now
        skip_locked = (
            " FOR UPDATE SKIP LOCKED"
            if self.db.scheme in (Scheme.POSTGRES, Scheme.COCKROACH)
            else ""
        )
        rows = await self.db.fetch(
            f"UPDATE reminder SET status = 'sending', claimed_at = $1 WHERE id IN ("
            "  SELECT id FROM reminder WHERE due_at <= $1 AND (status = 'scheduled'"
            "   OR (status = 'sending' AND claimed_at < $2))"
            f"  ORDER BY due_at, id LIMIT $3{skip_locked})"
            f" RETURNING {REMINDER_COLUMNS}",
            moment,
            moment - LEASE_MS,
            limit,
        )
        return sorted((Reminder.from_row(row) for row in rows), key=lambda r: (r.due_at, r.id))

    async def mark_sent(self, reminder: Reminder, *, late: bool, now: int | None = None) -> None:
        """The occurrence was delivered; a repeating reminder is rescheduled by the caller."""
        await self.db.execute(
            "UPDATE reminder SET status = 'sent', sent_at = $1, late = $2"
            " WHERE id = $3 AND occurrence = $4",
            now_ms() if now is None else now,
            late,
            reminder.id,
            reminder.occurrence,
        )

    async def reschedule(self, reminder: Reminder, due_at: int) -> None:
        """Move a repeating reminder to its next occurrence (a new transaction key)."""
        await self.db.execute(
            "UPDATE reminder SET status = 'scheduled', due_at = $1, occurrence = occurrence + 1,"
            " claimed_at = NULL WHERE id = $2 AND occurrence = $3",
            due_at,
            reminder.id,
            reminder.occurrence,
        )

    async def drop(self, reminder: Reminder) -> None:
        """Not sent: it came due while the bots were down and is pointless now."""
        await self.db.execute(
            "UPDATE reminder SET status = 'dropped' WHERE id = $1 AND occurrence = $2",
            reminder.id,
            reminder.occurrence,
        )

    async def release(self, reminder: Reminder) -> None:
        """Give a claimed reminder back (sending failed): it is due again at once."""
        await self.db.execute(
            "UPDATE reminder SET status = 'scheduled', claimed_at = NULL"
            " WHERE id = $1 AND occurrence = $2 AND status = 'sending'",
            reminder.id,
            reminder.occurrence,
        )

    async def cancel(self, reminder_id: str, user_id: str) -> bool:
        cancelled = await self.db.fetchval(
            "UPDATE reminder SET status = 'cancelled' WHERE id = $1 AND user_id = $2"
            " AND status IN ('scheduled', 'sending') RETURNING id",
            reminder_id,
            user_id,
        )
        return cancelled is not None

    async def move(self, reminder_id: str, due_at: int) -> None:
        await self.db.execute(
            "UPDATE reminder SET due_at = $1, status = 'scheduled', claimed_at = NULL"
            " WHERE id = $2",
            due_at,
            reminder_id,
        )
