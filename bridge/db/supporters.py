"""SQL for supporters (the campaign's list, and the Matrix account each one linked) and for
erasing or exporting everything stored about a person; the database is passed in.

The rules (what a valid address is, who may link which address) are in
:mod:`bridge.domain.supporters`; this module reads and writes rows. A write that depends on what
is stored runs in a :class:`LockedSupporter` transaction holding the address's row lock; the
``UNIQUE`` constraints on ``email`` and ``user_id`` decide the races a lock cannot (two inserts
of a new address), and :data:`UNIQUE_VIOLATIONS` is what they raise.
"""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, fields
from enum import StrEnum
from typing import Any

import asyncpg
from mautrix.util.async_db import Connection, Database, Scheme

from .clock import now_ms
from .locks import fetch_locked
from .teams import LockedTeam, lock_team

#: What a violated ``UNIQUE`` constraint raises, on each engine.
UNIQUE_VIOLATIONS: tuple[type[Exception], ...] = (
    asyncpg.UniqueViolationError,
    sqlite3.IntegrityError,
)


#: Tables keyed by a user whose rows an erasure deletes (besides those with their own rules),
#: in the order of :class:`~bridge.domain.person_data.ErasureReport`'s fields.
PERSONAL_TABLES = (
    "alert_subscription",
    "alert_delivery",
    "search_page",
    "direct_room",
    "reminder",
    "reminder_settings",
)


class SupporterSource(StrEnum):
    """Where a supporter came from: an admin's import, the sign-up site through the API, or an
    open campaign's joining (``joining.open``)."""

    IMPORT = "import"
    API = "api"
    OPEN = "open"


@dataclass(frozen=True)
class Supporter:
    id: int
    #: Normalised (:func:`bridge.domain.supporters.normalise_email`); never shown to others.
    email: str
    name: str
    postcode: str | None
    #: Where the supporter first came from (a re-import does not change it).
    source: SupporterSource
    #: The Matrix account that proved the address, if any.
    user_id: str | None
    verified_at: int | None
    #: Where the person acts, as they told the welcome bot.
    home_commune: str | None
    home_postcode: str | None
    home_latitude: float | None
    home_longitude: float | None
    home_precision: str | None
    language: str | None
    created_at: int
    updated_at: int

    @classmethod
    def from_row(cls, row: Any) -> Supporter:
        values = {field.name: row[field.name] for field in fields(cls)}
        return cls(**{**values, "source": SupporterSource(values["source"])})


SUPPORTER_COLUMNS = ", ".join(field.name for field in fields(Supporter))


@dataclass(frozen=True)
class EmailCode:
    """A pending verification code, as an export shows it: never its hash."""

    user_id: str
    email: str
    created_at: int
    expires_at: int
    attempts: int


@dataclass(frozen=True)
class EmailSent:
    email: str
    user_id: str
    sent_at: int


@dataclass(frozen=True)
class Joining:
    """Where a user is in the joining conversation (``data`` is the conversation's JSON text)."""

    user_id: str
    room_id: str
    step: str
    data: str
    started_at: int
    updated_at: int


class LockedSupporter:
    """Reads and writes about one address inside a transaction holding its row lock.

    ``supporter`` is the row of the address, or None when the list does not have it.
    """

    def __init__(self, conn: Connection, email: str, supporter: Supporter | None) -> None:
        self.conn = conn
        self.email = email
        self.supporter = supporter

    async def of_user(self, user_id: str) -> Supporter | None:
        """The supporter ``user_id`` is linked to, whatever its address."""
        row = await self.conn.fetchrow(
            f"SELECT {SUPPORTER_COLUMNS} FROM supporter WHERE user_id = $1", user_id
        )
        return None if row is None else Supporter.from_row(row)

    async def create(
        self,
        source: SupporterSource,
        *,
        name: str = "",
        postcode: str | None = None,
        user_id: str | None = None,
        verified_at: int | None = None,
    ) -> Supporter:
        """Insert the address (absent so far).

        Raises:
            UNIQUE_VIOLATIONS: another transaction inserted the address, or linked ``user_id``,
                meanwhile (the transaction is then void: start again).
        """
        now = now_ms()
        row = await self.conn.fetchrow(
            "INSERT INTO supporter (email, name, postcode, source, user_id, verified_at,"
            " created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7)"
            f" RETURNING {SUPPORTER_COLUMNS}",
            self.email,
            name,
            postcode,
            source.value,
            user_id,
            verified_at,
            now,
        )
        self.supporter = Supporter.from_row(row)
        return self.supporter

    async def update(self, *, name: str, postcode: str | None) -> Supporter:
        """Change the name and postcode of the (existing) row."""
        return await self._set("name = $2, postcode = $3", name, postcode)

    async def link(self, user_id: str, verified_at: int) -> Supporter:
        """Link the (existing) row to ``user_id``.

        Raises:
            UNIQUE_VIOLATIONS: ``user_id`` was linked to another address meanwhile.
        """
        return await self._set("user_id = $2, verified_at = $3", user_id, verified_at)

    async def _set(self, assignments: str, *values: Any) -> Supporter:
        assert self.supporter is not None, "no row to change"
        row = await self.conn.fetchrow(
            f"UPDATE supporter SET {assignments}, updated_at = ${len(values) + 2}"
            f" WHERE id = $1 RETURNING {SUPPORTER_COLUMNS}",
            self.supporter.id,
            *values,
            now_ms(),
        )
        self.supporter = Supporter.from_row(row)
        return self.supporter


