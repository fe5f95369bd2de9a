"""What the bots' commands need from the rest of the program, built once by the runtime."""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from mautrix.util.async_db import Database

from bridge.db.announcements import AnnouncementQueue
from bridge.db.events import EventRepository
from bridge.db.teams import TeamRepository
from bridge.domain.events import EventService
from bridge.domain.teams import TeamService


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
    """

    teams: TeamService
    events: EventService
    announcements: AnnouncementQueue
    language: str
    domain: str
    zone: ZoneInfo
    room_wait_s: float = 30.0

    @classmethod
    def on_database(
        cls,
        db: Database,
        *,
        domain: str,
        zone: ZoneInfo,
        language: str = "fr",
        room_wait_s: float = 30.0,
    ) -> BotServices:
        """The services over the appservice's database ``db``."""
        teams = TeamRepository(db)
        return cls(
            teams=TeamService(teams),
            events=EventService(EventRepository(db), teams),
            announcements=AnnouncementQueue(db),
            language=language,
            domain=domain,
            zone=zone,
            room_wait_s=room_wait_s,
        )
