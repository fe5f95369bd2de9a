"""Events near a point at national scale: our search, next to scans without the index.

A fresh database (PostgreSQL: a new database on the local server, as the tests make them;
SQLite: a temp file), migrated by the product's own steps, is seeded with N events in random
communes of France (see :mod:`.geo_seed`). Then, for random communes, at 10, 50 and 100 km,
limit 5, each variant answers the same query in turn (radii and variants interleaved point by
point, in an order that alternates):

* ours: :meth:`EventSearchRepository.near <bridge.db.search.EventSearchRepository.near>`, as the
  bots call it (PostgreSQL: the KNN scan of ``event_earth_idx``; SQLite: the R*Tree), for the
  first page and for the third (offset 10, "!plus" twice);
* ``SELECT 1`` on the same pool: one round trip, the floor under any query on this machine at
  that moment (other processes included);
* PostgreSQL baselines, the very same repository and SQL on a connection where the planner may
  not use the index as we do: "seq scan" (``enable_indexscan`` and ``enable_bitmapscan`` off: a
  scan of every event computing its distance), and "box, then sort" (``enable_indexscan`` off:
  the index finds the box, every event in it is sorted, the plan the issue warns about);
* SQLite baselines: "full scan" (every event's distance in Python, no R*Tree) and "R*Tree, whole
  circle" (the box of the whole radius at once, without growing circles).

Baselines answer the first ``--baseline`` points; each of their answers must be
the same as ours (ids, order and distances). Nothing asserts on time; exit status 1 on a
different answer.

Run from the repository root: ``.venv/bin/python -m bench.geo [--engine postgres|sqlite]
[-n N] [--queries 200] [--baseline 30] [--json] [--explain]``.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import random
import sys
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, replace

from mautrix.util.async_db import Database

from bridge.db import create_database
from bridge.db.events import EVENT_COLUMNS
from bridge.db.search import (
    POSTGRES_QUERY,
    TIE_ROOM,
    EventSearchRepository,
    bounding_box,
    earth_point,
    earthdistance_chord_m,
    rank,
)
from ralliement.geo import gazetteer

from .geo_figures import Results, Series, json_line, table
from .geo_seed import POSTGRES_URL, fresh_database, open_database, seed
from .harness import progress

RADII = (10, 50, 100)
LIMIT = 5
WARMUP = 30  # points, not counted
MEMBER_OF = 3  # teams the searching supporter belongs to

Found = list[tuple[str, float]]
Search = Callable[["Point", int], Awaitable[Found]]


@dataclass(frozen=True)
class Point:
    latitude: float
    longitude: float
    member_of: tuple[str, ...]


@dataclass(frozen=True)
class Variant:
    key: str
    label: str
    search: Search
    #: A baseline: run on the first ``--baseline`` points only, its answers compared with ours.
    baseline: bool = False


def _repository_search(repository: EventSearchRepository, now: int, offset: int = 0) -> Search:
    async def search(point: Point, radius_km: int) -> Found:
        found = await repository.near(
            point.latitude,
            point.longitude,
            radius_km,
            now_ms=now,
            member_of=point.member_of,
            limit=LIMIT,
            offset=offset,
        )
        return [(event.id, distance) for event, distance in found]

    return search


def _round_trip(db: Database) -> Search:
    """``SELECT 1``: what any query costs here, the machine's noise included."""

    async def search(point: Point, radius_km: int) -> Found:
        await db.fetchval("SELECT 1")
        return []

    return search


_FILTERS = (
    "latitude IS NOT NULL AND longitude IS NOT NULL AND status = 'confirmed' AND end_at > $1"
    " AND (visibility = 'public' OR team_id IN ({teams}))"
)


async def _page(db: Database, rows: Sequence[object], point: Point, radius_km: int) -> Found:
    """The first page among candidate rows, ranked as ours, with the full rows read as ours."""
    page = rank(rows, point.latitude, point.longitude, radius_km)[:LIMIT]
    if page:
        marks = ", ".join(f"${i}" for i in range(1, len(page) + 1))
        await db.fetch(
            f"SELECT {EVENT_COLUMNS} FROM event WHERE id IN ({marks})", *(f.id for f in page)
        )
    return [(found.id, found.distance_km) for found in page]


