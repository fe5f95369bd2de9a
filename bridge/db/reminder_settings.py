"""SQL for ``reminder_settings``: each person's time zone and event reminder offsets.

A missing row, or a NULL column, means "the default" (``locale.timezone``,
``reminders.default_offsets``); the rules are in :mod:`bridge.domain.reminder_preferences`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mautrix.util.async_db import Database

from .clock import now_ms


@dataclass(frozen=True)
class ReminderSettings:
    """One person's settings, as stored.

    Attributes:
        timezone: an IANA time zone name, or None for the default.
        offsets: "off", or durations before an event such as "24h,1h"; None for the default.
    """

    user_id: str
    timezone: str | None
    offsets: str | None
    updated_at: int

    @classmethod
    def from_row(cls, row: Any) -> ReminderSettings:
        return cls(row["user_id"], row["timezone"], row["offsets"], row["updated_at"])


class ReminderSettingsRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def get(self, user_id: str) -> ReminderSettings | None:
        row = await self.db.fetchrow(
            "SELECT user_id, timezone, offsets, updated_at FROM reminder_settings"
            " WHERE user_id = $1",
            user_id,
        )
        return None if row is None else ReminderSettings.from_row(row)

    async def set_timezone(self, user_id: str, timezone: str | None) -> None:
        await self.db.execute(
            "INSERT INTO reminder_settings (user_id, timezone, offsets, updated_at)"
            " VALUES ($1, $2, NULL, $3) ON CONFLICT (user_id)"
            " DO UPDATE SET timezone = excluded.timezone, updated_at = excluded.updated_at",
            user_id,
            timezone,
            now_ms(),
        )

    async def set_offsets(self, user_id: str, offsets: str | None) -> None:
        await self.db.execute(
            "INSERT INTO reminder_settings (user_id, timezone, offsets, updated_at)"
            " VALUES ($1, NULL, $2, $3) ON CONFLICT (user_id)"
            " DO UPDATE SET offsets = excluded.offsets, updated_at = excluded.updated_at",
            user_id,
            offsets,
            now_ms(),
        )

    async def forget(self, user_id: str) -> None:
        await self.db.execute("DELETE FROM reminder_settings WHERE user_id = $1", user_id)
