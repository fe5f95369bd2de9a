"""Events near a point, on both engines: nearest first then soonest, the radius to the metre, what
a supporter may see, pages that neither overlap nor skip, and the same answers as a plain Python
scan of every event (so the same answers on SQLite and on PostgreSQL)."""

from __future__ import annotations

import math
import random
from collections.abc import AsyncIterator, Collection, Sequence
from dataclasses import dataclass, fields, replace
from datetime import UTC, datetime

import pytest
from mautrix.util.async_db import Database

from bridge.db import create_database
from bridge.db.events import EVENT_COLUMNS, Event, EventKind, EventStatus, Visibility
from bridge.db.search import (
    POSTGRES_QUERY,
    EventSearchRepository,
    bounding_box,
    earth_point,
    earthdistance_chord_m,
)
from bridge.db.teams import Team, TeamKind, TeamRepository
from bridge.domain.discovery import DiscoveryError, DiscoveryService
from bridge.domain.teams import EARTH_RADIUS_KM, distance_km
from ralliement.geo import gazetteer

NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)
NOW_MS = int(NOW.timestamp() * 1000)
HOUR = 3_600_000
LYON = (45.76404, 4.83566)
DUNKERQUE = (51.03438, 2.37681)
AJACCIO = (41.91884, 8.73812)
SAINT_DENIS_REUNION = (-20.88231, 55.4504)
ALICE = "@alice:localhost"


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[Database]:
    database = create_database(database_url)
    await database.start()
    try:
        yield database
    finally:
        await database.stop()


def destination(point: tuple[float, float], bearing: float, km: float) -> tuple[float, float]:
    """The point ``km`` away from ``point`` along the great circle leaving it at ``bearing``
    degrees (on the sphere of ``distance_km``)."""
    lat, lon = map(math.radians, point)
    angle, theta = km / EARTH_RADIUS_KM, math.radians(bearing)
    lat2 = math.asin(
        math.sin(lat) * math.cos(angle) + math.cos(lat) * math.sin(angle) * math.cos(theta)
    )
    lon2 = lon + math.atan2(
        math.sin(theta) * math.sin(angle) * math.cos(lat),
        math.cos(angle) - math.sin(lat) * math.sin(lat2),
    )
    return math.degrees(lat2), math.degrees(lon2)


def event(
    event_id: str,
    point: tuple[float, float] | None,
    *,
    team: str = "team-a",
    start_in_h: float = 24,
    hours: float = 2,
    status: EventStatus = EventStatus.CONFIRMED,
    visibility: Visibility = Visibility.PUBLIC,
) -> Event:
    start = NOW_MS + int(start_in_h * HOUR)
    return Event(
        id=event_id,
        team_id=team,
        title=f"Action {event_id}",
        description="",
        kind=EventKind.ACTION,
        start_at=start,
        end_at=start + int(hours * HOUR),
        timezone="Europe/Paris",
        place="",
        commune=None,
        postcode=None,
        latitude=None if point is None else point[0],
        longitude=None if point is None else point[1],
        precision=None,
        visibility=visibility,
        capacity=None,
        status=status,
        organizer=ALICE,
        sequence=0,
        created_at=NOW_MS,
        updated_at=NOW_MS,
    )


async def store(db: Database, events: Sequence[Event], teams: Collection[str] = ()) -> None:
    """Teams (``team-a``, ``team-b`` and ``teams``) and events, written directly."""
    repository = TeamRepository(db)
    for team_id in {"team-a", "team-b", *teams}:
        if await repository.get(team_id) is None:
            team = Team(team_id, f"Équipe {team_id}", TeamKind.LOCAL, "", None, None, None,
                        LYON[0], LYON[1], None, NOW_MS, None)  # fmt: skip
            assert await repository.create(team, ALICE)
    placeholders = ", ".join(f"${i}" for i in range(1, len(fields(Event)) + 1))
    rows = [
        tuple(getattr(e, f.name).value if f.name in ("kind", "visibility", "status")
              else getattr(e, f.name) for f in fields(Event))
        for e in events
    ]  # fmt: skip
    async with db.acquire() as conn, conn.transaction():  # type: ignore[var-annotated]
        await conn.executemany(f"INSERT INTO event ({EVENT_COLUMNS}) VALUES ({placeholders})", rows)


async def near(
    db: Database,
    point: tuple[float, float],
    radius_km: float,
    *,
    member_of: Collection[str] = (),
    limit: int = 50,
    offset: int = 0,
) -> list[tuple[str, float]]:
    found = await EventSearchRepository(db).near(
        point[0], point[1], radius_km,
        now_ms=NOW_MS, member_of=member_of, limit=limit, offset=offset,
    )  # fmt: skip
    return [(e.id, distance) for e, distance in found]


