"""Moderation actions owed to rooms: ban, unban, kick, redact.

Whoever decides an action (a policy rule, a command, a protection) writes it here, in the
transaction of the decision; the appservice carries the actions out (it is not rate-limited by
the homeserver) and marks each done or failed. Rows stay as the moderation log.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from mautrix.util.async_db import Connection, Database

from .clock import now_ms

RETRY_BASE_MS = 1_000
RETRY_MAX_MS = 120_000
MAX_ATTEMPTS = 8


class ActionKind(StrEnum):
    BAN = "ban"
    UNBAN = "unban"
    KICK = "kick"
    REDACT = "redact"


@dataclass(frozen=True)
class ActionRequest:
    """One action to write: in ``room_id``, on ``user_id`` (for a redaction: the author of
    ``target_event``)."""

    room_id: str
    user_id: str
    kind: ActionKind
    reason: str = ""
    cause: str = ""
    requested_by: str | None = None
    target_event: str | None = None


@dataclass(frozen=True)
class Action:
    id: int
    room_id: str
    user_id: str
    kind: ActionKind
    target_event: str | None
    reason: str
    cause: str
    requested_by: str | None
    created_at: int
    attempts: int
    done_at: int | None
    failed_at: int | None
    last_error: str | None


def _action(row: Any) -> Action:
    return Action(
        id=row["id"],
        room_id=row["room_id"],
        user_id=row["user_id"],
        kind=ActionKind(row["action"]),
        target_event=row["target_event"],
        reason=row["reason"],
        cause=row["cause"],
        requested_by=row["requested_by"],
        created_at=row["created_at"],
        attempts=row["attempts"],
        done_at=row["done_at"],
        failed_at=row["failed_at"],
        last_error=row["last_error"],
    )


async def enqueue_actions(conn: Connection, requests: Iterable[ActionRequest]) -> int:
    """Write ``requests`` in the caller's transaction; returns how many."""
    now = now_ms()
    count = 0
    for request in requests:
        await conn.execute(
            "INSERT INTO moderation_action (room_id, user_id, action, target_event, reason,"
            " cause, requested_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            request.room_id,
            request.user_id,
            request.kind.value,
            request.target_event,
            request.reason,
            request.cause,
            request.requested_by,
            now,
        )
        count += 1
    return count


class ActionQueue:
    """Writing, claiming and completing moderation actions."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def enqueue(self, requests: Iterable[ActionRequest]) -> int:
        async with self.db.acquire() as conn, conn.transaction():  # type: ignore[var-annotated]
            return await enqueue_actions(conn, requests)

    async def due(self, limit: int = 200) -> list[Action]:
        """Actions ready to be carried out, oldest first.

        A ban, unban or kick waits for any earlier one on the same user in the same room (one
        waiting for a retry included), so a ban then an unban never end in the wrong order;
        redactions do not wait for each other. Each (room, user) pair thus appears at most once
        among the memberships returned, which can all be carried out at the same time.
        """
        rows = await self.db.fetch(
            "SELECT * FROM moderation_action a WHERE a.done_at IS NULL AND a.failed_at IS NULL"
            " AND a.next_try_at <= $1 AND (a.action = 'redact' OR NOT EXISTS ("
            "  SELECT 1 FROM moderation_action b WHERE b.user_id = a.user_id"
            "  AND b.room_id = a.room_id AND b.id < a.id AND b.action <> 'redact'"
            "  AND b.done_at IS NULL AND b.failed_at IS NULL))"
            " ORDER BY a.id LIMIT $2",
            now_ms(),
            limit,
        )
        return [_action(row) for row in rows]

    async def get(self, action_id: int) -> Action | None:
        row = await self.db.fetchrow("SELECT * FROM moderation_action WHERE id = $1", action_id)
        return _action(row) if row else None

    async def pending(self) -> int:
        return int(
            await self.db.fetchval(
                "SELECT COUNT(*) FROM moderation_action WHERE done_at IS NULL AND failed_at IS NULL"
            )
        )

    async def done(self, action_ids: Iterable[int]) -> None:
        ids = list(action_ids)
        if not ids:
            return
        now = now_ms()
        async with self.db.acquire() as conn, conn.transaction():  # type: ignore[var-annotated]
            for action_id in ids:
                await conn.execute(
                    "UPDATE moderation_action SET done_at = $1, last_error = NULL WHERE id = $2",
                    now,
                    action_id,
                )

    async def failed(self, action: Action, error: str, *, permanent: bool = False) -> None:
        """Retry later with back-off, or give up (a refusal that retrying cannot change, or
        after :data:`MAX_ATTEMPTS`)."""
        now = now_ms()
        if permanent or action.attempts + 1 >= MAX_ATTEMPTS:
            await self.db.execute(
                "UPDATE moderation_action SET attempts = attempts + 1, failed_at = $1,"
                " last_error = $2 WHERE id = $3",
                now,
                error[:500],
                action.id,
            )
            return
        delay = min(RETRY_BASE_MS * 2**action.attempts, RETRY_MAX_MS)
        await self.db.execute(
            "UPDATE moderation_action SET attempts = attempts + 1, next_try_at = $1,"
            " last_error = $2 WHERE id = $3",
            now + delay,
            error[:500],
            action.id,
        )

    async def of_user(self, user_id: str, limit: int = 50) -> list[Action]:
        """The latest actions on ``user_id``, newest first (the moderation log)."""
        rows = await self.db.fetch(
            "SELECT * FROM moderation_action WHERE user_id = $1 ORDER BY id DESC LIMIT $2",
            user_id,
            limit,
        )
        return [_action(row) for row in rows]
