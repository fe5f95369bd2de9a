"""The database of ``bench.geo``: made fresh, seeded fast, dropped at the end.

Events are put in random communes of the gazetteer (:mod:`ralliement.geo`, every commune
equally likely, overseas ones too): a third exactly at the commune's coordinates (as an event
located by a postcode is; these tie, and are ordered by start), the others scattered around it
(about 2 km). Starts spread over a year, by default half of it before now (``over``: the share of
events already over, a long campaign has more); 5 % are cancelled and
15 % are for members only. Teams: one per 500 events, in random communes too.
"""

from __future__ import annotations

import itertools
import math
import os
import random
import secrets
import tempfile
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, fields
from pathlib import Path

import asyncpg
from mautrix.util.async_db import Database, Scheme
from yarl import URL

from bridge.db import create_database
from bridge.db.events import Event
from ralliement.geo import Place, gazetteer

from .harness import progress

POSTGRES_URL = os.environ.get("RALLIEMENT_TEST_POSTGRES", "postgres://postgres@127.0.0.1:5432/test")
EVENTS_PER_TEAM = 500
DAY_MS = 86_400_000
SPAN_DAYS = 365
CANCELLED = 0.05
MEMBERS_ONLY = 0.15
AT_THE_COMMUNE = 1 / 3
SCATTER_KM = 2.0
KM_PER_DEGREE = 111.195
BATCH = 50_000

_EVENT_FIELDS = [field.name for field in fields(Event)]
_TEAM_FIELDS = ["id", "name", "kind", "description", "commune", "postcode", "departement"]
_TEAM_FIELDS += ["latitude", "longitude", "created_at"]


@dataclass(frozen=True)
class Seeded:
    events: int
    teams: list[str]
    seconds: float
    #: Events a query can return at all (confirmed, not over, public), as a share.
    searchable: float


@asynccontextmanager
async def fresh_database(engine: str, postgres_url: str = POSTGRES_URL) -> AsyncIterator[str]:
    """The URL of a new, empty database (a temp SQLite file, or a database on the local
    PostgreSQL server, as the tests make them), dropped afterwards."""
    if engine == "sqlite":
        with tempfile.TemporaryDirectory(prefix="ralliement-bench-geo-") as folder:
            yield f"sqlite:///{Path(folder) / 'bench.db'}"
        return
    admin = await asyncpg.connect(postgres_url, timeout=5)
    name = "ralliement_bench_geo_" + secrets.token_hex(4)
    await admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield str(URL(postgres_url).with_path("/" + name))
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


async def open_database(url: str) -> Database:
    """The database at ``url``, migrated (the schema is the product's)."""
    db = create_database(url)
    await db.start()
    return db


def _jitter(rng: random.Random, place: Place) -> tuple[float, float]:
    if rng.random() < AT_THE_COMMUNE:
        return place.latitude, place.longitude
    dlat = rng.gauss(0, SCATTER_KM) / KM_PER_DEGREE
    dlon = rng.gauss(0, SCATTER_KM) / (KM_PER_DEGREE * math.cos(math.radians(place.latitude)))
    return round(place.latitude + dlat, 6), round(place.longitude + dlon, 6)


def _team_rows(rng: random.Random, count: int, now: int) -> list[tuple[object, ...]]:
    communes = gazetteer().communes()
    rows: list[tuple[object, ...]] = []
    for number in range(count):
        place = rng.choice(communes)
        rows.append(
            (
                f"bench-team-{number:05d}",
                f"Équipe {place.commune} {number}",
                "local",
                "",
                place.commune,
                place.postcode,
                place.departement,
                place.latitude,
                place.longitude,
                now,
            )
        )
    return rows


def event_rows(
    rng: random.Random, count: int, teams: list[str], now: int, over: float = 0.5
) -> Iterator[tuple[object, ...]]:
    """``count`` events, as rows in the order of :class:`Event`'s fields."""
    communes = gazetteer().communes()
    for number in range(count):
        place = rng.choice(communes)
        latitude, longitude = _jitter(rng, place)
        start = now + int((rng.random() - over) * SPAN_DAYS * DAY_MS)
        start -= start % 900_000  # quarter hours: starts tie too
        members = rng.random() < MEMBERS_ONLY
        yield (
            f"bench{number:07d}",
            rng.choice(teams),
            f"Action {number}",
            "",
            "action",
            start,
            start + rng.choice((1, 2, 2, 3, 4)) * 3_600_000,
            "Europe/Paris",
            place.commune,
            place.commune,
            place.postcode,
            latitude,
            longitude,
            place.precision,
            "members" if members else "public",
            None,
            "cancelled" if rng.random() < CANCELLED else "confirmed",
            "@bench:localhost",
            0,
            now,
            now,
            None,
        )


async def seed(db: Database, n: int, now: int, seed: int, over: float = 0.5) -> Seeded:
    """``n`` events (and their teams) in one go: COPY on PostgreSQL, big executemany
    transactions on SQLite (the R*Tree triggers fire for each row)."""
    rng = random.Random(seed)
    started = time.perf_counter()
    team_rows = _team_rows(rng, max(10, n // EVENTS_PER_TEAM), now)
    teams = [str(row[0]) for row in team_rows]
    postgres = db.scheme in (Scheme.POSTGRES, Scheme.COCKROACH)
    rows = event_rows(rng, n, teams, now, over)
    async with db.acquire() as conn:  # type: ignore[var-annotated]
        if postgres:
            await conn.wrapped.copy_records_to_table(
                "team", records=team_rows, columns=_TEAM_FIELDS
            )
        else:
            placeholders = ", ".join(f"${i}" for i in range(1, len(_TEAM_FIELDS) + 1))
            await conn.executemany(
                f"INSERT INTO team ({', '.join(_TEAM_FIELDS)}) VALUES ({placeholders})", team_rows
            )
        done = 0
        while done < n:
            batch = list(itertools.islice(rows, min(BATCH, n - done)))
            if postgres:
                await conn.wrapped.copy_records_to_table(
                    "event", records=batch, columns=_EVENT_FIELDS
                )
            else:
                placeholders = ", ".join(f"${i}" for i in range(1, len(_EVENT_FIELDS) + 1))
                async with conn.transaction():
                    await conn.executemany(
                        f"INSERT INTO event ({', '.join(_EVENT_FIELDS)}) VALUES ({placeholders})",
                        batch,
                    )
            done += len(batch)
            if done % (BATCH * 4) == 0 or done == n:
                progress(f"seeded {done:,} events ({time.perf_counter() - started:.0f} s)")
        if postgres:  # what autovacuum does soon after; SQLite is never analysed in production
            await conn.execute("VACUUM ANALYZE event")
    searchable = await db.fetchval(
        "SELECT COUNT(*) FROM event WHERE status = 'confirmed' AND end_at > $1"
        " AND visibility = 'public'",
        now,
    )
    return Seeded(n, teams, time.perf_counter() - started, int(searchable) / max(n, 1))
