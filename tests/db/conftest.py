"""Fixtures of the database tests (each runs on SQLite and on PostgreSQL)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bridge.db import create_database
from bridge.db.teams import TeamRepository
from bridge.domain.teams import TeamService


@pytest.fixture
async def service(database_url: str) -> AsyncIterator[TeamService]:
    """The team service on a fresh, migrated database."""
    db = create_database(database_url)
    await db.start()
    try:
        yield TeamService(TeamRepository(db))
    finally:
        await db.stop()
