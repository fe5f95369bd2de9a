"""Discovery: the events and the teams near a place, nearest first, a page at a time.

A supporter sees the upcoming public events near a point and, for the teams they belong to, the
members-only ones too. Distances are great-circle kilometres (:func:`.teams.distance_km`); the
search itself is :class:`bridge.db.search.EventSearchRepository`, which gives the same answers
on SQLite and PostgreSQL.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

from bridge.db.events import Event
from bridge.db.search import EventSearchRepository
from bridge.db.teams import Team, TeamRepository

from .errors import DomainError
from .teams import NearbyTeam, TeamService

RADIUS_MIN_KM = 1
RADIUS_MAX_KM = 500
DEFAULT_LIMIT = 5

# Message keys of the refusals, for the bots' translations.
RADIUS_OUT_OF_RANGE = "search.radius"
POINT_INVALID = "search.point"


class DiscoveryError(DomainError):
    """A search the rules refuse."""


@dataclass(frozen=True)
class NearEvent:
    event: Event
    #: Great-circle distance from the searched point, in km.
    distance_km: float
    team: Team


def check_search(latitude: float, longitude: float, radius_km: float) -> None:
    """Refuse a radius outside 1–500 km, or a point that is not on Earth.

    Raises:
        DiscoveryError: ``search.radius`` (with ``min`` and ``max``) or ``search.point``.
    """
    if not RADIUS_MIN_KM <= radius_km <= RADIUS_MAX_KM:  # NaN is refused too
        raise DiscoveryError(RADIUS_OUT_OF_RANGE, min=RADIUS_MIN_KM, max=RADIUS_MAX_KM)
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise DiscoveryError(POINT_INVALID, latitude=latitude, longitude=longitude)


def _check_page(limit: int, offset: int) -> None:
    if limit < 1 or offset < 0:
        raise ValueError(f"limit must be positive and offset not negative: {limit}, {offset}")


class DiscoveryService:
    """Events and teams near a point, for the bots' "!autour", "!equipes-autour" and "!plus"."""

    def __init__(self, search: EventSearchRepository, teams: TeamRepository) -> None:
        self.search = search
        self.teams = teams

    async def events_near(
        self,
        latitude: float,
        longitude: float,
        radius_km: float,
        *,
        user_id: str,
        now: datetime | None = None,
        limit: int = DEFAULT_LIMIT,
        offset: int = 0,
    ) -> list[NearEvent]:
        """The confirmed events not yet over within ``radius_km`` of the point that ``user_id``
        may see (public ones, and members-only ones of their teams), nearest first, then
        soonest; ``limit`` of them after the first ``offset``.

        Raises:
            DiscoveryError: ``search.radius`` (1–500 km) or ``search.point``.
        """
        check_search(latitude, longitude, radius_km)
        _check_page(limit, offset)
        moment = now or datetime.now().astimezone()
        if moment.tzinfo is None:
            raise ValueError("now must be an aware datetime")
        member_of = [team.id for team, _ in await self.teams.memberships(user_id)]
        found = await self.search.near(
            latitude,
            longitude,
            radius_km,
            now_ms=math.floor(moment.timestamp() * 1000),
            member_of=member_of,
            limit=limit,
            offset=offset,
        )
        teams: dict[str, Team | None] = {}
        near = []
        for event, distance in found:
            if event.team_id not in teams:
                teams[event.team_id] = await self.teams.get(event.team_id)
            team = teams[event.team_id]
            if team is not None:  # else deleted since, with its events
                near.append(NearEvent(event, distance, team))
        return near

    async def teams_near(
        self,
        latitude: float,
        longitude: float,
        radius_km: float,
        *,
        limit: int = DEFAULT_LIMIT,
        offset: int = 0,
    ) -> list[NearbyTeam]:
        """The active teams with a place within ``radius_km`` of the point, nearest first (then
        the larger, then by name); ``limit`` of them after the first ``offset``.

        Raises:
            DiscoveryError: ``search.radius`` (1–500 km) or ``search.point``.
        """
        check_search(latitude, longitude, radius_km)
        _check_page(limit, offset)
        nearest = await TeamService(self.teams).nearest(
            latitude, longitude, limit=offset + limit, max_km=radius_km
        )
        return nearest[offset:]
