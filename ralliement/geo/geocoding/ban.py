"""The BAN provider: France's national address base (Base Adresse Nationale), through geopy.

Its API (https://adresse.data.gouv.fr/api-doc/adresse) answers a GeoJSON FeatureCollection;
each feature has ``geometry.coordinates`` [longitude, latitude] and ``properties`` with
``label``, ``score``, ``type`` (housenumber, street, locality, municipality), ``postcode``,
``citycode`` (INSEE code) and ``city``. The IGN Géoplateforme serves the same API
(https://data.geopf.fr/geocodage), as does a self-hosted instance ("addok").
"""

from __future__ import annotations

from typing import Any

from geopy.adapters import AioHTTPAdapter
from geopy.geocoders import BANFrance

from .base import BaseGeocoder, GeocodeResult, Lookup, Precision
from .network import (
    FAILURES,
    departement_of,
    first_postcode,
    log_failure,
    network_query,
    split_url,
)

BAN_URL = "https://api-adresse.data.gouv.fr"
#: A feature's ``type`` → its precision; a type BAN may add later reads as "location".
PRECISIONS: dict[str, Precision] = {
    "housenumber": "address",
    "street": "street",
    "locality": "street",  # a lieu-dit: a named spot without house numbers
    "municipality": "commune",
}
#: BAN answers almost any text with something; below this score it is a guess, not a match.
MIN_SCORE = 0.3


class BanGeocoder(BaseGeocoder):
    """Street addresses anywhere in France, from the BAN API (no key needed)."""

    name = "ban"

    def __init__(
        self,
        url: str = BAN_URL,
        *,
        user_agent: str | None = None,
        timeout_s: float = 10.0,
        limit: int = 5,
        min_score: float = MIN_SCORE,
    ) -> None:
        """Args:
        url: the API's base URL, to which "/search" is appended.
        user_agent: sent as User-Agent (geopy's default when None).
        timeout_s: how long to wait for an answer.
        limit: how many candidates to ask for.
        min_score: candidates scored below this (0 to 1) are dropped.
        """
        scheme, domain = split_url(url)
        self._limit = limit
        self._min_score = min_score
        self._geopy = BANFrance(
            domain=domain,
            scheme=scheme,
            timeout=timeout_s,
            user_agent=user_agent,
            adapter_factory=AioHTTPAdapter,
        )

    async def lookup(self, text: str) -> Lookup:
        """Asks BAN; a failure is logged and reported in `Lookup.failed`."""
        query = network_query(text)
        if query is None:
            return Lookup()
        try:
            locations = await self._geopy.geocode(query, limit=self._limit, exactly_one=False)
            results = [self._result(location.raw) for location in locations or ()]
        except FAILURES as error:
            log_failure(self.name, error)
            return Lookup(failed=(self.name,))
        return Lookup(tuple(r for r in results if r is not None), online=True)

    async def close(self) -> None:
        await self._geopy.__aexit__(None, None, None)

    def _result(self, feature: dict[str, Any]) -> GeocodeResult | None:
        properties = feature.get("properties") or {}
        if float(properties.get("score", 1.0)) < self._min_score:
            return None
        longitude, latitude = feature["geometry"]["coordinates"][:2]
        postcode = first_postcode(properties.get("postcode"))
        return GeocodeResult(
            latitude=float(latitude),
            longitude=float(longitude),
            precision=PRECISIONS.get(str(properties.get("type")), "location"),
            label=str(properties.get("label") or properties.get("name") or ""),
            commune=properties.get("city") or None,
            postcode=postcode,
            departement=departement_of(properties.get("citycode"), postcode),
            provider=self.name,
        )
