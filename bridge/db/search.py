"""Events near a point, nearest first, on both engines with the same answers.

What "near" means is one formula on both engines: the great-circle distance of
:func:`bridge.domain.teams.distance_km` (haversine on a sphere of the mean Earth radius,
6371.0088 km). The indexes only choose candidates; Python decides.

* PostgreSQL (``event_earth_idx``, a GiST index on ``ll_to_earth(latitude, longitude)``, schema
  v8): a nearest-first (KNN) index scan, ``ORDER BY ll_to_earth(...) <-> point``, bounded by the
  box around the point (what ``earth_box`` computes) in the same scan, which stops once the page
  and a few more events are read; the other conditions are checked on each event it yields.
  earthdistance works on its own sphere (``earth()``, 6378168 m): the point is placed as
  ``ll_to_earth`` does, and the radius becomes the chord of the same angle (``r / 6371.0088 km``)
  on that sphere, with a margin of a micrometre per kilometre; the haversine then removes what
  the margin let in. Chord and haversine grow with the same angle, so the index's order is the
  order of the distances returned.
* SQLite (``event_rtree``, an R*Tree of each event's point): the events in the bounding box of a
  circle, then the exact distance in Python, sorted. The circle grows from :data:`FIRST_RING_KM`
  until it holds a full page (every event outside a circle is farther than every event inside
  it), so a first page near a town reads only that town's surroundings.

Ties (several events at the same point, say a town hall) are ordered by start, then id, on both
engines. Two *different* points whose distances differ by less than a nanometre could come in
either order, which the tests do not try to arrange.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Sequence
from typing import Any, NamedTuple

from mautrix.util.async_db import Database, Scheme

from bridge.domain.teams import EARTH_RADIUS_KM, distance_km

from .events import EVENT_COLUMNS, Event, EventStatus, Visibility

#: earthdistance's sphere, ``earth()``: its default radius in metres.
EARTHDISTANCE_RADIUS_M = 6378168.0
#: How much wider the SQL filters are than the radius (relative): room for rounding, never a
#: different answer, since the haversine decides.
SQL_MARGIN = 1e-9
#: The first circle searched on SQLite, and how fast it grows while a page is not full.
FIRST_RING_KM = 5.0
RING_GROWTH = 3.0
#: Degrees added around an R*Tree box (≈ 1 cm): room for rounding in the box's trigonometry.
BOX_MARGIN_DEG = 1e-7
#: Events read beyond the page on PostgreSQL, so that a small group of events at the same
#: distance as the page's last is seen whole in one query.
TIE_ROOM = 3

_POSTGRES_MATCH = f"""
    FROM event
    WHERE latitude IS NOT NULL AND longitude IS NOT NULL
      AND cube_enlarge(cube($1::float8[]), $2, 3) @> ll_to_earth(latitude, longitude)
      AND status = '{EventStatus.CONFIRMED.value}' AND end_at > $3
      AND (visibility = '{Visibility.PUBLIC.value}' OR team_id = ANY($4::text[]))
"""
#: The nearest matching events, by chord (straight-line distance on earthdistance's sphere) to
#: the point ``$1`` (as ``ll_to_earth`` gives it), at most ``$2`` metres away, ``$5`` of them.
#:
#: A KNN scan of ``event_earth_idx``: the box is its index condition (``earth_box`` is this
#: ``cube_enlarge``, a cube of half-side ``$2`` around the point) and the distance its order.
#: PostgreSQL 15 scans nearest first only when ORDER BY is the distance alone (with "start_at,
#: id" after it, it sorts every event of the box instead: ~1 s at 100 km around Paris among 1M
#: events), so ties are ordered in Python. The LIMIT is a sub-select so that the planner does not
#: know it: knowing it, it estimates the box at 0.1 % of the table and picks "every event of the
#: box, then sort" as soon as the LIMIT nears that estimate (15 among 100k events); not knowing
#: it, it plans for a fraction of the rows, which only the KNN scan gives early.
POSTGRES_QUERY = f"""
    SELECT {EVENT_COLUMNS}, ll_to_earth(latitude, longitude) <-> cube($1::float8[]) AS chord
    {_POSTGRES_MATCH}
      AND ll_to_earth(latitude, longitude) <-> cube($1::float8[]) <= $2
    ORDER BY ll_to_earth(latitude, longitude) <-> cube($1::float8[])
    LIMIT (SELECT $5::integer)
