"""The rooms the appservice manages, which a campaign-wide ban covers: team rooms and spaces."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from mautrix.util.async_db import Database


class ManagedKind(StrEnum):
    TEAM = "team"
    SPACE = "space"


@dataclass(frozen=True)
class ManagedRoom:
    room_id: str
    kind: ManagedKind
    #: The team's id, or the space's key (``root`` or a département code).
    key: str
    name: str


class ManagedRooms:
    """Team rooms (archived ones too: a ban must hold if one is reopened) and spaces."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def all(self) -> list[ManagedRoom]:
        teams = await self.db.fetch(
            "SELECT room_id, id, name FROM team WHERE room_id IS NOT NULL ORDER BY created_at, id"
        )
        spaces = await self.db.fetch("SELECT room_id, key FROM campaign_space ORDER BY key")
        return [
            *(ManagedRoom(r["room_id"], ManagedKind.SPACE, r["key"], r["key"]) for r in spaces),
            *(ManagedRoom(r["room_id"], ManagedKind.TEAM, r["id"], r["name"]) for r in teams),
        ]

    async def room_ids(self) -> list[str]:
        return [room.room_id for room in await self.all()]

    async def get(self, room_id: str) -> ManagedRoom | None:
        row = await self.db.fetchrow("SELECT id, name FROM team WHERE room_id = $1", room_id)
        if row is not None:
            return ManagedRoom(room_id, ManagedKind.TEAM, row["id"], row["name"])
        key = await self.db.fetchval("SELECT key FROM campaign_space WHERE room_id = $1", room_id)
        return ManagedRoom(room_id, ManagedKind.SPACE, key, key) if key is not None else None

    async def current_members(self) -> list[tuple[str, str]]:
        """(room, user) for everyone joined, invited or knocking in a managed room.

        Read from the appservice's state store (mautrix's ``mx_user_profile``), which every
        membership event the homeserver sends the appservice keeps up to date.
        """
        rows = await self.db.fetch(
            "SELECT p.room_id, p.user_id FROM mx_user_profile p"
            " WHERE p.membership IN ('join', 'invite', 'knock') AND (p.room_id IN"
            " (SELECT room_id FROM team WHERE room_id IS NOT NULL)"
            " OR p.room_id IN (SELECT room_id FROM campaign_space))"
            " ORDER BY p.room_id, p.user_id"
        )
        return [(row["room_id"], row["user_id"]) for row in rows]
