"""Row locks for read-check-write transactions, on both engines."""

from __future__ import annotations

from typing import Any

from mautrix.util.async_db import Connection, Scheme


async def fetch_locked(
    conn: Connection,
    scheme: Scheme,
    table: str,
    columns: str,
    row_id: str,
    *,
    key: str = "id",
) -> Any:
    """Read the row of ``table`` whose ``key`` column is ``row_id`` and hold its lock until the
    transaction ends (``key`` must be unique).

    PostgreSQL: ``SELECT ... FOR UPDATE``. SQLite has a single writer, but a deferred transaction
    that reads first could still see a stale snapshot, so a no-op write takes the write lock
    before anything is read (even when no row matches). Returns None for an unknown id; on
    PostgreSQL nothing is then locked, so an insert of that id may still race (the unique
    constraint decides).
    """
    if scheme in (Scheme.POSTGRES, Scheme.COCKROACH):
        return await conn.fetchrow(
            f"SELECT {columns} FROM {table} WHERE {key} = $1 FOR UPDATE", row_id
        )
    await conn.execute(f"UPDATE {table} SET {key} = {key} WHERE {key} = $1", row_id)
    return await conn.fetchrow(f"SELECT {columns} FROM {table} WHERE {key} = $1", row_id)
