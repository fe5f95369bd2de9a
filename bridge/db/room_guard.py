"""What protects rooms: the join log, lockdowns, mutes, protection switches and strikes."""

from __future__ import annotations

from dataclasses import dataclass

from mautrix.util.async_db import Connection, Database

from .clock import now_ms

#: The scope of a protection switch that applies everywhere (else: a room id).
GLOBAL = ""


@dataclass(frozen=True)
class Join:
    room_id: str
    user_id: str
    joined_at: int


@dataclass(frozen=True)
class Lockdown:
    room_id: str
    reason: str
    locked_by: str
    locked_at: int


class RoomGuard:
    """Joins, lockdowns, mutes, protection switches and strikes."""

    def __init__(self, db: Database) -> None:
        self.db = db

    # --- joins -------------------------------------------------------------------------------

    @staticmethod
    async def record_join(
        conn: Connection, room_id: str, user_id: str, joined_at: int, event_id: str
    ) -> None:
        """Remember ``user_id``'s latest join of ``room_id``."""
        await conn.execute(
            "INSERT INTO room_join (room_id, user_id, joined_at, event_id) VALUES ($1, $2, $3, $4)"
            " ON CONFLICT (room_id, user_id) DO UPDATE SET joined_at = excluded.joined_at,"
            " event_id = excluded.event_id WHERE room_join.joined_at < excluded.joined_at",
            room_id,
            user_id,
            joined_at,
            event_id,
        )

    @staticmethod
    async def recent_joins(conn: Connection, room_id: str, since: int) -> list[Join]:
        rows = await conn.fetch(
            "SELECT room_id, user_id, joined_at FROM room_join"
            " WHERE room_id = $1 AND joined_at >= $2 ORDER BY joined_at, user_id",
            room_id,
            since,
        )
        return [Join(row["room_id"], row["user_id"], row["joined_at"]) for row in rows]

    async def joins_since(self, since: int, room_id: str | None = None) -> list[Join]:
        """Every join at or after ``since`` (in one room when given), oldest first."""
        if room_id is None:
            rows = await self.db.fetch(
                "SELECT room_id, user_id, joined_at FROM room_join WHERE joined_at >= $1"
                " ORDER BY joined_at, user_id",
                since,
            )
        else:
            rows = await self.db.fetch(
                "SELECT room_id, user_id, joined_at FROM room_join"
                " WHERE joined_at >= $1 AND room_id = $2 ORDER BY joined_at, user_id",
                since,
                room_id,
            )
        return [Join(row["room_id"], row["user_id"], row["joined_at"]) for row in rows]

    async def joined_at(self, room_id: str, user_id: str) -> int | None:
        """When ``user_id`` last joined ``room_id`` (None: not since we keep count)."""
        value = await self.db.fetchval(
            "SELECT joined_at FROM room_join WHERE room_id = $1 AND user_id = $2",
            room_id,
            user_id,
        )
        return int(value) if value is not None else None

    # --- lockdowns ---------------------------------------------------------------------------

    @staticmethod
    async def lock(conn: Connection, room_id: str, *, reason: str, locked_by: str) -> bool:
        """Lock ``room_id`` down; False if it already was."""
        row = await conn.fetchrow(
            "INSERT INTO room_lockdown (room_id, reason, locked_by, locked_at)"
            " VALUES ($1, $2, $3, $4) ON CONFLICT (room_id) DO NOTHING RETURNING room_id",
            room_id,
            reason,
            locked_by,
            now_ms(),
        )
        return row is not None

    @staticmethod
    async def unlock(conn: Connection, room_id: str) -> bool:
        row = await conn.fetchrow(
            "DELETE FROM room_lockdown WHERE room_id = $1 RETURNING room_id", room_id
        )
        return row is not None

    async def lockdown(self, room_id: str) -> Lockdown | None:
        row = await self.db.fetchrow("SELECT * FROM room_lockdown WHERE room_id = $1", room_id)
        if row is None:
            return None
        return Lockdown(row["room_id"], row["reason"], row["locked_by"], row["locked_at"])

    async def lockdowns(self) -> list[Lockdown]:
        rows = await self.db.fetch("SELECT * FROM room_lockdown ORDER BY locked_at")
        return [Lockdown(r["room_id"], r["reason"], r["locked_by"], r["locked_at"]) for r in rows]

    # --- mutes -------------------------------------------------------------------------------

    @staticmethod
    async def mute(
        conn: Connection, room_id: str, user_id: str, *, muted_by: str, until: int | None
    ) -> None:
        await conn.execute(
            "INSERT INTO room_mute (room_id, user_id, muted_by, muted_at, until)"
            " VALUES ($1, $2, $3, $4, $5) ON CONFLICT (room_id, user_id) DO UPDATE SET"
            " muted_by = excluded.muted_by, muted_at = excluded.muted_at, until = excluded.until",
            room_id,
            user_id,
            muted_by,
            now_ms(),
            until,
        )

    @staticmethod
    async def unmute(conn: Connection, room_id: str, user_id: str) -> bool:
        row = await conn.fetchrow(
            "DELETE FROM room_mute WHERE room_id = $1 AND user_id = $2 RETURNING user_id",
            room_id,
            user_id,
        )
        return row is not None

    async def mutes_of(self, user_id: str, at: int | None = None) -> list[str]:
        """The rooms where ``user_id`` is muted now (or at ``at``)."""
        rows = await self.db.fetch(
            "SELECT room_id FROM room_mute WHERE user_id = $1 AND (until IS NULL OR until > $2)"
            " ORDER BY room_id",
            user_id,
            now_ms() if at is None else at,
        )
        return [row["room_id"] for row in rows]

    async def muted(self, room_id: str, at: int | None = None) -> set[str]:
        """Who is muted in ``room_id`` now (or at ``at``)."""
        rows = await self.db.fetch(
            "SELECT user_id FROM room_mute WHERE room_id = $1 AND (until IS NULL OR until > $2)",
            room_id,
            now_ms() if at is None else at,
        )
        return {row["user_id"] for row in rows}

    # --- protection switches -----------------------------------------------------------------

    async def switches(self, scope: str | None = None) -> dict[tuple[str, str], bool]:
        """The switches set by moderators, by (scope, protection)."""
        if scope is None:
            rows = await self.db.fetch("SELECT scope, protection, enabled FROM protection_setting")
        else:
            rows = await self.db.fetch(
                "SELECT scope, protection, enabled FROM protection_setting WHERE scope = $1",
                scope,
            )
        return {(row["scope"], row["protection"]): bool(row["enabled"]) for row in rows}

    async def switch(self, scope: str, protection: str, *, enabled: bool, set_by: str) -> None:
        await self.db.execute(
            "INSERT INTO protection_setting (scope, protection, enabled, set_by, set_at)"
            " VALUES ($1, $2, $3, $4, $5) ON CONFLICT (scope, protection) DO UPDATE SET"
            " enabled = excluded.enabled, set_by = excluded.set_by, set_at = excluded.set_at",
            scope,
            protection,
            enabled,
            set_by,
            now_ms(),
        )

    async def clear_switch(self, scope: str, protection: str) -> None:
        await self.db.execute(
            "DELETE FROM protection_setting WHERE scope = $1 AND protection = $2",
            scope,
            protection,
        )

    # --- strikes -----------------------------------------------------------------------------

    @staticmethod
    async def record_strike(
        conn: Connection, user_id: str, room_id: str, event_id: str, protection: str
    ) -> tuple[int, bool]:
        """Record an offence once per event and protection: the user's strike count, and
        whether this offence is new (False: ``event_id`` was already struck for
        ``protection``, e.g. seen again after a restart)."""
        row = await conn.fetchrow(
            "INSERT INTO moderation_strike (user_id, room_id, event_id, protection, struck_at)"
            " VALUES ($1, $2, $3, $4, $5) ON CONFLICT (event_id, protection) DO NOTHING"
            " RETURNING id",
            user_id,
            room_id,
            event_id,
            protection,
            now_ms(),
        )
        count = await conn.fetchval(
            "SELECT COUNT(*) FROM moderation_strike WHERE user_id = $1", user_id
        )
        return int(count), row is not None
