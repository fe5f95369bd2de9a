"""The durable appservice inbox: every event the homeserver pushes is stored before we answer.

Synapse retries a transaction until it gets a 200, so storing the events *before* answering and
processing them *afterwards* from this table means a crash loses nothing. Events are keyed by event
id, so a replayed transaction (or the same event in two transactions) is stored once.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from mautrix.util.async_db import Database

from .clock import now_ms


@dataclass(frozen=True)
class InboxEvent:
    """One stored event waiting for (or done with) processing."""

    seq: int
    event_id: str
    raw: dict[str, Any]
    attempts: int

    @classmethod
    def from_row(cls, row: Any) -> InboxEvent:
        return cls(
            seq=row["seq"],
            event_id=row["event_id"],
            raw=json.loads(row["content"]),
            attempts=row["attempts"],
        )


class InboxRepository:
    """SQL for the inbox tables; the database is passed in."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def store_transaction(self, txn_id: str, events: list[dict[str, Any]]) -> bool:
        """Store a transaction's events atomically.

        Returns:
            False if this transaction id was already stored (a replay), True otherwise.
        """
        received_at = now_ms()
        async with self.db.acquire() as conn, conn.transaction():  # type: ignore[var-annotated]
            inserted = await conn.fetchval(
                "INSERT INTO as_transaction (txn_id, event_count, received_at) VALUES ($1, $2, $3)"
                " ON CONFLICT (txn_id) DO NOTHING RETURNING txn_id",
                txn_id,
                len(events),
                received_at,
            )
            if inserted is None:
                return False
            for event in events:
                await conn.execute(
                    "INSERT INTO inbox_event"
                    " (event_id, room_id, event_type, sender, content, received_at)"
                    " VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (event_id) DO NOTHING",
                    event["event_id"],
                    event.get("room_id", ""),
                    event.get("type", ""),
                    event.get("sender", ""),
                    json.dumps(event),
                    received_at,
                )
        return True

    async def next_batch(self, limit: int = 100) -> list[InboxEvent]:
        """The oldest events still to process whose retry time has come."""
        rows = await self.db.fetch(
            "SELECT seq, event_id, content, attempts FROM inbox_event"
            " WHERE processed_at IS NULL AND failed_at IS NULL AND next_try_at <= $1"
            " ORDER BY seq LIMIT $2",
            now_ms(),
            limit,
        )
        return [InboxEvent.from_row(row) for row in rows]

    async def mark_processed(self, seq: int) -> None:
        await self.db.execute(
            "UPDATE inbox_event SET processed_at = $1, attempts = attempts + 1 WHERE seq = $2",
            now_ms(),
            seq,
        )

    async def mark_retry(self, seq: int, error: str, delay_ms: int) -> None:
        await self.db.execute(
            "UPDATE inbox_event SET attempts = attempts + 1, last_error = $1, next_try_at = $2"
            " WHERE seq = $3",
            error,
            now_ms() + delay_ms,
            seq,
        )

    async def mark_failed(self, seq: int, error: str) -> None:
        await self.db.execute(
            "UPDATE inbox_event SET attempts = attempts + 1, last_error = $1, failed_at = $2"
            " WHERE seq = $3",
            error,
            now_ms(),
            seq,
        )

    async def counts(self) -> dict[str, int]:
        """How many events are pending, processed and failed (for status and tests)."""
        row = await self.db.fetchrow(
            "SELECT"
            " COUNT(*) FILTER (WHERE processed_at IS NULL AND failed_at IS NULL) AS pending,"
            " COUNT(*) FILTER (WHERE processed_at IS NOT NULL) AS processed,"
            " COUNT(*) FILTER (WHERE failed_at IS NOT NULL) AS failed"
            " FROM inbox_event"
        )
        assert row is not None  # an aggregate always returns a row
        return {"pending": row["pending"], "processed": row["processed"], "failed": row["failed"]}
