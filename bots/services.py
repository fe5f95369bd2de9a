"""What the bots' commands need from the rest of the program, built once by the runtime."""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from bridge.domain.teams import TeamService


@dataclass(frozen=True)
class BotServices:
    """The dependencies a blueprint's registry factory receives.

    Attributes:
        teams: the team rules, on the database the appservice owns.
        domain: the homeserver's server name; its users are the campaign's.
        zone: the time zone dates are shown in.
        room_wait_s: how long a command waits for the appservice to create a team's room.
    """

    teams: TeamService
    domain: str
    zone: ZoneInfo
    room_wait_s: float = 30.0
