"""What every geocoder answers: `GeocodeResult`, the `Geocoder` protocol, and `Lookup`.

A geocoder turns what a user typed ("69003", "Villeurbanne", "12 rue de la République, Lyon")
into candidate points, best first. The providers (`OfflineGeocoder`, `BanGeocoder`,
`NominatimGeocoder`) never raise for a bad answer or an unreachable service: they log it and
say so in their `Lookup`, which `ChainGeocoder` uses to try the next provider and
`CachedGeocoder` to decide what to keep.
"""

from __future__ import annotations

import abc
from dataclasses import dataclass
from typing import Literal, Protocol

#: How close the point is to the place typed: a house number, a street (or a locality), a
#: commune, a postcode area, or a named place whose own position is known (a station, a hall).
Precision = Literal["address", "street", "commune", "postcode", "location"]

#: The name of the offline provider; every other provider asks the network.
OFFLINE = "offline"


@dataclass(frozen=True, slots=True)
class GeocodeResult:
    """One candidate for a place.

    Attributes:
        latitude: WGS84 degrees.
        longitude: WGS84 degrees.
        precision: See `Precision`.
        label: The place as the provider writes it ("12 Rue de la République 69002 Lyon",
            "Lyon 3e Arrondissement (69003)").
        commune: The commune (or municipal arrondissement), when known.
        postcode: Its postcode, when known.
        departement: The département code ("69", "2A", "974"), when known.
        provider: Which provider found it: "offline", "ban" or "nominatim".
    """

    latitude: float
    longitude: float
    precision: Precision
    label: str
    commune: str | None
    postcode: str | None
    departement: str | None
    provider: str


class Geocoder(Protocol):
    """Anything that turns typed text into candidate places."""

    async def geocode(self, text: str) -> list[GeocodeResult]:
        """The candidates for ``text``, best first; [] when the place is unknown.

        Never raises because a provider failed: a failure reads as "nothing found".
        """
        ...

    async def close(self) -> None:
        """Close the HTTP sessions (call once, on shutdown)."""
        ...


@dataclass(frozen=True, slots=True)
class Lookup:
    """A geocoder's answer, with what `CachedGeocoder` needs to know about how it was found.

    Attributes:
        results: The candidates, best first.
        online: A network provider answered (with places or with "nothing").
        failed: The providers that could not answer (timeout, refused connection, HTTP error,
            malformed answer).
    """

    results: tuple[GeocodeResult, ...] = ()
    online: bool = False
    failed: tuple[str, ...] = ()


class BaseGeocoder(abc.ABC):
    """A provider: `lookup` says how the answer was found, `geocode` gives the candidates."""

    #: The provider's name in the configuration, in results and in the cache.
    name: str

    @abc.abstractmethod
    async def lookup(self, text: str) -> Lookup:
        """The candidates for ``text`` and how they were found; never raises for a failure."""

    async def geocode(self, text: str) -> list[GeocodeResult]:
        """The candidates for ``text``, best first; [] when unknown or when the provider failed."""
        return list((await self.lookup(text)).results)

    async def close(self) -> None:
        """Close the provider's HTTP session, if it has one (the offline provider has none)."""
        return None


def clean(text: str) -> str:
    """The text with its whitespace runs made single spaces, and trimmed."""
    return " ".join(text.split())