def _sqlite_scan(db: Database, now: int) -> Search:
    """Every event read, its distance computed in Python: no R*Tree."""

    async def search(point: Point, radius_km: int) -> Found:
        teams = ", ".join(f"${i}" for i in range(2, 2 + len(point.member_of)))
        rows = await db.fetch(
            "SELECT id, latitude, longitude, start_at FROM event"
            f" WHERE {_FILTERS.format(teams=teams)}",
            now,
            *point.member_of,
        )
        return await _page(db, rows, point, radius_km)

    return search


def _sqlite_whole_box(db: Database, now: int) -> Search:
    """The R*Tree box of the whole radius at once."""

    async def search(point: Point, radius_km: int) -> Found:
        teams = ", ".join(f"${i}" for i in range(6, 6 + len(point.member_of)))
        filters = _FILTERS.format(teams=teams)
        rows = await db.fetch(
            "SELECT event.id, event.latitude, event.longitude, event.start_at"
            " FROM event_rtree CROSS JOIN event ON event.id = event_rtree.event_id"
            " WHERE event_rtree.max_lat >= $2 AND event_rtree.min_lat <= $3"
            f" AND event_rtree.max_lon >= $4 AND event_rtree.min_lon <= $5 AND {filters}",
            now,
            *bounding_box(point.latitude, point.longitude, radius_km),
            *point.member_of,
        )
        return await _page(db, rows, point, radius_km)

    return search


async def _planner_database(url: str, settings: dict[str, str]) -> Database:
    """Another pool on the same database, whose sessions plan with ``settings``."""
    db = Database.create(url, db_args={"min_size": 1, "max_size": 1, "server_settings": settings})
    await db.start()
    return db


def _points(rng: random.Random, count: int, teams: Sequence[str]) -> list[Point]:
    communes = gazetteer().communes()
    return [
        Point(place.latitude, place.longitude, tuple(rng.sample(list(teams), MEMBER_OF)))
        for place in (rng.choice(communes) for _ in range(count))
    ]


async def _explain(db: Database, point: Point, radius_km: int, now: int) -> str:
    """PostgreSQL's plan of our query for one point, run (EXPLAIN ANALYZE)."""
    rows = await db.fetch(
        "EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + POSTGRES_QUERY,
        earth_point(point.latitude, point.longitude),
        earthdistance_chord_m(radius_km),
        now,
        list(point.member_of),
        LIMIT + TIE_ROOM,
    )
    return "\n".join(str(row[0]) for row in rows)


async def measure(
    variants: Sequence[Variant], points: Sequence[Point], baseline_points: int, results: Results
) -> None:
    """Each point at each radius, through every variant (baselines on the first points only),
    in an order that alternates; the baselines' answers compared with ours."""
    series = {(r, v.key): Series(v.key, v.label, r) for r in RADII for v in variants}
    results.series += series.values()
    for number, point in enumerate(points):
        for turn, radius in enumerate(RADII):
            chosen = [v for v in variants if not v.baseline or number < baseline_points]
            answers: dict[str, Found] = {}
            for variant in chosen if (number + turn) % 2 == 0 else reversed(chosen):
                started = time.perf_counter()
                answers[variant.key] = await variant.search(point, radius)
                series[radius, variant.key].times_ms.append((time.perf_counter() - started) * 1000)
                series[radius, variant.key].found.append(len(answers[variant.key]))
            for variant in chosen:
                if not variant.baseline:
                    continue
                results.compared += 1
                if not _same(answers[variant.key], answers["ours"]):
                    results.mismatches.append(
                        f"{radius} km at {point.latitude},{point.longitude}: {variant.key} "
                        f"{answers[variant.key]} ≠ ours {answers['ours']}"
                    )
        if (number + 1) % 50 == 0:
            progress(f"{number + 1} points done")


def _same(one: Found, other: Found) -> bool:
    return [i for i, _ in one] == [i for i, _ in other] and all(
        abs(a - b) < 1e-9 for (_, a), (_, b) in zip(one, other, strict=True)
    )