def ids(found: list[tuple[str, float]]) -> list[str]:
    return [event_id for event_id, _ in found]


async def test_nearest_first_then_soonest_then_by_id(db: Database) -> None:
    town_hall = LYON
    await store(
        db,
        [
            event("far", destination(LYON, 10, 7.5)),
            event("hall-later", town_hall, start_in_h=48),
            event("hall-soon", town_hall, start_in_h=2),
            event("hall-same-b", town_hall, start_in_h=24),
            event("hall-same-a", town_hall, start_in_h=24),
            event("near", destination(LYON, 200, 1.2)),
            event("ongoing", destination(LYON, 300, 3), start_in_h=-1),  # started, not over
        ],
    )
    found = await near(db, LYON, 10)
    assert ids(found) == [
        "hall-soon", "hall-same-a", "hall-same-b", "hall-later", "near", "ongoing", "far",
    ]  # fmt: skip
    assert [round(distance, 6) for _, distance in found] == [0, 0, 0, 0, 1.2, 3, 7.5]


async def test_the_radius_to_the_metre(db: Database) -> None:
    """Both engines keep exactly what the haversine keeps: 9.9 km in, 10.1 km out, and at 1 m
    from the edge too (earthdistance's own sphere would be 11 m off at 10 km)."""
    events = []
    for bearing in range(0, 360, 45):
        for km in (9.9, 9.999, 10.001, 10.1):
            events.append(event(f"b{bearing}-{km}", destination(LYON, bearing, km)))
    await store(db, events)
    found = await near(db, LYON, 10, limit=100)
    assert sorted(ids(found)) == sorted(
        f"b{bearing}-{km}" for bearing in range(0, 360, 45) for km in (9.9, 9.999)
    )
    assert all(distance <= 10 for _, distance in found)


@pytest.mark.parametrize("centre", [DUNKERQUE, AJACCIO, SAINT_DENIS_REUNION])
async def test_every_direction_at_the_edge_of_a_wide_circle(
    db: Database, centre: tuple[float, float]
) -> None:
    """A circle's bounding box is wider than ``r / 111.32 km`` per degree: due north at 99.9 km
    (further than 100 / 111.32 degrees) and its widest longitude, poleward of due east, are in."""
    events = [
        event(f"{'in' if km < 100 else 'out'}-{bearing}", destination(centre, bearing, km))
        for bearing in range(0, 360, 10)
        for km in (99.9, 100.1)
    ]
    # The widest point's bearing: cos β = tan(r / R) tan φ (poleward of due east).
    widest = math.degrees(
        math.acos(math.tan(100 / EARTH_RADIUS_KM) * math.tan(math.radians(centre[0])))
    )
    events.append(event("in-widest", destination(centre, widest, 99.99)))
    await store(db, events)
    found = await near(db, centre, 100, limit=100)
    assert sorted(ids(found)) == sorted(
        ["in-widest"] + [f"in-{bearing}" for bearing in range(0, 360, 10)]
    )
    box = bounding_box(*centre, 100)
    widest_point = destination(centre, widest, 100)
    assert box.min_lon < widest_point[1] < box.max_lon
    assert widest_point[1] - centre[1] > 100 / (111.32 * math.cos(math.radians(centre[0])))


async def test_only_what_the_supporter_may_see(db: Database) -> None:
    here = destination(LYON, 0, 1)
    await store(
        db,
        [
            event("public", here),
            event("over", here, start_in_h=-3),
            event("ends-now", here, start_in_h=-2, hours=2),
            event("cancelled", here, status=EventStatus.CANCELLED),
            event("mine", here, team="team-a", visibility=Visibility.MEMBERS),
            event("theirs", here, team="team-b", visibility=Visibility.MEMBERS),
            event("nowhere", None),
        ],
    )
    assert ids(await near(db, LYON, 5)) == ["public"]
    assert sorted(ids(await near(db, LYON, 5, member_of=["team-a"]))) == ["mine", "public"]
    assert sorted(ids(await near(db, LYON, 5, member_of=["team-a", "team-b"]))) == [
        "mine", "public", "theirs",
    ]  # fmt: skip


async def test_pages_neither_overlap_nor_skip_even_within_a_group_at_the_same_place(
    db: Database,
) -> None:
    # 12 events at the town hall (two starting at the same time), then one every 500 m.
    events = [event(f"hall-{i:02d}", LYON, start_in_h=24 + (i % 10)) for i in range(12)]
    events += [event(f"walk-{i:02d}", destination(LYON, 90, 0.5 * (i + 1))) for i in range(9)]
    await store(db, events)
    everything = await near(db, LYON, 20, limit=100)
    assert len(everything) == 21
    for size in (1, 3, 5, 7):
        pages = [await near(db, LYON, 20, limit=size, offset=start) for start in range(0, 28, size)]
        assert [found for page in pages for found in page] == everything, size
    assert await near(db, LYON, 20, limit=5, offset=21) == []
    assert ids(everything)[:3] == ["hall-00", "hall-10", "hall-01"]  # start, then id


