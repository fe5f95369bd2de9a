"""SQL for teams and their members; the database is passed in.

Role changes and departures read and write inside one :class:`LockedTeam` transaction that holds the
team's row lock, so two concurrent requests cannot both see a free referent slot.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from mautrix.util.async_db import Connection, Database, Scheme

from bridge.domain.roles import Role

from .clock import now_ms


class TeamKind(StrEnum):
    LOCAL = "local"
    THEMATIC = "thematic"


TEAM_COLUMNS = (
    "id, name, kind, description, commune, postcode, departement, latitude, longitude,"
    " room_id, created_at, archived_at"
)


@dataclass(frozen=True)
class Team:
    id: str
    name: str
    kind: TeamKind
    description: str
    commune: str | None
    postcode: str | None
    departement: str | None
    latitude: float | None
    longitude: float | None
    room_id: str | None
    created_at: int
    archived_at: int | None

    @classmethod
    def from_row(cls, row: Any) -> Team:
        return cls(
            id=row["id"],
            name=row["name"],
            kind=TeamKind(row["kind"]),
            description=row["description"],
            commune=row["commune"],
            postcode=row["postcode"],
            departement=row["departement"],
            latitude=row["latitude"],
            longitude=row["longitude"],
            room_id=row["room_id"],
            created_at=row["created_at"],
            archived_at=row["archived_at"],
        )


@dataclass(frozen=True)
class Member:
    team_id: str
    user_id: str
    role: Role
    joined_at: int

    @classmethod
    def from_row(cls, row: Any) -> Member:
        return cls(
            team_id=row["team_id"],
            user_id=row["user_id"],
            role=Role(row["role"]),
            joined_at=row["joined_at"],
        )


class LockedTeam:
    """Reads and writes on one team inside a transaction that holds the team's row lock."""

    def __init__(self, conn: Connection, team: Team) -> None:
        self.conn = conn
        self.team = team

    async def role_of(self, user_id: str) -> Role | None:
        value = await self.conn.fetchval(
            "SELECT role FROM team_member WHERE team_id = $1 AND user_id = $2",
            self.team.id,
            user_id,
        )
        return None if value is None else Role(value)

    async def referent_count(self) -> int:
        count = await self.conn.fetchval(
            "SELECT COUNT(*) FROM team_member WHERE team_id = $1 AND role = $2",
            self.team.id,
            Role.REFERENT.value,
        )
        return int(count)

    async def set_role(self, user_id: str, role: Role) -> None:
        await self.conn.execute(
            "UPDATE team_member SET role = $1 WHERE team_id = $2 AND user_id = $3",
            role.value,
            self.team.id,
            user_id,
        )

    async def remove_member(self, user_id: str) -> bool:
        removed = await self.conn.fetchval(
            "DELETE FROM team_member WHERE team_id = $1 AND user_id = $2 RETURNING user_id",
            self.team.id,
            user_id,
        )
        return removed is not None


