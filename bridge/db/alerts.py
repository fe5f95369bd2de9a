"""SQL for alerts near home: subscriptions, the matcher's cursor through new events, and the
deliveries it records; the database is passed in.

The matcher walks events in creation order (``created_at``, then ``id``) from its cursor. For
each event it records the deliveries and moves the cursor in one transaction, holding the
cursor's row lock: a restart neither loses an event nor records it twice, and the primary key
``(event_id, user_id)`` of ``alert_delivery`` keeps one delivery per event and person whatever
happens.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from mautrix.util.async_db import Database

from .clock import now_ms
from .events import EVENT_COLUMNS, Event
from .locks import fetch_locked

DeliveryStatus = Literal["pending", "sent", "capped"]
#: Kilometres per degree of latitude (a little less than the true 111.2, so the band is wide
#: enough; the exact distance is checked afterwards).
KM_PER_DEGREE = 111.0


@dataclass(frozen=True)
class Subscription:
    user_id: str
    radius_km: int
    created_at: int


@dataclass(frozen=True)
class Subscriber:
    """A subscription with what matching needs: the home place and the memberships."""

    user_id: str
    radius_km: int
    latitude: float
    longitude: float
    #: Whether the person is a member of the event's team (members-only events are theirs).
    member: bool


@dataclass(frozen=True)
class Delivery:
    event_id: str
    user_id: str
    #: The local date (``YYYY-MM-DD`` in the campaign's time zone) it counts against.
    day: str
    status: DeliveryStatus
    created_at: int
    sent_at: int | None = None

    @classmethod
    def from_row(cls, row: Any) -> Delivery:
        return cls(
            row["event_id"],
            row["user_id"],
            row["day"],
            row["status"],
            row["created_at"],
            row["sent_at"],
        )


@dataclass(frozen=True)
class Cursor:
    """Where the matcher is: the last event it went through (``event_id`` "" at the start)."""

    created_at: int
    event_id: str


_DELIVERY_COLUMNS = "event_id, user_id, day, status, created_at, sent_at"
#: Moves a cursor forward only.
_ADVANCE = (
    "UPDATE alert_cursor SET created_at = $2, event_id = $3"
    " WHERE name = $1 AND (created_at < $2 OR (created_at = $2 AND event_id < $3))"
)


class AlertRepository:
    """SQL for ``alert_subscription``, ``alert_cursor`` and ``alert_delivery``."""

    def __init__(self, db: Database) -> None:
        self.db = db

    # --- Subscriptions -------------------------------------------------------------------------

    async def subscription(self, user_id: str) -> Subscription | None:
        row = await self.db.fetchrow(
            "SELECT user_id, radius_km, created_at FROM alert_subscription WHERE user_id = $1",
            user_id,
        )
        if row is None:
            return None
        return Subscription(row["user_id"], row["radius_km"], row["created_at"])

    async def subscribe(self, user_id: str, radius_km: int) -> Subscription:
        """Subscribe, or change the radius (the subscription keeps its first date)."""
        await self.db.execute(
            "INSERT INTO alert_subscription (user_id, radius_km, created_at) VALUES ($1, $2, $3)"
            " ON CONFLICT (user_id) DO UPDATE SET radius_km = excluded.radius_km",
            user_id,
            radius_km,
            now_ms(),
        )
        subscription = await self.subscription(user_id)
        assert subscription is not None
        return subscription

    async def unsubscribe(self, user_id: str) -> bool:
        """Stop the alerts; the ones not sent yet are dropped. False if there were none."""
        async with self.db.acquire() as conn, conn.transaction():  # type: ignore[var-annotated]
            deleted = await conn.fetchval(
                "DELETE FROM alert_subscription WHERE user_id = $1 RETURNING user_id", user_id
            )
            await conn.execute(
                "DELETE FROM alert_delivery WHERE user_id = $1 AND status = 'pending'", user_id
            )
        return deleted is not None

    async def first_subscription_at(self) -> int | None:
        value = await self.db.fetchval("SELECT MIN(created_at) FROM alert_subscription")
        return None if value is None else int(value)

    # --- The matcher's walk through new events --------------------------------------------------

    async def cursor(self, name: str) -> Cursor | None:
        row = await self.db.fetchrow(
            "SELECT created_at, event_id FROM alert_cursor WHERE name = $1", name
        )
        return None if row is None else Cursor(row["created_at"], row["event_id"])

    async def start_cursor(self, name: str, cursor: Cursor) -> Cursor:
        """Create the cursor at ``cursor`` unless it exists; return the stored one."""
        await self.db.execute(
            "INSERT INTO alert_cursor (name, created_at, event_id) VALUES ($1, $2, $3)"
            " ON CONFLICT (name) DO NOTHING",
            name,
            cursor.created_at,
            cursor.event_id,
        )
        stored = await self.cursor(name)
        assert stored is not None
        return stored

    async def events_after(self, cursor: Cursor, *, until: int, limit: int) -> list[Event]:
        """The events created after ``cursor`` and no later than ``until``, in creation order."""
        rows = await self.db.fetch(
            f"SELECT {EVENT_COLUMNS} FROM event"
            " WHERE (created_at > $1 OR (created_at = $1 AND id > $2)) AND created_at <= $3"
            " ORDER BY created_at, id LIMIT $4",
            cursor.created_at,
            cursor.event_id,
            until,
            limit,
        )
        return [Event.from_row(row) for row in rows]

    async def subscribers_near(self, event: Event) -> list[Subscriber]:
        """The subscriptions, older than the event, whose home is in the event's band of
        latitude for their radius (the caller checks the exact distance), except the
        organiser's, with whether each person is a member of the event's team."""
        assert event.latitude is not None and event.longitude is not None
        rows = await self.db.fetch(
            "SELECT s.user_id, s.radius_km, p.home_latitude, p.home_longitude,"
            " EXISTS (SELECT 1 FROM team_member m"
            "         WHERE m.team_id = $2 AND m.user_id = s.user_id) AS member"
            " FROM alert_subscription s JOIN supporter p ON p.user_id = s.user_id"
            " WHERE p.home_latitude IS NOT NULL AND p.home_longitude IS NOT NULL"
            " AND ABS(p.home_latitude - CAST($1 AS DOUBLE PRECISION))"
            f"     <= CAST(s.radius_km AS DOUBLE PRECISION) / {KM_PER_DEGREE}"
            " AND s.created_at <= $3 AND s.user_id <> $4"
            " ORDER BY s.user_id",
            event.latitude,
            event.team_id,
            event.created_at,
            event.organizer,
        )
        return [
            Subscriber(
                row["user_id"],
                row["radius_km"],
                row["home_latitude"],
                row["home_longitude"],
                bool(row["member"]),
            )
            for row in rows
        ]

    async def record(
        self,
        name: str,
        event: Event,
        recipients: Sequence[str],
        *,
        day: str,
        per_day: int,
    ) -> list[Delivery]:
        """Record a delivery of ``event`` to each recipient and move the cursor past it, in one
        transaction holding the cursor's lock.

        A recipient who already has ``per_day`` deliveries (pending or sent) on ``day`` gets a
        ``capped`` one, which is never sent. An event already recorded for a person (a matcher
        that went through it before a crash) is left as it is.

        Returns:
            The deliveries this call recorded.
        """
        recorded: list[Delivery] = []
        created = now_ms()
        async with self.db.acquire() as conn, conn.transaction():  # type: ignore[var-annotated]
            await fetch_locked(conn, self.db.scheme, "alert_cursor", "name", name, key="name")
            for user_id in recipients:
                sent_today = await conn.fetchval(
                    "SELECT COUNT(*) FROM alert_delivery"
                    " WHERE user_id = $1 AND day = $2 AND status IN ('pending', 'sent')",
                    user_id,
                    day,
                )
                status: DeliveryStatus = "capped" if int(sent_today) >= per_day else "pending"
                inserted = await conn.fetchval(
                    "INSERT INTO alert_delivery (event_id, user_id, day, status, created_at)"
                    " VALUES ($1, $2, $3, $4, $5)"
                    " ON CONFLICT (event_id, user_id) DO NOTHING RETURNING event_id",
                    event.id,
                    user_id,
                    day,
                    status,
                    created,
                )
                if inserted is not None:
                    recorded.append(Delivery(event.id, user_id, day, status, created))
            await conn.execute(
                _ADVANCE,
                name,
                event.created_at,
                event.id,
            )
        return recorded

    async def move_cursor(self, name: str, cursor: Cursor) -> None:
        """Move past events that concern nobody (never back: a slower matcher leaves it)."""
        await self.db.execute(_ADVANCE, name, cursor.created_at, cursor.event_id)

    async def reset_cursor(self, name: str, cursor: Cursor) -> None:
        """Put the cursor at ``cursor``, even back (an operator's repair; and the tests')."""
        await self.db.execute(
            "UPDATE alert_cursor SET created_at = $2, event_id = $3 WHERE name = $1",
            name,
            cursor.created_at,
            cursor.event_id,
        )

    # --- Deliveries ----------------------------------------------------------------------------

    async def pending(self, limit: int = 50) -> list[Delivery]:
        """The deliveries still to send, oldest first."""
        rows = await self.db.fetch(
            f"SELECT {_DELIVERY_COLUMNS} FROM alert_delivery WHERE status = 'pending'"
            " ORDER BY created_at, event_id, user_id LIMIT $1",
            limit,
        )
        return [Delivery.from_row(row) for row in rows]

    async def deliveries(self, *, user_id: str | None = None) -> list[Delivery]:
        """Every delivery (of ``user_id`` if given), oldest first."""
        rows = await self.db.fetch(
            f"SELECT {_DELIVERY_COLUMNS} FROM alert_delivery"
            " WHERE $1 = '' OR user_id = $1 ORDER BY created_at, event_id, user_id",
            user_id or "",
        )
        return [Delivery.from_row(row) for row in rows]

    async def mark_sent(self, delivery: Delivery) -> None:
        await self.db.execute(
            "UPDATE alert_delivery SET status = 'sent', sent_at = $3"
            " WHERE event_id = $1 AND user_id = $2 AND status = 'pending'",
            delivery.event_id,
            delivery.user_id,
            now_ms(),
        )

    async def drop(self, delivery: Delivery) -> None:
        """Forget a pending delivery that will not be sent (the event was cancelled, or is
        over, or the person stopped the alerts): it no longer counts against the day."""
        await self.db.execute(
            "DELETE FROM alert_delivery"
            " WHERE event_id = $1 AND user_id = $2 AND status = 'pending'",
            delivery.event_id,
            delivery.user_id,
        )
