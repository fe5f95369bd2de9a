"""Alerts near home: who subscribes, and which new events concern whom.

A supporter with a home place (set while joining or with ``!chez-moi``) subscribes with a radius
(``!alerte 20``). :class:`AlertMatcher` then goes through new events in creation order: each
confirmed, located, upcoming event concerns the subscribers whose home is within their radius and
who may see it (a public event, or a members-only event of their own team), except its organiser,
and only those who subscribed before it was created. Each gets a delivery, counted against their
local day; beyond ``per_day`` it is recorded as ``capped`` and never sent. Sending is the agenda
bot's (:mod:`bots.alerts`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from bridge.db.alerts import AlertRepository, Cursor, Delivery, Subscriber, Subscription
from bridge.db.clock import now_ms
from bridge.db.events import Event, EventStatus, Visibility
from bridge.db.supporters import Supporter, SupporterRepository

from .errors import DomainError
from .supporters import NOT_LINKED
from .teams import distance_km

#: The same refusal as a search's radius (``DiscoveryError("search.radius", min=1, max=500)``).
RADIUS_INVALID = "search.radius"
RADIUS_MIN, RADIUS_MAX = 1, 500
NO_HOME = "alert.no_home"
#: Events created less than this long ago wait for the next round: an event's ``created_at`` is
#: taken before its transaction commits, so a slower transaction could otherwise commit an
#: earlier ``created_at`` behind the cursor.
SETTLE_MS = 2_000
BATCH = 200


class AlertError(DomainError):
    """A subscription the rules refuse."""


def check_radius(radius_km: int) -> int:
    """``radius_km`` if it is from 1 to 500 km (``search.radius`` otherwise)."""
    if not RADIUS_MIN <= radius_km <= RADIUS_MAX:
        raise AlertError(RADIUS_INVALID, min=RADIUS_MIN, max=RADIUS_MAX)
    return radius_km


def local_day(moment_ms: int, zone: ZoneInfo) -> str:
    """The date of ``moment_ms`` in ``zone``, as ``YYYY-MM-DD`` (a day of the daily cap)."""
    return datetime.fromtimestamp(moment_ms / 1000, zone).date().isoformat()


def concerns(event: Event, now_ms_: int) -> bool:
    """Whether an event may be alerted at all: confirmed, located, not started."""
    return (
        event.status is EventStatus.CONFIRMED
        and event.latitude is not None
        and event.longitude is not None
        and event.start_at > now_ms_
    )


def recipients(event: Event, subscribers: Iterable[Subscriber]) -> list[str]:
    """The subscribers an event concerns: home within their radius, and allowed to see it."""
    assert event.latitude is not None and event.longitude is not None
    chosen = []
    for subscriber in subscribers:
        if event.visibility is Visibility.MEMBERS and not subscriber.member:
            continue
        distance = distance_km(
            subscriber.latitude, subscriber.longitude, event.latitude, event.longitude
        )
        if distance <= subscriber.radius_km:
            chosen.append(subscriber.user_id)
    return chosen


@dataclass(frozen=True)
class AlertSetting:
    """What ``!alerte`` shows: the subscription, and the supporter (their home)."""

    subscription: Subscription | None
    supporter: Supporter | None


class AlertService:
    """Subscribing and unsubscribing (``!alerte``)."""

    def __init__(self, repository: AlertRepository, supporters: SupporterRepository) -> None:
        self.repository = repository
        self.supporters = supporters

    async def subscribe(self, user_id: str, radius_km: int) -> AlertSetting:
        """Alerts for new events within ``radius_km`` of the supporter's home.

        Raises:
            AlertError: ``search.radius``; ``supporter.not_linked`` (the account has not joined);
                ``alert.no_home`` (no home place yet).
        """
        check_radius(radius_km)
        supporter = await self.supporters.get_by_user(user_id)
        if supporter is None:
            raise AlertError(NOT_LINKED)
        if supporter.home_latitude is None or supporter.home_longitude is None:
            raise AlertError(NO_HOME)
        subscription = await self.repository.subscribe(user_id, radius_km)
        return AlertSetting(subscription, supporter)

    async def unsubscribe(self, user_id: str) -> bool:
        """Stop the alerts (pending ones are dropped); False if there were none."""
        return await self.repository.unsubscribe(user_id)

    async def setting(self, user_id: str) -> AlertSetting:
        return AlertSetting(
            await self.repository.subscription(user_id),
            await self.supporters.get_by_user(user_id),
        )


class AlertMatcher:
    """Goes through new events from a persisted cursor and records who is to be alerted.

    Args:
        repository: the alert tables.
        zone: the time zone whose dates the daily cap counts.
        per_day: the most alerts one person gets in a day (``discovery.max_alerts_per_day``).
        name: the cursor's name (one per matcher).
    """

    def __init__(
        self, repository: AlertRepository, zone: ZoneInfo, per_day: int, name: str = "alerts"
    ) -> None:
        self.repository = repository
        self.zone = zone
        self.per_day = per_day
        self.name = name

    async def _cursor(self, now: int) -> Cursor:
        cursor = await self.repository.cursor(self.name)
        if cursor is not None:
            return cursor
        # First run: only events created from now on (or since the first subscription) count.
        first = await self.repository.first_subscription_at()
        start = now if first is None else min(first, now)
        return await self.repository.start_cursor(self.name, Cursor(start, ""))

    async def step(self, *, now: int | None = None) -> list[Delivery]:
        """Go through the events created since the last step (up to :data:`BATCH` of them).

        Returns:
            The deliveries recorded (pending and capped).
        """
        moment = now_ms() if now is None else now
        cursor = await self._cursor(moment)
        events = await self.repository.events_after(cursor, until=moment - SETTLE_MS, limit=BATCH)
        recorded: list[Delivery] = []
        day = local_day(moment, self.zone)
        for event in events:
            chosen: list[str] = []
            if concerns(event, moment):
                chosen = recipients(event, await self.repository.subscribers_near(event))
            if chosen:
                recorded += await self.repository.record(
                    self.name, event, chosen, day=day, per_day=self.per_day
                )
            else:
                await self.repository.move_cursor(self.name, Cursor(event.created_at, event.id))
        return recorded
