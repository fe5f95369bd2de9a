"""SQL for the email verification codes (``email_code``) and their sending log (``email_sent``).

A user has at most one pending code; only its hash is stored. Attempts are counted by the database
(``attempts = attempts + 1`` on a row that still has tries left), so concurrent wrong tries can
never exceed the limit. Sending a code is recorded in one transaction that first takes a lock
(PostgreSQL: a transaction-level advisory lock; SQLite: a write, which takes the single writer's
lock), then counts the recent sends against the limits, so two requests cannot both take the last
slot.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mautrix.util.async_db import Database, Scheme

#: Key of the PostgreSQL advisory lock serialising the recording of sends (any constant does).
SEND_LOCK_KEY = 0x52414C4C  # "RALL"

#: An expired code is kept this long (so a late try is told "expired"), then purged.
EXPIRED_CODE_KEPT_MS = 24 * 3600 * 1000


@dataclass(frozen=True)
class PendingCode:
    user_id: str
    email: str
    code_hash: str
    created_at: int
    expires_at: int
    attempts: int

    @classmethod
    def from_row(cls, row: Any) -> PendingCode:
        return cls(
            user_id=row["user_id"],
            email=row["email"],
            code_hash=row["code_hash"],
            created_at=row["created_at"],
            expires_at=row["expires_at"],
            attempts=row["attempts"],
        )


CODE_COLUMNS = "user_id, email, code_hash, created_at, expires_at, attempts"


@dataclass(frozen=True)
class SendLimits:
    """How many codes may be sent within ``window_ms``, per user and per address."""

    window_ms: int
    per_user: int
    per_address: int


class VerificationRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def record_send(self, code: PendingCode, limits: SendLimits) -> int | None:
        """Record a send to ``code.email`` at ``code.created_at``, and make ``code`` the user's
        pending code (replacing any other), unless a limit is reached.

        Rows of ``email_sent`` older than the window, and codes long expired, are purged first.

        Returns:
            None when recorded; otherwise the milliseconds until a send is allowed again (the
            longer wait when both limits are reached). Nothing is written then.
        """
        now = code.created_at
        since = now - limits.window_ms
        async with self.db.acquire() as conn, conn.transaction():  # type: ignore[var-annotated]
            if self.db.scheme in (Scheme.POSTGRES, Scheme.COCKROACH):
                await conn.execute("SELECT pg_advisory_xact_lock($1)", SEND_LOCK_KEY)
            # On SQLite this first write takes the writer's lock before anything is read.
            await conn.execute("DELETE FROM email_sent WHERE sent_at <= $1", since)
            await conn.execute(
                "DELETE FROM email_code WHERE expires_at < $1", now - EXPIRED_CODE_KEPT_MS
            )
            waits = [
                await self._wait(conn, column, value, limit, now, limits.window_ms)
                for column, value, limit in (
                    ("user_id", code.user_id, limits.per_user),
                    ("email", code.email, limits.per_address),
                )
            ]
            wait = max((w for w in waits if w is not None), default=None)
            if wait is not None:
                return wait
            await conn.execute(
                "INSERT INTO email_sent (email, user_id, sent_at) VALUES ($1, $2, $3)",
                code.email,
                code.user_id,
                now,
            )
            await conn.execute(
                f"INSERT INTO email_code ({CODE_COLUMNS}) VALUES ($1, $2, $3, $4, $5, 0)"
                " ON CONFLICT (user_id) DO UPDATE SET email = excluded.email,"
                " code_hash = excluded.code_hash, created_at = excluded.created_at,"
                " expires_at = excluded.expires_at, attempts = 0",
                code.user_id,
                code.email,
                code.code_hash,
                code.created_at,
                code.expires_at,
            )
        return None

    @staticmethod
    async def _wait(
        conn: Any, column: str, value: str, limit: int, now: int, window_ms: int
    ) -> int | None:
        """Milliseconds until fewer than ``limit`` sends to/by ``value`` are in the window
        ending at ``now``, or None if already fewer."""
        since = now - window_ms
        count = await conn.fetchval(
            f"SELECT COUNT(*) FROM email_sent WHERE {column} = $1 AND sent_at > $2", value, since
        )
        if count < limit:
            return None
        # The send whose leaving the window brings the count below the limit.
        freeing = await conn.fetchval(
            f"SELECT sent_at FROM email_sent WHERE {column} = $1 AND sent_at > $2"
            " ORDER BY sent_at LIMIT 1 OFFSET $3",
            value,
            since,
            count - limit,
        )
        return int(freeing) + window_ms - now

    async def undo_send(self, code: PendingCode) -> None:
        """Forget a send that failed: its log row, and the code if it is still the pending one."""
        async with self.db.acquire() as conn, conn.transaction():  # type: ignore[var-annotated]
            await conn.execute(
                "DELETE FROM email_code WHERE user_id = $1 AND code_hash = $2",
                code.user_id,
                code.code_hash,
            )
            await conn.execute(
                "DELETE FROM email_sent WHERE user_id = $1 AND email = $2 AND sent_at = $3",
                code.user_id,
                code.email,
                code.created_at,
            )

    async def pending(self, user_id: str) -> PendingCode | None:
        row = await self.db.fetchrow(
            f"SELECT {CODE_COLUMNS} FROM email_code WHERE user_id = $1", user_id
        )
        return PendingCode.from_row(row) if row else None

    async def count_wrong_attempt(
        self, user_id: str, code_hash: str, max_attempts: int
    ) -> int | None:
        """Add one wrong try to the pending code ``code_hash``, if it has tries left.

        Returns:
            The number of wrong tries now; None if the code was replaced, used, or had no tries
            left (the database decides, so concurrent tries are each counted once).
        """
        value = await self.db.fetchval(
            "UPDATE email_code SET attempts = attempts + 1"
            " WHERE user_id = $1 AND code_hash = $2 AND attempts < $3 RETURNING attempts",
            user_id,
            code_hash,
            max_attempts,
        )
        return None if value is None else int(value)

    async def consume(
        self, user_id: str, code_hash: str, max_attempts: int, now_ms: int
    ) -> str | None:
        """Delete the pending code ``code_hash`` if it is still valid; returns its email.

        None when it was replaced, used, expired or ran out of tries in the meantime.
        """
        value = await self.db.fetchval(
            "DELETE FROM email_code WHERE user_id = $1 AND code_hash = $2 AND attempts < $3"
            " AND expires_at > $4 RETURNING email",
            user_id,
            code_hash,
            max_attempts,
            now_ms,
        )
        return None if value is None else str(value)

    async def cancel(self, user_id: str) -> None:
        await self.db.execute("DELETE FROM email_code WHERE user_id = $1", user_id)