class Erasure:
    """The deletions of one person's data, inside one transaction (:meth:`SupporterRepository.
    erasing`): all of them happen, or none."""

    def __init__(self, conn: Connection, scheme: Scheme) -> None:
        self.conn = conn
        self.scheme = scheme

    async def delete_supporter(self, user_id: str) -> Supporter | None:
        row = await self.conn.fetchrow(
            f"DELETE FROM supporter WHERE user_id = $1 RETURNING {SUPPORTER_COLUMNS}", user_id
        )
        return None if row is None else Supporter.from_row(row)

    async def delete_codes(self, user_id: str, email: str | None) -> int:
        """The pending codes of ``user_id``, and any pending code sent to ``email``."""
        rows = await self.conn.fetch(
            "DELETE FROM email_code WHERE user_id = $1 OR email = $2 RETURNING user_id",
            user_id,
            email or "",
        )
        return len(rows)

    async def delete_sending_log(self, user_id: str, email: str | None) -> int:
        """The log of codes sent to ``email``, and ``user_id``'s name on the other lines.

        A line of another address is kept without the user (its address is not the person's
        data, and it still counts in that address's rate limit, so erasing oneself never
        unlocks more codes to someone else's mailbox).
        """
        deleted = await self.conn.fetch(
            "DELETE FROM email_sent WHERE email = $1 RETURNING sent_at", email or ""
        )
        anonymised = await self.conn.fetch(
            "UPDATE email_sent SET user_id = '' WHERE user_id = $1 RETURNING sent_at", user_id
        )
        return len(deleted) + len(anonymised)

    async def delete_joining(self, user_id: str) -> bool:
        row = await self.conn.fetchrow(
            "DELETE FROM joining WHERE user_id = $1 RETURNING user_id", user_id
        )
        return row is not None

    async def delete_where_user(self, table: str, user_id: str) -> int:
        """Delete the rows of ``table`` (one of :data:`PERSONAL_TABLES`) about ``user_id``."""
        if table not in PERSONAL_TABLES:
            raise ValueError(f"not a table of personal data: {table}")
        rows = await self.conn.fetch(
            f"DELETE FROM {table} WHERE user_id = $1 RETURNING user_id", user_id
        )
        return len(rows)

    async def delete_rsvps(self, user_id: str) -> int:
        rows = await self.conn.fetch(
            "DELETE FROM rsvp WHERE user_id = $1 RETURNING event_id", user_id
        )
        return len(rows)

    async def team_ids(self, user_id: str) -> list[str]:
        """The teams ``user_id`` is a member of, in the order they must be locked."""
        rows = await self.conn.fetch(
            "SELECT team_id FROM team_member WHERE user_id = $1 ORDER BY team_id", user_id
        )
        return [row["team_id"] for row in rows]

    async def lock_team(self, team_id: str) -> LockedTeam | None:
        return await lock_team(self.conn, self.scheme, team_id)


