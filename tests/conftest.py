"""Fixtures shared by every test layer: databases on SQLite and PostgreSQL."""

from __future__ import annotations

import os
import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import asyncpg
import pytest
from yarl import URL

# Where the PostgreSQL tests run. CI sets RALLIEMENT_REQUIRE_POSTGRES=1 so that an unreachable
# server fails the run instead of skipping those tests.
POSTGRES_URL = os.environ.get("RALLIEMENT_TEST_POSTGRES", "postgres://postgres@127.0.0.1:5432/test")
REQUIRE_POSTGRES = os.environ.get("RALLIEMENT_REQUIRE_POSTGRES") == "1"


async def _admin_connection() -> asyncpg.Connection:
    try:
        return await asyncpg.connect(POSTGRES_URL, timeout=5)
    except (OSError, asyncpg.PostgresError) as error:
        reason = f"PostgreSQL unreachable at {POSTGRES_URL}: {error}"
        if REQUIRE_POSTGRES:
            pytest.fail(reason + " (RALLIEMENT_REQUIRE_POSTGRES=1)")
        pytest.skip(reason + "; set RALLIEMENT_TEST_POSTGRES to run the PostgreSQL variants")


@asynccontextmanager
async def fresh_postgres_database() -> AsyncIterator[str]:
    """A fresh, empty PostgreSQL database, dropped afterwards."""
    admin = await _admin_connection()
    name = "ralliement_test_" + secrets.token_hex(6)
    await admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield str(URL(POSTGRES_URL).with_path("/" + name))
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
async def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """Each database test runs on both engines, each time on an empty database."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'ralliement.db'}"
        return
    async with fresh_postgres_database() as url:
        yield url