async def test_corsica_and_overseas(db: Database) -> None:
    nice = (43.7031, 7.2661)  # 232 km from Ajaccio
    bastia = (42.69763, 9.45091)  # 105 km
    await store(
        db,
        [
            event("ajaccio", destination(AJACCIO, 45, 2)),
            event("bastia", bastia),
            event("nice", nice),
            event("reunion", destination(SAINT_DENIS_REUNION, 180, 20)),
            event("mayotte", (-12.7806, 45.2279)),
        ],
    )
    assert ids(await near(db, AJACCIO, 100)) == ["ajaccio"]
    assert ids(await near(db, AJACCIO, 150)) == ["ajaccio", "bastia"]
    assert ids(await near(db, AJACCIO, 250)) == ["ajaccio", "bastia", "nice"]
    assert ids(await near(db, SAINT_DENIS_REUNION, 50)) == ["reunion"]


# --- The same answers as a scan of every event (hence on both engines) ----------------------


@dataclass(frozen=True)
class Query:
    point: tuple[float, float]
    radius_km: float
    member_of: tuple[str, ...]
    limit: int
    offset: int


def reference(events: Sequence[Event], query: Query) -> list[tuple[str, float]]:
    """What a search must answer, by a plain scan of every event in Python."""
    found = []
    for e in events:
        if e.latitude is None or e.longitude is None or e.status is not EventStatus.CONFIRMED:
            continue
        if e.end_at <= NOW_MS:
            continue
        if e.visibility is Visibility.MEMBERS and e.team_id not in query.member_of:
            continue
        distance = distance_km(*query.point, e.latitude, e.longitude)
        if distance <= query.radius_km:
            found.append((distance, e.start_at, e.id))
    found.sort()
    return [(i, d) for d, _, i in found[query.offset : query.offset + query.limit]]


def random_events(rng: random.Random, count: int, teams: Sequence[str]) -> list[Event]:
    communes = gazetteer().communes()
    events = []
    for number in range(count):
        place = rng.choice(communes)
        point: tuple[float, float] | None = (place.latitude, place.longitude)
        if rng.random() < 0.5:  # scattered around the commune, else at its town hall
            point = destination((place.latitude, place.longitude), rng.uniform(0, 360),
                                rng.expovariate(1 / 3))  # fmt: skip
        elif rng.random() < 0.05:
            point = None
        one = event(
            f"ev{number:05d}",
            point,
            team=rng.choice(teams),
            start_in_h=rng.choice((-48, -3, -1, 1, 5, 24, 24, 72, 200)) + rng.choice((0, 0.5)),
            hours=rng.choice((1, 2, 3)),
            status=EventStatus.CANCELLED if rng.random() < 0.1 else EventStatus.CONFIRMED,
            visibility=Visibility.MEMBERS if rng.random() < 0.25 else Visibility.PUBLIC,
        )
        events.append(one)
    return events


def random_queries(rng: random.Random, count: int, teams: Sequence[str]) -> list[Query]:
    communes = gazetteer().communes()
    queries = []
    for _ in range(count):
        place = rng.choice(communes)
        queries.append(
            Query(
                point=(place.latitude, place.longitude),
                radius_km=rng.choice((1, 5, 10, 25, 50, 100, 250, 500)) * rng.choice((1, 0.97)),
                member_of=tuple(rng.sample(teams, rng.choice((0, 1, 3)))),
                limit=rng.choice((1, 5, 5, 10, 20)),
                offset=rng.choice((0, 0, 0, 5, 10, 37)),
            )
        )
    return queries


async def test_the_same_answers_as_a_scan_of_every_event(db: Database) -> None:
    rng = random.Random(20261121)
    teams = [f"team-{i:02d}" for i in range(12)]
    events = random_events(rng, 2000, teams)
    await store(db, events, teams)
    # A town hall with many events, so that pages end inside groups at the same distance.
    paris = gazetteer().communes()[0]
    crowd = [replace(e, id=f"crowd{i:03d}", latitude=paris.latitude, longitude=paris.longitude)
             for i, e in enumerate(events[:60])]  # fmt: skip
    await store(db, crowd)
    events += crowd
    queries = random_queries(rng, 50, teams)
    queries += [
        Query((paris.latitude, paris.longitude), 10, (), 5, offset) for offset in (0, 5, 10)
    ]
    answered = 0
    for query in queries:
        expected = reference(events, query)
        found = await near(db, query.point, query.radius_km, member_of=query.member_of,
                           limit=query.limit, offset=query.offset)  # fmt: skip
        assert ids(found) == ids(expected), query
        assert [d for _, d in found] == pytest.approx([d for _, d in expected], abs=1e-9)
        answered += bool(found)
    assert answered >= 30  # most queries find something (33 of 53 with this seed)