class TeamRepository:
    """SQL for the ``team`` and ``team_member`` tables."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def create(self, team: Team, referent_user_id: str) -> bool:
        """Store a team and its first referent atomically.

        Returns:
            False, storing nothing, if the team id is already taken.
        """
        async with self.db.acquire() as conn, conn.transaction():  # type: ignore[var-annotated]
            inserted = await conn.fetchval(
                f"INSERT INTO team ({TEAM_COLUMNS})"
                " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)"
                " ON CONFLICT (id) DO NOTHING RETURNING id",
                team.id,
                team.name,
                team.kind.value,
                team.description,
                team.commune,
                team.postcode,
                team.departement,
                team.latitude,
                team.longitude,
                team.room_id,
                team.created_at,
                team.archived_at,
            )
            if inserted is None:
                return False
            await conn.execute(
                "INSERT INTO team_member (team_id, user_id, role, joined_at)"
                " VALUES ($1, $2, $3, $4)",
                team.id,
                referent_user_id,
                Role.REFERENT.value,
                team.created_at,
            )
        return True

    async def get(self, team_id: str) -> Team | None:
        row = await self.db.fetchrow(f"SELECT {TEAM_COLUMNS} FROM team WHERE id = $1", team_id)
        return None if row is None else Team.from_row(row)

    async def list_active(self) -> list[Team]:
        """The teams not archived, by name."""
        rows = await self.db.fetch(
            f"SELECT {TEAM_COLUMNS} FROM team WHERE archived_at IS NULL ORDER BY name, id"
        )
        return [Team.from_row(row) for row in rows]

    async def archive(self, team_id: str) -> bool:
        """Archive a team (kept, hidden from lists). False if unknown or already archived."""
        archived = await self.db.fetchval(
            "UPDATE team SET archived_at = $1 WHERE id = $2 AND archived_at IS NULL RETURNING id",
            now_ms(),
            team_id,
        )
        return archived is not None

    async def members(self, team_id: str) -> list[Member]:
        """The members, referents first, then managers, then by arrival."""
        rows = await self.db.fetch(
            "SELECT team_id, user_id, role, joined_at FROM team_member WHERE team_id = $1"
            " ORDER BY CASE role WHEN 'referent' THEN 0 WHEN 'manager' THEN 1 ELSE 2 END,"
            " joined_at, user_id",
            team_id,
        )
        return [Member.from_row(row) for row in rows]

    async def role_of(self, team_id: str, user_id: str) -> Role | None:
        value = await self.db.fetchval(
            "SELECT role FROM team_member WHERE team_id = $1 AND user_id = $2", team_id, user_id
        )
        return None if value is None else Role(value)

    async def set_role(self, team_id: str, user_id: str, role: Role) -> bool:
        """Set a role without checking the rules (the service checks them). False if no member."""
        updated = await self.db.fetchval(
            "UPDATE team_member SET role = $1 WHERE team_id = $2 AND user_id = $3"
            " RETURNING user_id",
            role.value,
            team_id,
            user_id,
        )
        return updated is not None

    async def add_member(self, team_id: str, user_id: str, role: Role = Role.MEMBER) -> bool:
        """Add a member. False, changing nothing, if they already are one."""
        added = await self.db.fetchval(
            "INSERT INTO team_member (team_id, user_id, role, joined_at) VALUES ($1, $2, $3, $4)"
            " ON CONFLICT (team_id, user_id) DO NOTHING RETURNING user_id",
            team_id,
            user_id,
            role.value,
            now_ms(),
        )
        return added is not None

    async def remove_member(self, team_id: str, user_id: str) -> bool:
        removed = await self.db.fetchval(
            "DELETE FROM team_member WHERE team_id = $1 AND user_id = $2 RETURNING user_id",
            team_id,
            user_id,
        )
        return removed is not None

    @asynccontextmanager
    async def locked(self, team_id: str) -> AsyncIterator[LockedTeam | None]:
        """A transaction holding the team's lock until the block ends; None for an unknown team.

        PostgreSQL: ``SELECT ... FOR UPDATE`` on the team row. SQLite has a single writer, but a
        deferred transaction that reads first could still see a stale snapshot, so a no-op write
        takes the write lock before anything is read.
        """
        async with self.db.acquire() as conn, conn.transaction():  # type: ignore[var-annotated]
            if self.db.scheme in (Scheme.POSTGRES, Scheme.COCKROACH):
                lock = f"SELECT {TEAM_COLUMNS} FROM team WHERE id = $1 FOR UPDATE"
            else:
                await conn.execute(
                    "UPDATE team SET archived_at = archived_at WHERE id = $1", team_id
                )
                lock = f"SELECT {TEAM_COLUMNS} FROM team WHERE id = $1"
            row = await conn.fetchrow(lock, team_id)
            yield None if row is None else LockedTeam(conn, Team.from_row(row))
