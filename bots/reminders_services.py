"""What the reminders bot needs, built once (part of :class:`~bots.services.BotServices`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from zoneinfo import ZoneInfo

from mautrix.util.async_db import Database

from bridge.db.reminder_settings import ReminderSettingsRepository
from bridge.db.reminders import ReminderRepository
from bridge.domain.personal_reminders import PersonalReminders
from bridge.domain.reminder_preferences import ReminderPreferences, parse_offsets

DEFAULT_OFFSETS = "24h,1h"


@dataclass(frozen=True)
class DeliverySettings:
    """Section ``reminders`` of the configuration.

    Attributes:
        late_after: a reminder sent more than this after its time says it is late.
        default_offsets: when people going to an event are reminded of it, unless they chose
            (``!preferences rappels``), e.g. "24h,1h".
        batch: how many due reminders one round of the scheduler claims.
    """

    late_after: timedelta = timedelta(minutes=15)
    default_offsets: str = DEFAULT_OFFSETS
    batch: int = 50


@dataclass(frozen=True)
class ReminderServices:
    """The reminders bot's dependencies.

    Attributes:
        repository: the reminder rows the scheduler claims and delivers.
        personal: !rappel, !rappels, !plus-tard.
        preferences: each person's time zone and event reminder offsets.
        db: the database (event reminders' rules read it).
        settings: lateness, default offsets, batch size.
    """

    repository: ReminderRepository
    personal: PersonalReminders
    preferences: ReminderPreferences
    db: Database
    settings: DeliverySettings = field(default_factory=DeliverySettings)

    @classmethod
    def on_database(
        cls, db: Database, *, zone: ZoneInfo, settings: DeliverySettings | None = None
    ) -> ReminderServices:
        """The reminder services over the appservice's database ``db``; ``zone`` is the
        campaign's time zone (``locale.timezone``)."""
        settings = settings or DeliverySettings()
        repository = ReminderRepository(db)
        preferences = ReminderPreferences(
            ReminderSettingsRepository(db), zone, parse_offsets(settings.default_offsets)
        )
        return cls(
            repository=repository,
            personal=PersonalReminders(repository, preferences),
            preferences=preferences,
            db=db,
            settings=settings,
        )
