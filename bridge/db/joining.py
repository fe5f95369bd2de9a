"""Where each user is in the joining conversation with the welcome bot.

The conversation is kept here, not in the bot's memory, so a restart in the middle loses
nothing: the next message continues where it was.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from mautrix.util.async_db import Database

from .clock import now_ms


@dataclass(frozen=True)
class JoiningState:
    user_id: str
    room_id: str
    step: str
    data: dict[str, Any] = field(default_factory=dict)
    started_at: int = 0
    updated_at: int = 0


class JoiningRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def get(self, user_id: str) -> JoiningState | None:
        row = await self.db.fetchrow(
            "SELECT user_id, room_id, step, data, started_at, updated_at FROM joining"
            " WHERE user_id = $1",
            user_id,
        )
        return None if row is None else _state(row)

    async def save(self, user_id: str, room_id: str, step: str, data: dict[str, Any]) -> None:
        now = now_ms()
        await self.db.execute(
            "INSERT INTO joining (user_id, room_id, step, data, started_at, updated_at)"
            " VALUES ($1, $2, $3, $4, $5, $5) ON CONFLICT (user_id) DO UPDATE"
            " SET room_id = excluded.room_id, step = excluded.step, data = excluded.data,"
            " updated_at = excluded.updated_at",
            user_id,
            room_id,
            step,
            json.dumps(data),
            now,
        )

    async def delete(self, user_id: str) -> bool:
        deleted = await self.db.fetchval(
            "DELETE FROM joining WHERE user_id = $1 RETURNING user_id", user_id
        )
        return deleted is not None

    async def idle_since(self, before_ms: int) -> list[JoiningState]:
        """The conversations nobody touched since ``before_ms`` (to close them politely)."""
        rows = await self.db.fetch(
            "SELECT user_id, room_id, step, data, started_at, updated_at FROM joining"
            " WHERE updated_at < $1 ORDER BY updated_at",
            before_ms,
        )
        return [_state(row) for row in rows]


def _state(row: Any) -> JoiningState:
    return JoiningState(
        row["user_id"],
        row["room_id"],
        row["step"],
        json.loads(row["data"]),
        row["started_at"],
        row["updated_at"],
    )