# --- DiscoveryService ------------------------------------------------------------------------


@pytest.mark.parametrize("radius", [0, 0.5, 500.5, 1000, math.nan, -5])
async def test_a_radius_outside_1_to_500_km_is_refused(db: Database, radius: float) -> None:
    service = DiscoveryService(EventSearchRepository(db), TeamRepository(db))
    with pytest.raises(DiscoveryError) as refused:
        await service.events_near(*LYON, radius, user_id=ALICE, now=NOW)
    assert (refused.value.key, refused.value.params) == ("search.radius", {"min": 1, "max": 500})
    with pytest.raises(DiscoveryError):
        await service.teams_near(*LYON, radius)


async def test_a_point_off_the_earth_is_refused(db: Database) -> None:
    service = DiscoveryService(EventSearchRepository(db), TeamRepository(db))
    with pytest.raises(DiscoveryError) as refused:
        await service.events_near(91, 0, 10, user_id=ALICE, now=NOW)
    assert refused.value.key == "search.point"


async def test_members_see_their_teams_events_with_the_team(db: Database) -> None:
    here = destination(LYON, 0, 2)
    await store(
        db,
        [
            event("public", here, team="team-b", start_in_h=30),
            event("mine", here, team="team-a", visibility=Visibility.MEMBERS),
            event("theirs", here, team="team-b", visibility=Visibility.MEMBERS),
        ],
    )
    service = DiscoveryService(EventSearchRepository(db), TeamRepository(db))
    # ALICE made both teams; BOB is only in team-a, CAROL in none.
    await TeamRepository(db).add_member("team-a", "@bob:localhost")
    bob = await service.events_near(*LYON, 5, user_id="@bob:localhost", now=NOW)
    assert [(n.event.id, n.team.id, round(n.distance_km, 3)) for n in bob] == [
        ("mine", "team-a", 2.0), ("public", "team-b", 2.0),
    ]  # fmt: skip
    carol = await service.events_near(*LYON, 5, user_id="@carol:localhost", now=NOW)
    assert [n.event.id for n in carol] == ["public"]
    assert [n.event.id for n in await service.events_near(*LYON, 1, user_id=ALICE, now=NOW)] == []


async def test_teams_near_a_page_at_a_time(db: Database) -> None:
    repository = TeamRepository(db)
    for number, km in enumerate((3, 1, 12, 7, 30)):
        lat, lon = destination(LYON, 90, km)
        team = Team(f"t{number}", f"Équipe {km} km", TeamKind.LOCAL, "", None, None, None,
                    lat, lon, None, NOW_MS, None)  # fmt: skip
        assert await repository.create(team, ALICE)
    service = DiscoveryService(EventSearchRepository(db), repository)
    first = await service.teams_near(*LYON, 20, limit=2)
    second = await service.teams_near(*LYON, 20, limit=2, offset=2)
    assert [t.team.name for t in first + second] == [
        "Équipe 1 km", "Équipe 3 km", "Équipe 7 km", "Équipe 12 km",
    ]  # fmt: skip
    assert await service.teams_near(*LYON, 20, limit=2, offset=4) == []


async def test_the_index_leads_even_for_a_deep_page(db: Database) -> None:
    """PostgreSQL: a nearest-first scan of event_earth_idx, never "the whole box, then sort"
    (which the planner prefers as soon as it knows that the LIMIT nears its estimate of the box;
    below about 10,000 events it may still prefer it, harmlessly). SQLite: the R*Tree drives the
    join."""
    if db.scheme.value == "sqlite":
        steps = await db.fetch(
            "EXPLAIN QUERY PLAN SELECT event.id FROM event_rtree CROSS JOIN event"
            " ON event.id = event_rtree.event_id WHERE event_rtree.max_lat >= $1"
            " AND event_rtree.min_lat <= $2 AND event_rtree.max_lon >= $3"
            " AND event_rtree.min_lon <= $4 AND event.status = 'confirmed'",
            *bounding_box(*LYON, 100),
        )
        assert "event_rtree" in steps[0]["detail"], [row["detail"] for row in steps]
        return
    await store(db, random_events(random.Random(6), 20_000, ["team-a", "team-b"]))
    await db.execute("ANALYZE event")
    for wanted in (8, 200):
        rows = await db.fetch(
            "EXPLAIN " + POSTGRES_QUERY,
            earth_point(*LYON),
            earthdistance_chord_m(100),
            NOW_MS,
            ["team-a"],
            wanted,
        )
        plan = "\n".join(row[0] for row in rows)
        assert "Index Scan using event_earth_idx" in plan and "Order By" in plan, plan
        assert "Sort" not in plan, plan