"""
#: Every matching event at exactly the chord ``$5`` from the point (``$2``: ``$5`` and a margin).
POSTGRES_TIES = f"""
    SELECT {EVENT_COLUMNS}, ll_to_earth(latitude, longitude) <-> cube($1::float8[]) AS chord
    {_POSTGRES_MATCH}
      AND ll_to_earth(latitude, longitude) <-> cube($1::float8[]) = $5
"""


class Box(NamedTuple):
    """A latitude/longitude rectangle, in degrees."""

    min_lat: float
    max_lat: float
    min_lon: float
    max_lon: float


def bounding_box(latitude: float, longitude: float, radius_km: float) -> Box:
    """The smallest latitude/longitude rectangle holding every point within ``radius_km`` (great
    circle, on the sphere of :func:`distance_km`) of a point, widened by :data:`BOX_MARGIN_DEG`.

    Latitude: the angle ``r / R`` either way. Longitude: a circle's widest point is poleward of
    its centre, ``asin(sin(r / R) / cos(latitude))`` either way (wider than ``r / (R cos φ)``);
    all longitudes when the circle holds a pole or crosses the ±180° meridian.
    """
    angle = radius_km / EARTH_RADIUS_KM
    spread = math.degrees(angle) + BOX_MARGIN_DEG
    min_lat, max_lat = max(latitude - spread, -90.0), min(latitude + spread, 90.0)
    reach = math.sin(angle) / math.cos(math.radians(latitude)) if abs(latitude) < 90 else 2.0
    if max_lat >= 90.0 or min_lat <= -90.0 or reach >= 1.0:
        return Box(min_lat, max_lat, -180.0, 180.0)
    width = math.degrees(math.asin(reach)) + BOX_MARGIN_DEG
    if longitude - width < -180.0 or longitude + width > 180.0:
        return Box(min_lat, max_lat, -180.0, 180.0)
    return Box(min_lat, max_lat, longitude - width, longitude + width)


def earth_point(latitude: float, longitude: float) -> list[float]:
    """The point as earthdistance's ``ll_to_earth`` places it: x, y, z in metres."""
    phi, lam = math.radians(latitude), math.radians(longitude)
    return [
        EARTHDISTANCE_RADIUS_M * math.cos(phi) * math.cos(lam),
        EARTHDISTANCE_RADIUS_M * math.cos(phi) * math.sin(lam),
        EARTHDISTANCE_RADIUS_M * math.sin(phi),
    ]


def earthdistance_chord_m(radius_km: float) -> float:
    """The straight-line distance on earthdistance's sphere (metres) between two points
    ``radius_km`` apart on the mean-radius sphere (the same angle), with the :data:`SQL_MARGIN`."""
    angle = radius_km / EARTH_RADIUS_KM
    return 2 * EARTHDISTANCE_RADIUS_M * math.sin(min(angle, math.pi) / 2) * (1 + SQL_MARGIN)


class _Candidate(NamedTuple):
    distance_km: float
    start_at: int
    id: str


def rank(
    rows: Iterable[Any], latitude: float, longitude: float, radius_km: float
) -> list[_Candidate]:
    """Rows with ``id``, ``latitude``, ``longitude``, ``start_at`` within ``radius_km``, by
    distance, then start, then id."""
    found = []
    for row in rows:
        distance = distance_km(latitude, longitude, row["latitude"], row["longitude"])
        if distance <= radius_km:
            found.append(_Candidate(distance, row["start_at"], row["id"]))
    found.sort()
    return found


