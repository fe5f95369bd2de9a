"""Database access for the appservice: schema migrations and repositories."""

from __future__ import annotations

from mautrix.util.async_db import Database

from .upgrade import upgrade_table


def create_database(url: str, *, migrate: bool = True) -> Database:
    """A database for ``url`` (``postgres://`` through asyncpg, ``sqlite:`` through aiosqlite).

    Call ``await db.start()`` to connect and, with ``migrate``, run the migrations. Only the
    appservice migrates; another process sharing the database passes ``migrate=False`` (it then
    only connects) and waits for :func:`schema_version` to reach :func:`expected_schema_version`.
    """
    if not migrate:
        return Database.create(url)
    return Database.create(url, upgrade_table=upgrade_table, owner_name="ralliement")


def expected_schema_version() -> int:
    """The schema version this code works with: the number of migration steps."""
    return len(upgrade_table.upgrades)


async def schema_version(db: Database) -> int:
    """The version the database's schema is at (0 before the first migration)."""
    table = upgrade_table.version_table_name
    if not await db.table_exists(table):
        return 0
    version = await db.fetchval(f"SELECT version FROM {table} LIMIT 1")
    return int(version or 0)
