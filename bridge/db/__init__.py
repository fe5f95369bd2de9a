"""Database access for the appservice: schema migrations and repositories."""

from __future__ import annotations

from mautrix.util.async_db import Database

from .upgrade import upgrade_table


def create_database(url: str) -> Database:
    """A database for ``url`` (``postgres://`` through asyncpg, ``sqlite:`` through aiosqlite).

    Call ``await db.start()`` to connect and run the migrations.
    """
    return Database.create(url, upgrade_table=upgrade_table, owner_name="ralliement")
