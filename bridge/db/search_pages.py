"""The last search of each person in each room, so that ``!plus`` shows the next page."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from mautrix.util.async_db import Database

from .clock import now_ms

SearchKind = Literal["events", "teams"]


@dataclass(frozen=True)
class SearchPage:
    user_id: str
    room_id: str
    kind: SearchKind
    latitude: float
    longitude: float
    radius_km: int
    #: How the searched place is shown ("Lyon 4e Arrondissement (69004)", or a ``geo:`` URI).
    label: str
    #: How many results the pages already shown went through.
    next_offset: int
    created_at: int = 0

    @classmethod
    def from_row(cls, row: Any) -> SearchPage:
        return cls(
            row["user_id"],
            row["room_id"],
            row["kind"],
            row["latitude"],
            row["longitude"],
            row["radius_km"],
            row["label"],
            row["next_offset"],
            row["created_at"],
        )


class SearchPageRepository:
    """SQL for ``search_page``: one row per person and room, the newest search."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def get(self, user_id: str, room_id: str) -> SearchPage | None:
        row = await self.db.fetchrow(
            "SELECT user_id, room_id, kind, latitude, longitude, radius_km, label, next_offset,"
            " created_at FROM search_page WHERE user_id = $1 AND room_id = $2",
            user_id,
            room_id,
        )
        return None if row is None else SearchPage.from_row(row)

    async def save(self, page: SearchPage) -> None:
        """Store ``page`` as the person's search in the room (replacing the previous one)."""
        await self.db.execute(
            "INSERT INTO search_page (user_id, room_id, kind, latitude, longitude, radius_km,"
            " label, next_offset, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
            " ON CONFLICT (user_id, room_id) DO UPDATE SET kind = excluded.kind,"
            " latitude = excluded.latitude, longitude = excluded.longitude,"
            " radius_km = excluded.radius_km, label = excluded.label,"
            " next_offset = excluded.next_offset, created_at = excluded.created_at",
            page.user_id,
            page.room_id,
            page.kind,
            page.latitude,
            page.longitude,
            page.radius_km,
            page.label,
            page.next_offset,
            page.created_at or now_ms(),
        )

    async def advance(self, user_id: str, room_id: str, next_offset: int) -> None:
        await self.db.execute(
            "UPDATE search_page SET next_offset = $3 WHERE user_id = $1 AND room_id = $2",
            user_id,
            room_id,
            next_offset,
        )
