"""The bots' side of the database the appservice owns: connect, never migrate, wait for it.

Two processes migrating one database at once would race, so only the appservice migrates; the
bots wait until the schema has the version their code expects.
"""

from __future__ import annotations

import asyncio
import logging

from mautrix.util.async_db import Database
from yarl import URL

from bridge.db import create_database, expected_schema_version, schema_version

log = logging.getLogger("bots.database")

SCHEMA_WAIT_S = 60.0
_POLL_S = 0.5
_LOG_EVERY_S = 10.0


class DatabaseNotReady(RuntimeError):
    """The database's schema is not (or not yet) the one this code works with."""


async def open_shared_database(
    url: str, *, timeout: float = SCHEMA_WAIT_S, poll: float = _POLL_S
) -> Database:
    """Connect to the appservice's database and wait until its schema is up to date.

    Raises:
        DatabaseNotReady: the schema is newer than this code, or still older after ``timeout``
            seconds (the message says what to do).
    """
    db = create_database(url, migrate=False)
    await db.start()
    try:
        await wait_for_schema(db, _shown(url), timeout=timeout, poll=poll)
    except BaseException:
        await db.stop()
        raise
    return db


async def wait_for_schema(db: Database, shown: str, *, timeout: float, poll: float) -> None:
    expected = expected_schema_version()
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    next_log = loop.time()
    while True:
        version = await schema_version(db)
        if version == expected:
            return
        if version > expected:
            raise DatabaseNotReady(
                f"The database {shown} has schema v{version}, newer than this program's "
                f"v{expected}: run the same Ralliement version for the bots as for the appservice."
            )
        now = loop.time()
        if now >= deadline:
            raise DatabaseNotReady(
                f"The database {shown} is still at schema v{version} after {timeout:.0f} s, and "
                f"the bots need v{expected}. The appservice migrates it when it starts: start "
                "`ralliement bridge` with the same configuration (and check its log), then the "
                "bots."
            )
        if now >= next_log:
            log.info(
                "Waiting for the appservice to migrate the database %s (schema v%d, need v%d; "
                "giving up in %.0f s)",
                shown,
                version,
                expected,
                deadline - now,
            )
            next_log = now + _LOG_EVERY_S
        await asyncio.sleep(poll)


def _shown(url: str) -> str:
    """The URL without its password, for messages."""
    parsed = URL(url)
    return str(parsed.with_password(None)) if parsed.password else url