class SupporterRepository:
    """SQL for the ``supporter`` table, and the reads and deletions of a person's data in the
    verification and joining tables (for exports and erasure)."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def get_by_email(self, email: str) -> Supporter | None:
        row = await self.db.fetchrow(
            f"SELECT {SUPPORTER_COLUMNS} FROM supporter WHERE email = $1", email
        )
        return None if row is None else Supporter.from_row(row)

    async def personal_rows(self, user_id: str) -> dict[str, list[dict[str, Any]]]:
        """Every row about ``user_id`` in the :data:`PERSONAL_TABLES`, by table (for exports)."""
        found: dict[str, list[dict[str, Any]]] = {}
        for table in PERSONAL_TABLES:
            rows = await self.db.fetch(f"SELECT * FROM {table} WHERE user_id = $1", user_id)
            found[table] = [dict(row) for row in rows]
        return found

    async def get_by_user(self, user_id: str) -> Supporter | None:
        row = await self.db.fetchrow(
            f"SELECT {SUPPORTER_COLUMNS} FROM supporter WHERE user_id = $1", user_id
        )
        return None if row is None else Supporter.from_row(row)

    async def count(self) -> int:
        return int(await self.db.fetchval("SELECT COUNT(*) FROM supporter"))

    @asynccontextmanager
    async def locked(self, email: str) -> AsyncIterator[LockedSupporter]:
        """A transaction holding the lock of ``email``'s row until the block ends (see
        :func:`.locks.fetch_locked`; an absent address is not locked on PostgreSQL)."""
        async with self.db.acquire() as conn, conn.transaction():  # type: ignore[var-annotated]
            row = await fetch_locked(
                conn, self.db.scheme, "supporter", SUPPORTER_COLUMNS, email, key="email"
            )
            yield LockedSupporter(conn, email, None if row is None else Supporter.from_row(row))

    async def set_home(
        self,
        user_id: str,
        commune: str | None,
        postcode: str | None,
        latitude: float | None,
        longitude: float | None,
        precision: str | None,
    ) -> Supporter | None:
        """Store where the supporter linked to ``user_id`` acts; None if no supporter is."""
        row = await self.db.fetchrow(
            "UPDATE supporter SET home_commune = $2, home_postcode = $3, home_latitude = $4,"
            " home_longitude = $5, home_precision = $6, updated_at = $7 WHERE user_id = $1"
            f" RETURNING {SUPPORTER_COLUMNS}",
            user_id,
            commune,
            postcode,
            latitude,
            longitude,
            precision,
            now_ms(),
        )
        return None if row is None else Supporter.from_row(row)

    async def set_language(self, user_id: str, language: str) -> Supporter | None:
        row = await self.db.fetchrow(
            "UPDATE supporter SET language = $2, updated_at = $3 WHERE user_id = $1"
            f" RETURNING {SUPPORTER_COLUMNS}",
            user_id,
            language,
            now_ms(),
        )
        return None if row is None else Supporter.from_row(row)

    # --- A person's data in the other tables (export) ----------------------------------------

    async def codes(self, user_id: str | None, email: str | None) -> list[EmailCode]:
        """The pending codes of ``user_id`` or sent to ``email`` (without their hashes)."""
        rows = await self.db.fetch(
            "SELECT user_id, email, created_at, expires_at, attempts FROM email_code"
            " WHERE user_id = $1 OR email = $2 ORDER BY created_at",
            user_id or "",
            email or "",
        )
        return [EmailCode(**{name: row[name] for name in _CODE_FIELDS}) for row in rows]

    async def sending_log(self, user_id: str | None, email: str | None) -> list[EmailSent]:
        """The codes sent to ``email`` or asked for by ``user_id``, oldest first."""
        rows = await self.db.fetch(
            "SELECT email, user_id, sent_at FROM email_sent"
            " WHERE (user_id = $1 AND user_id <> '') OR email = $2 ORDER BY sent_at",
            user_id or "",
            email or "",
        )
        return [EmailSent(row["email"], row["user_id"], row["sent_at"]) for row in rows]

    async def joining(self, user_id: str) -> Joining | None:
        row = await self.db.fetchrow(
            "SELECT user_id, room_id, step, data, started_at, updated_at FROM joining"
            " WHERE user_id = $1",
            user_id,
        )
        return None if row is None else Joining(**{name: row[name] for name in _JOINING_FIELDS})

    @asynccontextmanager
    async def erasing(self) -> AsyncIterator[Erasure]:
        """One transaction for every deletion of a person's data."""
        async with self.db.acquire() as conn, conn.transaction():  # type: ignore[var-annotated]
            yield Erasure(conn, self.db.scheme)


_CODE_FIELDS = tuple(field.name for field in fields(EmailCode))
_JOINING_FIELDS = tuple(field.name for field in fields(Joining))
