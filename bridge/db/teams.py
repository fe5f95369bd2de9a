"""SQL for teams and their members; the database is passed in.

Role changes and departures read and write inside one :class:`LockedTeam` transaction that holds the
team's row lock, so two concurrent requests cannot both see a free referent slot.
"""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from mautrix.util.async_db import Connection, Database, Scheme

from bridge.domain.roles import Role

from .clock import now_ms
from .locks import fetch_locked
from .room_sync import request_room_sync


class TeamKind(StrEnum):
    LOCAL = "local"
    THEMATIC = "thematic"


TEAM_COLUMNS = (
    "id, name, kind, description, commune, postcode, departement, latitude, longitude,"
    " room_id, created_at, archived_at, source_key, avatar_url, calendar_token"
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
    source_key: str | None = None
    avatar_url: str | None = None
    calendar_token: str | None = None

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
            source_key=row["source_key"],
            avatar_url=row["avatar_url"],
            calendar_token=row["calendar_token"],
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
    """Reads and writes on one team inside a transaction that holds the team's row lock.

    Every write also asks for the team's room to be brought up to date (:mod:`.room_sync`), in the
    same transaction.
    """

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

    async def senior_member(self, role: Role) -> str | None:
        """The member with ``role`` who joined first, if any."""
        value = await self.conn.fetchval(
            "SELECT user_id FROM team_member WHERE team_id = $1 AND role = $2"
            " ORDER BY joined_at, user_id LIMIT 1",
            self.team.id,
            role.value,
        )
        return None if value is None else str(value)

    async def set_role(self, user_id: str, role: Role) -> None:
        await self.conn.execute(
            "UPDATE team_member SET role = $1 WHERE team_id = $2 AND user_id = $3",
            role.value,
            self.team.id,
            user_id,
        )
        await request_room_sync(self.conn, self.team.id)

    async def remove_member(self, user_id: str) -> bool:
        removed = await self.conn.fetchval(
            "DELETE FROM team_member WHERE team_id = $1 AND user_id = $2 RETURNING user_id",
            self.team.id,
            user_id,
        )
        await request_room_sync(self.conn, self.team.id)
        return removed is not None

    async def request_sync(self) -> None:
        """Ask for the room to be re-projected without changing anything (e.g. to undo drift)."""
        await request_room_sync(self.conn, self.team.id)


async def lock_team(conn: Connection, scheme: Scheme, team_id: str) -> LockedTeam | None:
    """The team ``team_id``, locked until the transaction of ``conn`` ends; None if unknown.

    For a transaction that changes several tables at once (erasing a person): it locks its teams
    one by one, in the order of their ids, so that it cannot deadlock with another such
    transaction.
    """
    row = await fetch_locked(conn, scheme, "team", TEAM_COLUMNS, team_id)
    return None if row is None else LockedTeam(conn, Team.from_row(row))


_TEAM_COLUMNS_OF_JOIN = ", ".join(f"team.{name.strip()}" for name in TEAM_COLUMNS.split(","))


def _member_of_join(row: Any) -> Member:
    return Member(
        team_id=row["id"],
        user_id=row["user_id"],
        role=Role(row["role"]),
        joined_at=row["joined_at"],
    )


class TeamRepository:
    """SQL for the ``team`` and ``team_member`` tables."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def create(self, team: Team, referent_user_id: str) -> bool:
        """Store a team and its first referent atomically, and ask for its room.

        Returns:
            False, storing nothing, if the team id or its source key is already taken.
        """
        async with self.db.acquire() as conn, conn.transaction():  # type: ignore[var-annotated]
            inserted = await conn.fetchval(
                f"INSERT INTO team ({TEAM_COLUMNS})"
                " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)"
                " ON CONFLICT DO NOTHING RETURNING id",
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
                team.source_key,
                team.avatar_url,
                team.calendar_token,
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
            await request_room_sync(conn, team.id)
        return True

    async def get(self, team_id: str) -> Team | None:
        row = await self.db.fetchrow(f"SELECT {TEAM_COLUMNS} FROM team WHERE id = $1", team_id)
        return None if row is None else Team.from_row(row)

    async def get_by_room(self, room_id: str) -> Team | None:
        row = await self.db.fetchrow(f"SELECT {TEAM_COLUMNS} FROM team WHERE room_id = $1", room_id)
        return None if row is None else Team.from_row(row)

    async def get_by_source_key(self, source_key: str) -> Team | None:
        row = await self.db.fetchrow(
            f"SELECT {TEAM_COLUMNS} FROM team WHERE source_key = $1", source_key
        )
        return None if row is None else Team.from_row(row)

    async def list_teams(self, *, include_archived: bool = False) -> list[Team]:
        """The teams (by default only those not archived), by name."""
        where = "" if include_archived else " WHERE archived_at IS NULL"
        rows = await self.db.fetch(f"SELECT {TEAM_COLUMNS} FROM team{where} ORDER BY name, id")
        return [Team.from_row(row) for row in rows]

    async def member_counts(self) -> dict[str, int]:
        """How many members each team has, by team id."""
        rows = await self.db.fetch(
            "SELECT team_id, COUNT(*) AS members FROM team_member GROUP BY team_id"
        )
        return {row["team_id"]: int(row["members"]) for row in rows}

    async def archive(self, team_id: str) -> bool:
        """Archive a team (kept, hidden from lists). False if unknown or already archived."""
        async with self.db.acquire() as conn, conn.transaction():  # type: ignore[var-annotated]
            archived = await conn.fetchval(
                "UPDATE team SET archived_at = $1 WHERE id = $2 AND archived_at IS NULL"
                " RETURNING id",
                now_ms(),
                team_id,
            )
            if archived is None:
                return False
            await request_room_sync(conn, team_id)
        return True

    async def set_room(self, team_id: str, room_id: str) -> None:
        """Point a team at its (new) room."""
        await self.db.execute("UPDATE team SET room_id = $1 WHERE id = $2", room_id, team_id)

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

    async def add_member(self, team_id: str, user_id: str, role: Role = Role.MEMBER) -> bool:
        """Add a member (their room invite follows). False, changing nothing, if already one."""
        async with self.db.acquire() as conn, conn.transaction():  # type: ignore[var-annotated]
            added = await conn.fetchval(
                "INSERT INTO team_member (team_id, user_id, role, joined_at)"
                " VALUES ($1, $2, $3, $4)"
                " ON CONFLICT (team_id, user_id) DO NOTHING RETURNING user_id",
                team_id,
                user_id,
                role.value,
                now_ms(),
            )
            if added is None:
                return False
            await request_room_sync(conn, team_id)
        return True

    @asynccontextmanager
    async def locked(self, team_id: str) -> AsyncIterator[LockedTeam | None]:
        """A transaction holding the team's lock until the block ends; None for an unknown team
        (see :func:`.locks.fetch_locked`)."""
        async with self.db.acquire() as conn, conn.transaction():  # type: ignore[var-annotated]
            yield await lock_team(conn, self.db.scheme, team_id)

    async def memberships(self, user_id: str) -> list[tuple[Team, Member]]:
        """The teams ``user_id`` is a member of (archived ones too), with their membership, by
        team name."""
        rows = await self.db.fetch(
            f"SELECT {_TEAM_COLUMNS_OF_JOIN}, team_member.user_id, team_member.role,"
            " team_member.joined_at FROM team JOIN team_member ON team_member.team_id = team.id"
            " WHERE team_member.user_id = $1 ORDER BY team.name, team.id",
            user_id,
        )
        return [(Team.from_row(row), _member_of_join(row)) for row in rows]

    async def count_led_since(self, user_id: str, since_ms: int) -> int:
        """How many teams created at or after ``since_ms`` have ``user_id`` as a referent."""
        count = await self.db.fetchval(
            "SELECT COUNT(*) FROM team JOIN team_member ON team_member.team_id = team.id"
            " WHERE team_member.user_id = $1 AND team_member.role = $2 AND team.created_at >= $3",
            user_id,
            Role.REFERENT.value,
            since_ms,
        )
        return int(count)

    async def calendar_token(self, team_id: str) -> str | None:
        """The secret of the team's private calendar URL, made on first use; None if no team."""
        await self.db.execute(
            "UPDATE team SET calendar_token = $1 WHERE id = $2 AND calendar_token IS NULL",
            secrets.token_urlsafe(24),
            team_id,
        )
        value = await self.db.fetchval("SELECT calendar_token FROM team WHERE id = $1", team_id)
        return None if value is None else str(value)
