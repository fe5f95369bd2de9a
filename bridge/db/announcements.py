"""The outbox of event announcements the agenda bot owes to team rooms.

An event's creation, edit or cancellation writes a row here in the same transaction (keyed by
the event and its sequence number). The agenda bot sends the newest row of each event — an older
edit that was never sent is superseded — with a Matrix transaction id made from the row, so a crash
between sending and marking it sent never posts twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from mautrix.util.async_db import Connection, Database

from .clock import now_ms

AnnouncementKind = Literal["created", "edited", "cancelled"]
RETRY_BASE_MS = 2_000
RETRY_MAX_MS = 300_000


async def request_announcement(
    conn: Connection, event_id: str, sequence: int, kind: AnnouncementKind
) -> None:
    await conn.execute(
        "INSERT INTO announcement (event_id, sequence, kind, requested_at) VALUES ($1, $2, $3, $4)"
        " ON CONFLICT (event_id, sequence) DO NOTHING",
        event_id,
        sequence,
        kind,
        now_ms(),
    )


@dataclass(frozen=True)
class Announcement:
    event_id: str
    sequence: int
    kind: AnnouncementKind
    attempts: int

    @property
    def transaction_id(self) -> str:
        """Stable across retries and restarts: the homeserver drops a repeated send."""
        return f"ralliement-announce-{self.event_id}-{self.sequence}"


class AnnouncementQueue:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def due(self, limit: int = 20) -> list[Announcement]:
        """The newest unsent row of each event whose turn has come, oldest request first."""
        rows = await self.db.fetch(
            "SELECT a.event_id, a.sequence, a.kind, a.attempts FROM announcement a"
            " WHERE a.sent_at IS NULL AND a.next_try_at <= $1 AND a.sequence = ("
            "   SELECT MAX(b.sequence) FROM announcement b WHERE b.event_id = a.event_id)"
            " ORDER BY a.requested_at, a.event_id LIMIT $2",
            now_ms(),
            limit,
        )
        return [
            Announcement(row["event_id"], row["sequence"], row["kind"], row["attempts"])
            for row in rows
        ]

    async def sent(self, announcement: Announcement) -> None:
        """Mark this row and every older one of the event as sent (they are superseded)."""
        await self.db.execute(
            "UPDATE announcement SET sent_at = $1"
            " WHERE event_id = $2 AND sequence <= $3 AND sent_at IS NULL",
            now_ms(),
            announcement.event_id,
            announcement.sequence,
        )

    async def failed(self, announcement: Announcement, error: str) -> None:
        delay = min(RETRY_BASE_MS * 2**announcement.attempts, RETRY_MAX_MS)
        await self.db.execute(
            "UPDATE announcement SET attempts = attempts + 1, next_try_at = $1, last_error = $2"
            " WHERE event_id = $3 AND sequence = $4",
            now_ms() + delay,
            error[:1000],
            announcement.event_id,
            announcement.sequence,
        )
