"""What the discovery commands and the alerts need, built once (part of
:class:`~bots.services.BotServices`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from mautrix.util.async_db import Database

from bridge.db.alerts import AlertRepository
from bridge.db.direct_rooms import DirectRoomRepository
from bridge.db.search import EventSearchRepository
from bridge.db.search_pages import SearchPageRepository
from bridge.db.supporters import SupporterRepository
from bridge.db.teams import TeamRepository
from bridge.domain.alerts import AlertService
from bridge.domain.discovery import DiscoveryService
from bridge.domain.supporters import SupporterService
from ralliement.geo.geocoding import Geocoder

from .discovery_places import PlaceFinder
from .discovery_views import FoundEvent, FoundTeam

DEFAULT_RADIUS_KM = 20
MAX_ALERTS_PER_DAY = 5


class NearSearch(Protocol):
    """The search (:class:`bridge.domain.discovery.DiscoveryService`)."""

    async def events_near(
        self,
        latitude: float,
        longitude: float,
        radius_km: float,
        *,
        user_id: str,
        now: datetime,
        limit: int = 5,
        offset: int = 0,
    ) -> Sequence[FoundEvent]: ...

    async def teams_near(
        self,
        latitude: float,
        longitude: float,
        radius_km: float,
        *,
        limit: int = 5,
        offset: int = 0,
    ) -> Sequence[FoundTeam]: ...


@dataclass(frozen=True)
class DiscoverySettings:
    """Section ``discovery`` of the configuration."""

    default_radius_km: int = DEFAULT_RADIUS_KM
    max_alerts_per_day: int = MAX_ALERTS_PER_DAY


@dataclass(frozen=True)
class DiscoveryServices:
    """The discovery doors' dependencies.

    Attributes:
        search: events and teams near a point.
        places: typed places (and shared locations) to points.
        supporters: the home place of a supporter.
        alerts: subscriptions to alerts near home.
        pages: each person's last search in each room (``!plus``).
        direct_rooms: the DM the agenda bot keeps with each person (alerts).
        settings: the default radius, the daily cap of alerts.
        welcome_bot: the welcome bot's user ID, named to those who have not joined yet.
    """

    search: NearSearch
    places: PlaceFinder
    supporters: SupporterService
    alerts: AlertService
    alert_repository: AlertRepository
    pages: SearchPageRepository
    direct_rooms: DirectRoomRepository
    settings: DiscoverySettings = field(default_factory=DiscoverySettings)
    welcome_bot: str | None = None

    @classmethod
    def on_database(
        cls,
        db: Database,
        *,
        geocoder: Geocoder | None = None,
        settings: DiscoverySettings | None = None,
        welcome_bot: str | None = None,
    ) -> DiscoveryServices:
        """The discovery services over the appservice's database ``db``."""
        alerts = AlertRepository(db)
        return cls(
            search=DiscoveryService(EventSearchRepository(db), TeamRepository(db)),
            places=PlaceFinder(geocoder),
            supporters=SupporterService.on_database(db),
            alerts=AlertService(alerts, SupporterRepository(db)),
            alert_repository=alerts,
            pages=SearchPageRepository(db),
            direct_rooms=DirectRoomRepository(db),
            settings=settings or DiscoverySettings(),
            welcome_bot=welcome_bot,
        )
