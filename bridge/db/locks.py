"""Row locks for read-check-write transactions, on both engines."""

from __future__ import annotations

from typing import Any

from mautrix.util.async_db import Connection, Scheme


async def fetch_locked(
    conn: Connection, scheme: Scheme, table: str, columns: str, row_id: str
) -> Any:
    """Read the row ``row_id`` of ``table`` and hold its lock until the transaction ends.

    PostgreSQL: ``SELECT ... FOR UPDATE``. SQLite has a single writer, but a deferred transaction
    that reads first could still see a stale snapshot, so a no-op write takes the write lock
    before anything is read. Returns None for an unknown id.
    """
    if scheme in (Scheme.POSTGRES, Scheme.COCKROACH):
        return await conn.fetchrow(
            f"SELECT {columns} FROM {table} WHERE id = $1 FOR UPDATE", row_id
        )
    await conn.execute(f"UPDATE {table} SET id = id WHERE id = $1", row_id)
    return await conn.fetchrow(f"SELECT {columns} FROM {table} WHERE id = $1", row_id)
