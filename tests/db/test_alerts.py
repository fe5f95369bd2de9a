"""Alerts near home on both engines: who a new event concerns (radius, visibility, organiser,
subscription date), the matcher's cursor across restarts, one delivery per event and person
whatever happens, and the daily cap."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from mautrix.util.async_db import Database

from bridge.db import create_database
from bridge.db.alerts import AlertRepository, Cursor, Delivery
from bridge.db.clock import now_ms
from bridge.db.events import Event, EventKind, EventRepository, Visibility
from bridge.db.supporters import SupporterRepository
from bridge.db.teams import Team, TeamKind, TeamRepository
from bridge.domain.alerts import SETTLE_MS, AlertMatcher, AlertService, local_day
from bridge.domain.errors import DomainError
from bridge.domain.events import EventPlace, EventService
from bridge.domain.supporters import SupporterService
from bridge.domain.teams import TeamService
from ralliement.geo.gazetteer import gazetteer

PARIS = ZoneInfo("Europe/Paris")
ORGANISER = "@organiser:localhost"
_emails = itertools.count(1)


@dataclass
class World:
    db: Database
    teams: TeamService
    events: EventService
    supporters: SupporterService
    alerts: AlertRepository
    service: AlertService
    team: Team

    def matcher(self, per_day: int = 5) -> AlertMatcher:
        return AlertMatcher(self.alerts, PARIS, per_day)

    async def supporter(self, user_id: str, home: str | None) -> None:
        """A supporter linked to ``user_id``, at home in the commune or postcode ``home``."""
        email = f"person{next(_emails)}@example.org"
        await self.supporters.upsert(email, "Camille", None)
        await self.supporters.link(email, user_id, allow_unlisted=False)
        if home is not None:
            [place, *_] = gazetteer().resolve(home)
            await self.supporters.set_home(
                user_id, place.commune, place.postcode, place.latitude, place.longitude, "commune"
            )

    async def subscriber(self, user_id: str, home: str, radius_km: int) -> None:
        await self.supporter(user_id, home)
        await self.service.subscribe(user_id, radius_km)

    async def event(
        self,
        title: str,
        where: str | None = "69004",
        *,
        visibility: Visibility = Visibility.PUBLIC,
        days: int = 3,
    ) -> Event:
        """A new event of the team, at the commune or postcode ``where`` (None: online)."""
        start = datetime.now(PARIS).replace(microsecond=0) + timedelta(days=days)
        if where is None:
            place = EventPlace("https://visio.example.org")
            kind = EventKind.ONLINE
        else:
            [found, *_] = gazetteer().resolve(where)
            place = EventPlace(
                f"Place de la mairie, {found.commune}",
                commune=found.commune,
                postcode=found.postcode,
                latitude=found.latitude,
                longitude=found.longitude,
                precision="commune",
            )
            kind = EventKind.ACTION
        return await self.events.create_event(
            self.team.id, ORGANISER, title, start, place, kind=kind, visibility=visibility
        )


def later() -> int:
    """A moment after the settling delay of the events just created."""
    return now_ms() + SETTLE_MS + 1


def who(deliveries: list[Delivery]) -> list[tuple[str, str]]:
    return sorted((d.user_id, d.status) for d in deliveries)


@pytest.fixture
async def world(database_url: str) -> AsyncIterator[World]:
    db = create_database(database_url)
    await db.start()
    teams = TeamService(TeamRepository(db))
    team = await teams.create_team_at("Insoumis de la Croix-Rousse", TeamKind.LOCAL, "69004",
                                      ORGANISER)  # fmt: skip
    alerts = AlertRepository(db)
    try:
        yield World(
            db,
            teams,
            EventService(EventRepository(db), teams.repository),
            SupporterService.on_database(db),
            alerts,
            AlertService(alerts, SupporterRepository(db)),
            team,
        )
    finally:
        await db.stop()


async def test_subscribing_needs_a_linked_supporter_with_a_home(world: World) -> None:
    with pytest.raises(DomainError) as refused:
        await world.service.subscribe("@stranger:localhost", 20)
    assert refused.value.key == "supporter.not_linked"
    await world.supporter("@homeless:localhost", None)
    with pytest.raises(DomainError) as refused:
        await world.service.subscribe("@homeless:localhost", 20)
    assert refused.value.key == "alert.no_home"
    for radius in (0, 501):
        with pytest.raises(DomainError) as refused:
            await world.service.subscribe("@homeless:localhost", radius)
        assert refused.value.key == "search.radius"
        assert refused.value.params == {"min": 1, "max": 500}

    await world.supporter("@camille:localhost", "Villeurbanne")
    setting = await world.service.subscribe("@camille:localhost", 20)
    assert setting.subscription is not None and setting.subscription.radius_km == 20
    assert setting.supporter is not None and setting.supporter.home_commune == "Villeurbanne"
    changed = await world.service.subscribe("@camille:localhost", 5)
    assert changed.subscription is not None
    assert changed.subscription.radius_km == 5
    assert changed.subscription.created_at == setting.subscription.created_at
    assert await world.service.unsubscribe("@camille:localhost") is True
    assert await world.service.unsubscribe("@camille:localhost") is False
    assert (await world.service.setting("@camille:localhost")).subscription is None


async def test_matching_by_radius_and_visibility(world: World) -> None:
    matcher = world.matcher()
    await matcher.step()  # the cursor starts here
    # Villeurbanne is about 4 km from Lyon 4e, Grenoble about 95 km.
    await world.subscriber("@near:localhost", "Villeurbanne", 10)
    await world.subscriber("@tight:localhost", "Villeurbanne", 1)
    await world.subscriber("@far:localhost", "Grenoble", 50)
    await world.subscriber("@wide:localhost", "Grenoble", 150)
    await world.subscriber("@member:localhost", "Villeurbanne", 10)
    await world.teams.join(world.team.id, "@member:localhost")
    await world.subscriber(ORGANISER, "69004", 10)  # not told about their own events
    await world.supporter("@unsubscribed:localhost", "69004")

    public = await world.event("Tractage au marché")
    members = await world.event("Réunion d'équipe", visibility=Visibility.MEMBERS)
    online = await world.event("Visio", None)
    cancelled = await world.event("Annulé")
    await world.events.cancel_event(cancelled.id, ORGANISER)
    recorded = await matcher.step(now=later())

    by_event = {
        event.id: who([d for d in recorded if d.event_id == event.id])
        for event in (public, members, online, cancelled)
    }
    assert by_event[public.id] == [
        ("@member:localhost", "pending"),
        ("@near:localhost", "pending"),
        ("@wide:localhost", "pending"),
    ]
    assert by_event[members.id] == [("@member:localhost", "pending")]
    assert by_event[online.id] == [] and by_event[cancelled.id] == []
    assert who(await world.alerts.pending()) == who(recorded)


async def test_events_created_before_the_subscription_are_not_alerted(world: World) -> None:
    matcher = world.matcher()
    await matcher.step()
    await world.event("Avant")
    await asyncio.sleep(0.005)  # timestamps are in milliseconds
    await world.subscriber("@late:localhost", "Villeurbanne", 10)
    await asyncio.sleep(0.005)
    after = await world.event("Après")
    recorded = await matcher.step(now=later())
    assert [(d.event_id, d.user_id) for d in recorded] == [(after.id, "@late:localhost")]


async def test_recent_events_wait_until_they_settle(world: World) -> None:
    matcher = world.matcher()
    await matcher.step()
    await world.subscriber("@near:localhost", "Villeurbanne", 10)
    event = await world.event("Tout juste créé")
    assert await matcher.step(now=event.created_at) == []
    assert len(await matcher.step(now=later())) == 1


async def test_the_cursor_resumes_after_a_restart(world: World, database_url: str) -> None:
    await world.matcher().step()
    await world.subscriber("@near:localhost", "Villeurbanne", 10)
    first = await world.event("Premier")
    assert [d.event_id for d in await world.matcher().step(now=later())] == [first.id]
    cursor = await world.alerts.cursor("alerts")
    assert cursor == Cursor(first.created_at, first.id)

    second = await world.event("Deuxième")
    # A restart: another process, another connection, another matcher.
    restarted = create_database(database_url)
    await restarted.start()
    try:
        matcher = AlertMatcher(AlertRepository(restarted), PARIS, 5)
        assert [d.event_id for d in await matcher.step(now=later())] == [second.id]
        assert await matcher.step(now=later()) == []
    finally:
        await restarted.stop()
    assert sorted(d.event_id for d in await world.alerts.deliveries()) == sorted(
        [first.id, second.id]
    )


async def test_no_duplicate_delivery(world: World) -> None:
    matcher = world.matcher()
    await matcher.step()
    start = await world.alerts.cursor("alerts")
    assert start is not None
    await world.subscriber("@near:localhost", "Villeurbanne", 10)
    event = await world.event("Une fois")
    [delivery] = await matcher.step(now=later())
    await world.alerts.mark_sent(delivery)

    # A slower matcher does not move the cursor back...
    await world.alerts.move_cursor("alerts", start)
    assert await world.alerts.cursor("alerts") == Cursor(event.created_at, event.id)
    # ...and one that went through the event before a crash, without moving its cursor, records
    # nothing new.
    await world.alerts.reset_cursor("alerts", start)
    assert await matcher.step(now=later()) == []
    # Recording it again directly changes nothing either.
    assert await world.alerts.record("alerts", event, ["@near:localhost"], day="x", per_day=5) == []
    [stored] = await world.alerts.deliveries()
    assert (stored.event_id, stored.status) == (event.id, "sent") and stored.sent_at is not None
    assert await world.alerts.pending() == []
    # Marking it sent twice is harmless.
    await world.alerts.mark_sent(delivery)
    assert [d.status for d in await world.alerts.deliveries()] == ["sent"]


async def test_the_daily_cap_records_capped_deliveries(world: World) -> None:
    matcher = world.matcher(per_day=2)
    await matcher.step()
    await world.subscriber("@keen:localhost", "Villeurbanne", 10)
    await world.subscriber("@calm:localhost", "Grenoble", 150)
    events = [await world.event(f"Action {n}") for n in range(3)]
    moment = later()
    recorded = await matcher.step(now=moment)
    keen = [d for d in recorded if d.user_id == "@keen:localhost"]
    assert [(d.event_id, d.status) for d in keen] == [
        (events[0].id, "pending"),
        (events[1].id, "pending"),
        (events[2].id, "capped"),
    ]
    assert all(d.day == local_day(moment, PARIS) for d in recorded)
    assert {(d.event_id, d.status) for d in await world.alerts.pending()} == {
        (event.id, "pending") for event in events[:2]
    }

    # Sent ones count too; a new day starts afresh.
    for delivery in await world.alerts.pending():
        await world.alerts.mark_sent(delivery)
    fourth = await world.event("Action 3")
    [same_day] = [d for d in await matcher.step(now=later()) if d.user_id == "@keen:localhost"]
    assert (same_day.event_id, same_day.status) == (fourth.id, "capped")
    fifth = await world.event("Action 4")
    tomorrow = later() + 24 * 3600 * 1000
    [next_day] = [d for d in await matcher.step(now=tomorrow) if d.user_id == "@keen:localhost"]
    assert (next_day.event_id, next_day.status, next_day.day) == (
        fifth.id,
        "pending",
        local_day(tomorrow, PARIS),
    )


async def test_the_cap_counts_local_days() -> None:
    # 23:30 UTC on 21 November is 00:30 on the 22nd in Paris.
    moment = int(datetime(2026, 11, 21, 23, 30, tzinfo=ZoneInfo("UTC")).timestamp() * 1000)
    assert local_day(moment, PARIS) == "2026-11-22"
    assert local_day(moment, ZoneInfo("UTC")) == "2026-11-21"


async def test_stopping_the_alerts_drops_what_was_not_sent(world: World) -> None:
    matcher = world.matcher()
    await matcher.step()
    await world.subscriber("@near:localhost", "Villeurbanne", 10)
    await world.event("Bientôt")
    assert len(await matcher.step(now=later())) == 1
    assert await world.service.unsubscribe("@near:localhost") is True
    assert await world.alerts.pending() == []
    await world.event("Après l'arrêt")
    assert await matcher.step(now=later()) == []
