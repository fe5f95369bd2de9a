"""What the bots' commands need from the rest of the program, built once by the runtime."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from mautrix.util.async_db import Database

from bridge.db.announcements import AnnouncementQueue
from bridge.db.events import EventRepository
from bridge.db.teams import TeamRepository
from bridge.domain.event_reminders import EventReminders
from bridge.domain.events import EventService
from bridge.domain.teams import TeamService

from .discovery_services import DiscoveryServices
from .reminders_services import ReminderServices

if TYPE_CHECKING:
    from .joining import JoiningFlow
    from .moderation_services import ModerationServices


def utc_now() -> datetime:
    """The current instant, aware, in UTC."""
    return datetime.now(UTC)


@dataclass(frozen=True)
class BotServices:
    """The dependencies a blueprint's registry factory receives.

    Attributes:
        teams: the team rules, on the database the appservice owns.
        events: the event and RSVP rules, on the same database.
        announcements: the announcements owed to team rooms (sent by the agenda bot).
        language: the language of the bots' messages.
        domain: the homeserver's server name; its users are the campaign's.
        zone: the time zone dates are shown in.
        room_wait_s: how long a command waits for the appservice to create a team's room.
        calendar_base_url: the public base URL of the appservice's calendar feeds
            (``bridge.calendar.links.public_base_url``); None: no feed links are shown.
        clock: the current instant, aware (tests pass a fixed one).
        joining: the joining conversation of the welcome bot (None: joining is not offered).
        discovery: events and teams near a place, home places, alerts (the agenda bot's).
        reminders: personal reminders, preferences, the delivery of reminders (the reminders
            bot's).
        moderation: policy lists, protections, alerts and reports (the moderation bot's; None:
            the moderation bot is off).
    """

    teams: TeamService
    events: EventService
    announcements: AnnouncementQueue
    language: str
    domain: str
    zone: ZoneInfo
    room_wait_s: float = 30.0
    calendar_base_url: str | None = None
    clock: Callable[[], datetime] = utc_now
    joining: JoiningFlow | None = None
    discovery: DiscoveryServices | None = None
    reminders: ReminderServices | None = None
    moderation: ModerationServices | None = None

    def now(self) -> datetime:
        """The current instant, aware, in the configured time zone."""
        return self.clock().astimezone(self.zone)

    @classmethod
    def on_database(
        cls,
        db: Database,
        *,
        domain: str,
        zone: ZoneInfo,
        language: str = "fr",
        room_wait_s: float = 30.0,
        calendar_base_url: str | None = None,
        clock: Callable[[], datetime] = utc_now,
        joining: JoiningFlow | None = None,
        discovery: DiscoveryServices | None = None,
        reminders: ReminderServices | None = None,
        moderation: ModerationServices | None = None,
    ) -> BotServices:
        """The services over the appservice's database ``db`` (``discovery`` with the gazetteer
        only and the default settings unless given; ``reminders`` with the default settings)."""
        teams = TeamRepository(db)
        reminders = reminders or ReminderServices.on_database(db, zone=zone)
        # RSVPs schedule the event reminders at the campaign's default offsets.
        schedule = EventReminders(reminders.preferences.default_offsets)
        return cls(
            teams=TeamService(teams),
            events=EventService(EventRepository(db), teams, schedule),
            announcements=AnnouncementQueue(db),
            language=language,
            domain=domain,
            zone=zone,
            room_wait_s=room_wait_s,
            calendar_base_url=calendar_base_url,
            clock=clock,
            joining=joining,
            discovery=discovery or DiscoveryServices.on_database(db),
            reminders=reminders,
            moderation=moderation,
        )