class EventSearchRepository:
    """Upcoming events near a point (see the module's notes)."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def near(
        self,
        latitude: float,
        longitude: float,
        radius_km: float,
        *,
        now_ms: int,
        member_of: Collection[str],
        limit: int,
        offset: int = 0,
    ) -> list[tuple[Event, float]]:
        """Confirmed events with coordinates, ending after ``now_ms``, public or members-only
        events of the teams ``member_of``, within ``radius_km`` of the point.

        Returns:
            Up to ``limit`` events after the first ``offset``, each with its distance in km,
            nearest first, then soonest, then by id.
        """
        if limit < 1 or offset < 0:
            raise ValueError(f"limit must be positive and offset not negative: {limit}, {offset}")
        if self.db.scheme in (Scheme.POSTGRES, Scheme.COCKROACH):
            return await self._near_postgres(
                latitude, longitude, radius_km, now_ms, member_of, limit, offset
            )
        return await self._near_sqlite(
            latitude, longitude, radius_km, now_ms, member_of, limit, offset
        )

    async def _near_postgres(
        self,
        latitude: float,
        longitude: float,
        radius_km: float,
        now_ms: int,
        member_of: Collection[str],
        limit: int,
        offset: int,
    ) -> list[tuple[Event, float]]:
        # The nearest ``wanted`` events and a few more, from the first one (an OFFSET could cut
        # a group of events at the same distance in two). When the event after the page's last
        # is at the same distance, that group may go on: it is read whole (POSTGRES_TIES) and
        # ordered here with the events before it.
        wanted = offset + limit
        point = earth_point(latitude, longitude)
        teams = list(member_of)
        chord = earthdistance_chord_m(radius_km)
        rows = await self.db.fetch(POSTGRES_QUERY, point, chord, now_ms, teams, wanted + TIE_ROOM)
        if len(rows) == wanted + TIE_ROOM and rows[-1]["chord"] == rows[wanted - 1]["chord"]:
            edge = rows[wanted - 1]["chord"]
            ties = await self.db.fetch(
                POSTGRES_TIES, point, edge * (1 + SQL_MARGIN) + 1e-3, now_ms, teams, edge
            )
            rows = [row for row in rows if row["chord"] < edge] + list(ties)
        events = {row["id"]: Event.from_row(row) for row in rows}
        page = rank(rows, latitude, longitude, radius_km)[offset:wanted]
        return [(events[found.id], found.distance_km) for found in page]

    async def _near_sqlite(
        self,
        latitude: float,
        longitude: float,
        radius_km: float,
        now_ms: int,
        member_of: Collection[str],
        limit: int,
        offset: int,
    ) -> list[tuple[Event, float]]:
        wanted = offset + limit
        ring = min(radius_km, FIRST_RING_KM)
        while True:
            box = bounding_box(latitude, longitude, ring)
            rows = await self._candidates(box, now_ms, member_of)
            found = rank(rows, latitude, longitude, ring)
            if len(found) >= wanted or ring >= radius_km:
                break
            ring = min(radius_km, ring * RING_GROWTH)
        page = found[offset:wanted]
        if not page:
            return []
        placeholders = ", ".join(f"${i}" for i in range(1, len(page) + 1))
        full = await self.db.fetch(
            f"SELECT {EVENT_COLUMNS} FROM event WHERE id IN ({placeholders})",
            *(found.id for found in page),
        )
        events = {row["id"]: Event.from_row(row) for row in full}
        return [(events[found.id], found.distance_km) for found in page if found.id in events]

    async def _candidates(self, box: Box, now_ms: int, member_of: Collection[str]) -> Sequence[Any]:
        """The matching events whose point is in ``box`` (SQLite's R*Tree)."""
        teams = list(member_of)
        placeholders = ", ".join(f"${i}" for i in range(7, 7 + len(teams)))
        # The R*Tree drives the join (CROSS JOIN keeps that order whatever the statistics say),
        # each of its events is then read by id.
        return await self.db.fetch(
            "SELECT event.id, event.latitude, event.longitude, event.start_at"
            " FROM event_rtree CROSS JOIN event ON event.id = event_rtree.event_id"
            " WHERE event_rtree.max_lat >= $1 AND event_rtree.min_lat <= $2"
            " AND event_rtree.max_lon >= $3 AND event_rtree.min_lon <= $4"
            " AND event.status = $5 AND event.end_at > $6"
            f" AND (event.visibility = 'public' OR event.team_id IN ({placeholders}))",
            *box,
            EventStatus.CONFIRMED.value,
            now_ms,
            *teams,
        )
