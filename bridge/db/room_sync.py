"""The outbox of room projections: which teams' rooms must be brought up to date.

A change to a team writes a row here in the same transaction (:func:`request_room_sync`), so the
room follows every committed change, even one made by another process (the bots, the CLI) or one
committed just before a crash. The appservice claims rows (:class:`RoomSyncQueue`), projects the
team onto its room, and deletes the row only if no newer request came in meanwhile.
"""

from __future__ import annotations

from dataclasses import dataclass

from mautrix.util.async_db import Connection, Database

from .clock import now_ms

RETRY_BASE_MS = 2_000
RETRY_MAX_MS = 300_000


async def request_room_sync(conn: Connection, team_id: str) -> None:
    """Ask for ``team_id``'s room to be re-projected (idempotent; keeps the newest request)."""
    await conn.execute(
        "INSERT INTO room_sync (team_id, requested_at) VALUES ($1, $2)"
        " ON CONFLICT (team_id) DO UPDATE SET requested_at = excluded.requested_at,"
        " next_try_at = 0",
        team_id,
        now_ms(),
    )


@dataclass(frozen=True)
class SyncRequest:
    team_id: str
    requested_at: int
    attempts: int


class RoomSyncQueue:
    """Claiming and completing room projection requests."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def request(self, team_id: str) -> None:
        async with self.db.acquire() as conn:  # type: ignore[var-annotated]
            await request_room_sync(conn, team_id)

    async def request_all(self) -> int:
        """Ask for every team's room (archived ones too) to be checked; returns how many."""
        now = now_ms()
        async with self.db.acquire() as conn, conn.transaction():  # type: ignore[var-annotated]
            team_ids = [row["id"] for row in await conn.fetch("SELECT id FROM team")]
            for team_id in team_ids:
                await conn.execute(
                    "INSERT INTO room_sync (team_id, requested_at) VALUES ($1, $2)"
                    " ON CONFLICT (team_id) DO NOTHING",
                    team_id,
                    now,
                )
        return len(team_ids)

    async def due(self, limit: int = 50) -> list[SyncRequest]:
        """The requests ready to be worked on, oldest first."""
        rows = await self.db.fetch(
            "SELECT team_id, requested_at, attempts FROM room_sync WHERE next_try_at <= $1"
            " ORDER BY requested_at, team_id LIMIT $2",
            now_ms(),
            limit,
        )
        return [SyncRequest(row["team_id"], row["requested_at"], row["attempts"]) for row in rows]

    async def pending(self) -> int:
        return int(await self.db.fetchval("SELECT COUNT(*) FROM room_sync"))

    async def done(self, request: SyncRequest) -> bool:
        """Remove a request that was carried out; False if a newer one arrived meanwhile."""
        deleted = await self.db.fetchval(
            "DELETE FROM room_sync WHERE team_id = $1 AND requested_at = $2 RETURNING team_id",
            request.team_id,
            request.requested_at,
        )
        return deleted is not None

    async def failed(self, request: SyncRequest, error: str) -> None:
        """Keep a request that failed, to retry later with exponential back-off."""
        delay = min(RETRY_BASE_MS * 2**request.attempts, RETRY_MAX_MS)
        await self.db.execute(
            "UPDATE room_sync SET attempts = attempts + 1, next_try_at = $1, last_error = $2"
            " WHERE team_id = $3",
            now_ms() + delay,
            error[:1000],
            request.team_id,
        )