async def _variants(
    engine: str, db: Database, url: str, now: int
) -> tuple[list[Variant], list[Database]]:
    """Ours first, then what is measured next to it; and the extra pools they opened."""
    repository = EventSearchRepository(db)
    mine = [
        Variant("ours", "ours", _repository_search(repository, now)),
        Variant(
            "ours_page3", "ours, 3rd page (offset 10)", _repository_search(repository, now, 10)
        ),
        Variant("floor", "SELECT 1 (round trip)", _round_trip(db)),
    ]
    if engine == "sqlite":
        mine[0] = replace(mine[0], label="ours: R*Tree, growing circles")
        return [
            *mine,
            Variant("scan", "full scan (no R*Tree)", _sqlite_scan(db, now), baseline=True),
            Variant("whole_box", "R*Tree, whole circle", _sqlite_whole_box(db, now), baseline=True),
        ], []
    mine[0] = replace(mine[0], label="ours: KNN scan of event_earth_idx")
    seq = await _planner_database(url, {"enable_indexscan": "off", "enable_bitmapscan": "off"})
    box = await _planner_database(url, {"enable_indexscan": "off"})
    return [
        *mine,
        Variant("seq", "seq scan (no index)", _repository_search(EventSearchRepository(seq), now),
                baseline=True),
        Variant("box_sort", "box, then sort (bitmap)",
                _repository_search(EventSearchRepository(box), now), baseline=True),
    ], [seq, box]  # fmt: skip


async def _server(db: Database, engine: str) -> str:
    if engine == "sqlite":
        return "SQLite " + str(await db.fetchval("SELECT sqlite_version()"))
    return " ".join(str(await db.fetchval("SELECT version()")).split()[:2])


async def run(args: argparse.Namespace) -> Results:
    now = int(time.time() * 1000)
    async with fresh_database(args.engine, args.postgres) as url:
        progress(f"seeding {args.n:,} events into a fresh {args.engine} database")
        db = await open_database(url)
        try:
            seeded = await seed(db, args.n, now, args.seed, args.over)
        finally:
            await db.stop()
        # New connections, as the appservice has after a restart.
        db = create_database(url, migrate=False)
        await db.start()
        extra: list[Database] = []
        try:
            variants, extra = await _variants(args.engine, db, url, now)
            rng = random.Random(args.seed + 1)
            warmup = _points(rng, WARMUP, seeded.teams)
            points = _points(rng, args.queries, seeded.teams)
            results = Results(
                engine=args.engine,
                server=await _server(db, args.engine),
                events=seeded.events,
                teams=len(seeded.teams),
                searchable=seeded.searchable,
                seeding_s=seeded.seconds,
                queries=args.queries,
                baseline_queries=min(args.baseline, args.queries),
                seed=args.seed,
            )
            if args.explain and args.engine == "postgres":
                for radius in RADII:
                    plan = await _explain(db, points[0], radius, now)
                    print(f"-- plan of ours at {radius} km --\n{plan}")
            for number, point in enumerate(warmup):
                for variant in variants:
                    if not variant.baseline or number < 2:
                        for radius in RADII:
                            await variant.search(point, radius)
            await measure(variants, points, results.baseline_queries, results)
            return results
        finally:
            for other in extra:
                await other.stop()
            await db.stop()


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.geo",
        description="Events near a point: our search vs scans without the index.",
    )
    parser.add_argument("--engine", choices=("postgres", "sqlite"), default="postgres")
    parser.add_argument("-n", type=int, help="events (1,000,000 on PostgreSQL, 100,000 on SQLite)")
    parser.add_argument("--queries", type=int, default=200, help="points per radius (200)")
    parser.add_argument(
        "--baseline", type=int, default=30, help="of which also through the baselines (30)"
    )
    parser.add_argument("--seed", type=int, default=6, help="random seed (6)")
    parser.add_argument(
        "--over", type=float, default=0.5, help="share of the events already over (0.5)"
    )
    parser.add_argument("--postgres", default=POSTGRES_URL, help="server to make the database on")
    parser.add_argument("--json", action="store_true", help="also print one JSON line")
    parser.add_argument(
        "--explain", action="store_true", help="print PostgreSQL's plan of ours (first point)"
    )
    args = parser.parse_args(argv)
    if args.n is None:
        args.n = 1_000_000 if args.engine == "postgres" else 100_000
    if args.n < 1 or args.queries < 1 or args.baseline < 0 or not 0 <= args.over <= 1:
        parser.error("-n and --queries must be ≥ 1, --baseline ≥ 0, --over within 0–1")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    logging.getLogger("mau.db").setLevel(logging.ERROR)  # seeding batches take over a second
    try:
        results = asyncio.run(run(args))
    except KeyboardInterrupt:
        print("bench.geo: interrupted; the database was dropped", file=sys.stderr)
        return 130
    print(table(results))
    if args.json:
        print(json_line(results))
    return 1 if results.mismatches else 0


if __name__ == "__main__":
    sys.exit(main())
