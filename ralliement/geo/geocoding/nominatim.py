"""The Nominatim provider: OpenStreetMap's search, public or self-hosted, through geopy.

Nominatim (https://nominatim.org/release-docs/latest/api/Search/) answers ``/search`` with a JSON
list of places: ``lat`` and ``lon`` as strings, ``display_name``, ``class`` and ``type`` (the OSM
tag), ``place_rank``, and with ``addressdetails=1`` an ``address`` object (``house_number``,
``road``, ``city``/``town``/``village``, ``postcode``, ``ISO3166-2-lvl6``…).

The public instance's usage policy (https://operations.osmfoundation.org/policies/nominatim/)
asks for at most one request per second and a User-Agent naming the application: requests go
through geopy's `AsyncRateLimiter`, shared by every task using this geocoder.
"""

from __future__ import annotations

import urllib.parse
from typing import Any

from geopy.adapters import AioHTTPAdapter
from geopy.extra.rate_limiter import AsyncRateLimiter
from geopy.geocoders import Nominatim

from .base import BaseGeocoder, GeocodeResult, Lookup, Precision
from .network import (
    FAILURES,
    departement_of,
    first_postcode,
    known_departement,
    log_failure,
    network_query,
    split_url,
)

NOMINATIM_URL = "https://nominatim.openstreetmap.org"
#: The public instance's host, and its policy's smallest delay between two requests.
PUBLIC_HOST = "nominatim.openstreetmap.org"
PUBLIC_MIN_DELAY_S = 1.0

_COMMUNE_TYPES = frozenset({"city", "town", "village", "municipality"})
_STREET_TYPES = frozenset(
    {"hamlet", "locality", "isolated_dwelling", "neighbourhood", "quarter", "suburb", "square"}
)
_COMMUNE_KEYS = ("city", "town", "village", "municipality")
#: Nominatim's ``place_rank`` of a département; coarser places (regions, France) are dropped.
_DEPARTEMENT_RANK = 12


class NominatimGeocoder(BaseGeocoder):
    """Addresses and named places from OpenStreetMap, limited to France by default."""

    name = "nominatim"

    def __init__(
        self,
        url: str = NOMINATIM_URL,
        *,
        user_agent: str,
        timeout_s: float = 10.0,
        min_delay_s: float = PUBLIC_MIN_DELAY_S,
        limit: int = 5,
        country_codes: tuple[str, ...] = ("fr",),
        language: str = "fr",
    ) -> None:
        """Args:
        url: the instance's base URL, to which "/search" is appended.
        user_agent: sent as User-Agent; it must name the application (the policy).
        timeout_s: how long to wait for an answer.
        min_delay_s: the smallest delay between the starts of two requests; at least 1 s on
            the public instance.
        limit: how many candidates to ask for.
        country_codes: ISO 3166-1 codes the search is limited to.
        language: the language of the names returned (Accept-Language).

        Raises:
            ValueError: no ``user_agent``, or a delay the public instance does not allow.
        """
        if not user_agent.strip():
            raise ValueError("Nominatim needs a user_agent naming the application")
        scheme, domain = split_url(url)
        host = urllib.parse.urlsplit(url).hostname
        if host == PUBLIC_HOST and min_delay_s < PUBLIC_MIN_DELAY_S:
            raise ValueError(
                f"the public Nominatim allows one request per {PUBLIC_MIN_DELAY_S:g} s, "
                f"not {min_delay_s:g} s"
            )
        self._options: dict[str, Any] = {
            "exactly_one": False,
            "limit": limit,
            "addressdetails": True,
            "country_codes": list(country_codes),
            "language": language,
        }
        self._geopy = Nominatim(
            domain=domain,
            scheme=scheme,
            user_agent=user_agent,
            timeout=timeout_s,
            adapter_factory=AioHTTPAdapter,
        )
        # No retry: on failure the chain asks the next provider instead of waiting here.
        self._geocode = AsyncRateLimiter(
            self._geopy.geocode,
            min_delay_seconds=min_delay_s,
            max_retries=0,
            error_wait_seconds=min_delay_s,
            swallow_exceptions=False,
        )

    async def lookup(self, text: str) -> Lookup:
        """Asks Nominatim, waiting for the next request slot; a failure is logged and reported
        in `Lookup.failed`."""
        query = network_query(text)
        if query is None:
            return Lookup()
        try:
            locations = await self._geocode(query, **self._options)
            results = [self._result(location.raw) for location in locations or ()]
        except FAILURES as error:
            log_failure(self.name, error)
            return Lookup(failed=(self.name,))
        return Lookup(tuple(r for r in results if r is not None), online=True)

    async def close(self) -> None:
        await self._geopy.__aexit__(None, None, None)

    def _result(self, place: dict[str, Any]) -> GeocodeResult | None:
        precision = _precision(place)
        if precision is None:
            return None
        address = place.get("address") or {}
        commune = next((address[key] for key in _COMMUNE_KEYS if address.get(key)), None)
        postcode = first_postcode(address.get("postcode"))
        return GeocodeResult(
            latitude=float(place["lat"]),
            longitude=float(place["lon"]),
            precision=precision,
            label=_label(place, precision, commune, postcode),
            commune=commune,
            postcode=postcode,
            departement=_departement(address, postcode),
            provider=self.name,
        )


def _precision(place: dict[str, Any]) -> Precision | None:
    """How precise a Nominatim place is; None for a département or anything larger."""
    category = place.get("class") or place.get("category")
    kind = place.get("type")
    address = place.get("address") or {}
    rank = int(place.get("place_rank") or 0)
    if kind == "postcode" or (category == "boundary" and kind == "postal_code"):
        return "postcode"
    if 0 < rank <= _DEPARTEMENT_RANK:
        return None
    if kind in _COMMUNE_TYPES or (category, kind) == ("boundary", "administrative"):
        return "commune"
    if category == "highway" or kind in _STREET_TYPES:
        return "street"
    if (category, kind) == ("place", "house") or category == "building":
        return "address"
    if address.get("house_number") and not place.get("name"):
        return "address"
    return "location"


def _label(
    place: dict[str, Any], precision: Precision, commune: str | None, postcode: str | None
) -> str:
    """A short label ("12 Rue Paul Bert, 69003 Lyon") rather than Nominatim's long
    display_name (which lists the métropole, département, region and country too)."""
    address = place.get("address") or {}
    street = " ".join(str(address[key]) for key in ("house_number", "road") if address.get(key))
    first = str(place.get("name") or "") if precision in ("location", "commune") else street
    town = " ".join(part for part in (postcode, commune) if part)
    if first and first == commune:
        first = ""
    label = ", ".join(part for part in (first, town) if part)
    return label or str(place.get("display_name") or "")


def _departement(address: dict[str, Any], postcode: str | None) -> str | None:
    """From the ISO 3166-2 subdivision codes ("FR-69", "FR-2A", "FR-974"), else the postcode."""
    for key in ("ISO3166-2-lvl6", "ISO3166-2-lvl5", "ISO3166-2-lvl4"):
        code = address.get(key)
        if isinstance(code, str) and code.startswith("FR-"):
            found = known_departement(code[3:])
            if found is not None:
                return found
    return departement_of(None, postcode)
