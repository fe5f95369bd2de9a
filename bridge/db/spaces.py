"""The campaign's spaces: the root space, then one space per département."""

from __future__ import annotations

from mautrix.util.async_db import Database

from .clock import now_ms

ROOT = "root"


class SpaceRepository:
    """SQL for ``campaign_space``: space key ("root" or a département code) → room id."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def get(self, key: str) -> str | None:
        value = await self.db.fetchval("SELECT room_id FROM campaign_space WHERE key = $1", key)
        return None if value is None else str(value)

    async def all(self) -> dict[str, str]:
        rows = await self.db.fetch("SELECT key, room_id FROM campaign_space ORDER BY key")
        return {row["key"]: row["room_id"] for row in rows}

    async def save(self, key: str, room_id: str) -> None:
        await self.db.execute(
            "INSERT INTO campaign_space (key, room_id, created_at) VALUES ($1, $2, $3)"
            " ON CONFLICT (key) DO UPDATE SET room_id = excluded.room_id",
            key,
            room_id,
            now_ms(),
        )
