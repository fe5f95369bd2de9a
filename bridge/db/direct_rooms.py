"""The DM each bot keeps with each person (to send them alerts), created on first need."""

from __future__ import annotations

from dataclasses import dataclass

from mautrix.util.async_db import Database

from .clock import now_ms


@dataclass(frozen=True)
class DirectRoom:
    bot_user_id: str
    user_id: str
    room_id: str
    created_at: int


class DirectRoomRepository:
    """SQL for ``direct_room``."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def get(self, bot_user_id: str, user_id: str) -> DirectRoom | None:
        row = await self.db.fetchrow(
            "SELECT bot_user_id, user_id, room_id, created_at FROM direct_room"
            " WHERE bot_user_id = $1 AND user_id = $2",
            bot_user_id,
            user_id,
        )
        if row is None:
            return None
        return DirectRoom(row["bot_user_id"], row["user_id"], row["room_id"], row["created_at"])

    async def save(self, bot_user_id: str, user_id: str, room_id: str) -> DirectRoom:
        """Remember ``room_id`` as the DM of the bot with the person (replacing another)."""
        created = now_ms()
        await self.db.execute(
            "INSERT INTO direct_room (bot_user_id, user_id, room_id, created_at)"
            " VALUES ($1, $2, $3, $4) ON CONFLICT (bot_user_id, user_id)"
            " DO UPDATE SET room_id = excluded.room_id, created_at = excluded.created_at",
            bot_user_id,
            user_id,
            room_id,
            created,
        )
        return DirectRoom(bot_user_id, user_id, room_id, created)

    async def forget(self, bot_user_id: str, user_id: str, room_id: str) -> None:
        """Forget the DM ``room_id`` (the person left it), unless another replaced it."""
        await self.db.execute(
            "DELETE FROM direct_room WHERE bot_user_id = $1 AND user_id = $2 AND room_id = $3",
            bot_user_id,
            user_id,
            room_id,
        )
