"""Answers of the network providers kept in the database (table ``geocode_cache``).

A row is keyed by the provider chain's name and the normalised text (lower case, without
accents, punctuation or repeated spaces: "12 Rue de la République, LYON" and
"12 rue de la republique lyon" share it), so that changing the providers starts afresh. Only
the best candidate is kept: a cached answer has one candidate. What is kept, and how long:

- an answer of the offline gazetteer, given without asking the network: never kept (it is
  instant, and an ambiguous name keeps all its candidates);
- a place found by a network provider, none failing before it: `DEFAULT_TTL_S` (90 days);
- a place found by a network provider after another one failed: `NEGATIVE_TTL_S` (1 day);
- nothing, or only the commune named inside the text, every network provider having answered:
  `NEGATIVE_TTL_S` (1 day);
- nothing, or only the commune named inside the text, some network provider having failed:
  never kept (the next question asks again).

The département of a cached answer is found again from its postcode. Expired rows are replaced
when their text is asked again; `CachedGeocoder.purge_expired` deletes the others.
"""

from __future__ import annotations

import hashlib
import logging
import re
import time
from collections.abc import Callable
from typing import Any, get_args

from mautrix.util.async_db import Database

from ..names import normalise
from .base import OFFLINE, BaseGeocoder, GeocodeResult, Lookup, Precision
from .network import departement_of

logger = logging.getLogger("ralliement.geocoding")

DEFAULT_TTL_S = 90 * 24 * 3600
NEGATIVE_TTL_S = 24 * 3600
#: Longer keys are replaced by a digest (an index entry has a size limit on PostgreSQL).
MAX_KEY_LENGTH = 200
_PRECISIONS = frozenset(get_args(Precision))
_NOT_KEY = re.compile(r"[^a-z0-9]+")


def now_ms() -> int:
    """Milliseconds since the epoch, as the database stores times."""
    return int(time.time() * 1000)


class CachedGeocoder(BaseGeocoder):
    """Another geocoder (usually a `ChainGeocoder`) whose network answers are kept in the
    database, on PostgreSQL or SQLite, for every process sharing it."""

    def __init__(
        self,
        inner: BaseGeocoder,
        db: Database,
        *,
        ttl_s: int = DEFAULT_TTL_S,
        negative_ttl_s: int = NEGATIVE_TTL_S,
        clock: Callable[[], int] = now_ms,
    ) -> None:
        """Args:
        inner: the geocoder asked on a miss; its name is part of the key.
        db: the migrated database (schema v7 or later).
        ttl_s: how long a found place is kept.
        negative_ttl_s: how long "nothing found" (and a second-best answer) is kept.
        clock: the time in milliseconds since the epoch.
        """
        self.inner = inner
        self.name = inner.name
        self._db = db
        self._ttl_ms = ttl_s * 1000
        self._negative_ttl_ms = negative_ttl_s * 1000
        self._clock = clock

    async def lookup(self, text: str) -> Lookup:
        key = self.key(text)
        if key is None:
            return await self.inner.lookup(text)
        cached = await self._read(key)
        if cached is not None:
            return cached
        found = await self.inner.lookup(text)
        keep_ms = self._keep_ms(found)
        if keep_ms is not None:
            await self._write(key, found, keep_ms)
        return found

    async def close(self) -> None:
        await self.inner.close()

    def key(self, text: str) -> str | None:
        """The cache key of ``text``, None for a text without letters or digits."""
        normalised = " ".join(_NOT_KEY.sub(" ", normalise(text)).split())
        if not normalised:
            return None
        key = f"{self.name}|{normalised}"
        if len(key) > MAX_KEY_LENGTH:
            digest = hashlib.sha256(normalised.encode()).hexdigest()
            key = f"{self.name}|sha256:{digest}"
        return key

    async def purge_expired(self) -> None:
        """Delete the rows that have expired."""
        await self._db.execute("DELETE FROM geocode_cache WHERE expires_at <= $1", self._clock())

    def _keep_ms(self, found: Lookup) -> int | None:
        """How long to keep an answer, None not to keep it (see the module's table)."""
        best = found.results[0] if found.results else None
        if best is not None and best.provider != OFFLINE:
            return self._negative_ttl_ms if found.failed else self._ttl_ms
        if found.online and not found.failed:
            return self._negative_ttl_ms
        return None

    async def _read(self, key: str) -> Lookup | None:
        try:
            row = await self._db.fetchrow(
                "SELECT provider, latitude, longitude, precision, label, commune, postcode,"
                " expires_at FROM geocode_cache WHERE query_key = $1",
                key,
            )
        except Exception:
            logger.exception("Reading the geocoding cache failed")
            return None
        if row is None or row["expires_at"] <= self._clock():
            return None
        if row["latitude"] is None or row["longitude"] is None:
            return Lookup(online=True)
        if row["precision"] not in _PRECISIONS:
            return None
        return Lookup((_result(row),), online=True)

    async def _write(self, key: str, found: Lookup, keep_ms: int) -> None:
        now = self._clock()
        best = found.results[0] if found.results else None
        values: tuple[Any, ...] = (None, None, None, None, None, None)
        if best is not None:
            values = (
                best.latitude,
                best.longitude,
                best.precision,
                best.label,
                best.commune,
                best.postcode,
            )
        provider = best.provider if best is not None else self.name
        try:
            await self._db.execute(
                "INSERT INTO geocode_cache (query_key, provider, latitude, longitude, precision,"
                " label, commune, postcode, created_at, expires_at)"
                " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
                " ON CONFLICT (query_key) DO UPDATE SET provider = excluded.provider,"
                " latitude = excluded.latitude, longitude = excluded.longitude,"
                " precision = excluded.precision, label = excluded.label,"
                " commune = excluded.commune, postcode = excluded.postcode,"
                " created_at = excluded.created_at, expires_at = excluded.expires_at",
                key,
                provider,
                *values,
                now,
                now + keep_ms,
            )
        except Exception:
            logger.exception("Writing to the geocoding cache failed")


def _result(row: Any) -> GeocodeResult:
    postcode = row["postcode"]
    return GeocodeResult(
        latitude=float(row["latitude"]),
        longitude=float(row["longitude"]),
        precision=row["precision"],
        label=row["label"] or "",
        commune=row["commune"],
        postcode=postcode,
        departement=departement_of(None, postcode),
        provider=row["provider"],
    )
