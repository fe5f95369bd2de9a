"""The schema steps run on both engines and are idempotent across restarts."""

from __future__ import annotations

from bridge.db import create_database
from bridge.db.upgrade import upgrade_table


async def test_migrations_create_the_schema_once(database_url: str) -> None:
    db = create_database(database_url)
    await db.start()
    try:
        version = await db.fetchval("SELECT version FROM ralliement_version")
        assert version == len(upgrade_table.upgrades)
        assert await db.table_exists("inbox_event")
        assert await db.table_exists("as_transaction")
    finally:
        await db.stop()

    reopened = create_database(database_url)
    await reopened.start()  # a restart runs no step twice
    try:
        assert await reopened.fetchval("SELECT version FROM ralliement_version") == version
    finally:
        await reopened.stop()
