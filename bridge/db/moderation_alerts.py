"""What the moderation bot owes the admin room, and the messages supporters reported.

An alert is written in the transaction that raised it (a join wave, a report, a ban after
strikes...); the moderation bot sends it, with a transaction id made from its row so a crash
between sending and marking never posts twice, and keeps the message's id: moderators react to
it for the quick actions.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from mautrix.util.async_db import Connection, Database

from .clock import now_ms
from .moderation_actions import ActionRequest, enqueue_actions


@dataclass(frozen=True)
class Alert:
    id: int
    kind: str
    room_id: str | None
    payload: dict[str, Any]
    created_at: int
    event_id: str | None


def _alert(row: Any) -> Alert:
    return Alert(
        row["id"],
        row["kind"],
        row["room_id"],
        json.loads(row["payload"]),
        row["created_at"],
        row["event_id"],
    )


@dataclass(frozen=True)
class Report:
    id: int
    room_id: str
    event_id: str
    reported_user: str
    reporter: str
    reason: str
    excerpt: str
    created_at: int
    handled_by: str | None
    resolution: str | None


def _report(row: Any) -> Report:
    return Report(
        row["id"],
        row["room_id"],
        row["event_id"],
        row["reported_user"],
        row["reporter"],
        row["reason"],
        row["excerpt"],
        row["created_at"],
        row["handled_by"],
        row["resolution"],
    )


async def raise_alert(
    conn: Connection, kind: str, payload: dict[str, Any], room_id: str | None = None
) -> int:
    """Owe the admin room an alert, in the caller's transaction; returns its id."""
    return int(
        await conn.fetchval(
            "INSERT INTO moderation_alert (kind, room_id, payload, created_at)"
            " VALUES ($1, $2, $3, $4) RETURNING id",
            kind,
            room_id,
            json.dumps(payload, ensure_ascii=False, sort_keys=True),
            now_ms(),
        )
    )


class AlertOutbox:
    """Alerts to send, sent, and found again by their message."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def raise_alert(
        self, kind: str, payload: dict[str, Any], room_id: str | None = None
    ) -> int:
        async with self.db.acquire() as conn:  # type: ignore[var-annotated]
            return await raise_alert(conn, kind, payload, room_id)

    async def pending(self, limit: int = 20) -> list[Alert]:
        rows = await self.db.fetch(
            "SELECT * FROM moderation_alert WHERE sent_at IS NULL ORDER BY id LIMIT $1", limit
        )
        return [_alert(row) for row in rows]

    async def sent(self, alert_id: int, event_id: str) -> None:
        await self.db.execute(
            "UPDATE moderation_alert SET sent_at = $1, event_id = $2 WHERE id = $3",
            now_ms(),
            event_id,
            alert_id,
        )

    async def failed(self, alert_id: int, error: str) -> None:
        await self.db.execute(
            "UPDATE moderation_alert SET attempts = attempts + 1, last_error = $1 WHERE id = $2",
            error[:500],
            alert_id,
        )

    async def by_message(self, event_id: str) -> Alert | None:
        """The alert a message of the admin room shows (for the quick actions)."""
        row = await self.db.fetchrow("SELECT * FROM moderation_alert WHERE event_id = $1", event_id)
        return _alert(row) if row else None

    async def of_kind(self, kind: str, limit: int = 50) -> list[Alert]:
        rows = await self.db.fetch(
            "SELECT * FROM moderation_alert WHERE kind = $1 ORDER BY id DESC LIMIT $2", kind, limit
        )
        return [_alert(row) for row in rows]


class ReportRepository:
    """Reported messages."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def add(
        self,
        *,
        room_id: str,
        event_id: str,
        reported_user: str,
        reporter: str,
        reason: str,
        excerpt: str,
    ) -> tuple[Report, bool]:
        """Record a report and owe the admin room its alert, in one transaction; a second
        report of the same message by the same person returns the first (False: not new)."""
        async with self.db.acquire() as conn, conn.transaction():  # type: ignore[var-annotated]
            existing = await conn.fetchrow(
                "SELECT * FROM moderation_report WHERE event_id = $1 AND reporter = $2",
                event_id,
                reporter,
            )
            if existing is not None:
                return _report(existing), False
            row = await conn.fetchrow(
                "INSERT INTO moderation_report (room_id, event_id, reported_user, reporter,"
                " reason, excerpt, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *",
                room_id,
                event_id,
                reported_user,
                reporter,
                reason,
                excerpt,
                now_ms(),
            )
            report = _report(row)
            await raise_alert(conn, "report", {"report_id": report.id}, room_id)
        return report, True

    async def get(self, report_id: int) -> Report | None:
        row = await self.db.fetchrow("SELECT * FROM moderation_report WHERE id = $1", report_id)
        return _report(row) if row else None

    async def handle(
        self,
        report_id: int,
        *,
        handled_by: str,
        resolution: str,
        actions: Iterable[ActionRequest] = (),
    ) -> bool:
        """Mark a report handled, and write ``actions`` (e.g. redacting the reported message)
        in the same transaction; False if someone already did (nothing is written then)."""
        async with self.db.acquire() as conn, conn.transaction():  # type: ignore[var-annotated]
            row = await conn.fetchrow(
                "UPDATE moderation_report SET handled_by = $1, handled_at = $2, resolution = $3"
                " WHERE id = $4 AND handled_by IS NULL RETURNING id",
                handled_by,
                now_ms(),
                resolution,
                report_id,
            )
            if row is None:
                return False
            await enqueue_actions(conn, actions)
        return True

    async def open_reports(self, limit: int = 20) -> list[Report]:
        rows = await self.db.fetch(
            "SELECT * FROM moderation_report WHERE handled_by IS NULL ORDER BY id LIMIT $1", limit
        )
        return [_report(row) for row in rows]
