"""Where a search happens: the place a person typed (or shared), as a point and a label.

In this order:

1. a ``geo:`` URI (a location shared from Element): the point itself;
2. a postcode, a commune, "commune (département)", "69003 Lyon" (the offline gazetteer): a name
   several communes share is refused with the candidates and their départements, to be made
   precise;
3. anything else, e.g. a street address: the geocoder (BAN, Nominatim, per the configuration);
4. nothing found: the communes spelt closest, as suggestions.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from ralliement.geo.gazetteer import Gazetteer, Place, gazetteer
from ralliement.geo.geocoding import Geocoder
from ralliement.geo.names import is_postcode

from .arguments import ArgumentError
from .discovery_arguments import parse_geo_uri

log = logging.getLogger("bots.discovery")

PLACE_MISSING = "search.place.missing"
PLACE_UNKNOWN = "search.place.unknown"
PLACE_AMBIGUOUS = "search.place.ambiguous"
MAX_CANDIDATES = 8
MAX_SUGGESTIONS = 5


@dataclass(frozen=True)
class SearchPoint:
    """A place found: where it is, how it is shown, and what a home keeps of it."""

    latitude: float
    longitude: float
    #: "Lyon 4e Arrondissement (69004)", an address, or the ``geo:`` URI of a shared location.
    label: str
    commune: str | None = None
    postcode: str | None = None
    #: "commune", "postcode", "address", "street", "location"...
    precision: str = "commune"


def place_label(place: Place) -> str:
    """ "Lyon 4e Arrondissement (69004)" """
    return f"{place.commune} ({place.postcode})"


def with_departement(place: Place, places: Gazetteer) -> str:
    """ "Saint-Denis (93 – Seine-Saint-Denis)": a commune as candidates are shown."""
    name = places.departement_name(place.departement)
    return f"{place.commune} ({place.departement} – {name})" if name else place_label(place)


def geo_label(latitude: float, longitude: float) -> str:
    """The label of a shared location: its ``geo:`` URI (shown in words by the views)."""
    return f"geo:{latitude:.5f},{longitude:.5f}"


class PlaceFinder:
    """Finds the point of a place as people type it.

    Args:
        geocoder: for street addresses and what the gazetteer does not know; None: the
            gazetteer only.
        places: the gazetteer (the package's by default).
    """

    def __init__(self, geocoder: Geocoder | None = None, places: Gazetteer | None = None) -> None:
        self.geocoder = geocoder
        self._places = places

    @property
    def places(self) -> Gazetteer:
        if self._places is None:
            self._places = gazetteer()
        return self._places

    def is_place(self, text: str) -> bool:
        """Whether the gazetteer knows ``text`` as a place by itself (no network)."""
        return bool(self.places.resolve(" ".join(text.split())))

    async def find(self, text: str) -> SearchPoint:
        """The point ``text`` names.

        Raises:
            ArgumentError: ``search.place.missing``; ``search.location.no_coordinates`` (a
                ``geo:`` URI without a point); ``search.place.ambiguous`` (with the
                ``candidates``); ``search.place.unknown`` (with ``suggestions``).
        """
        cleaned = " ".join(text.split())
        if not cleaned:
            raise ArgumentError(PLACE_MISSING)
        point = parse_geo_uri(cleaned)
        if point is not None:
            return SearchPoint(
                point.latitude,
                point.longitude,
                geo_label(point.latitude, point.longitude),
                precision="location",
            )
        found = self.places.resolve(cleaned)
        if found:
            return self._commune(cleaned, found)
        geocoded = await self._geocode(cleaned)
        if geocoded is not None:
            return geocoded
        suggestions = [
            with_departement(place, self.places)
            for place in self.places.suggest(cleaned, MAX_SUGGESTIONS)
        ]
        raise ArgumentError(PLACE_UNKNOWN, place=cleaned, suggestions=suggestions)

    def _commune(self, text: str, found: list[Place]) -> SearchPoint:
        communes = {place.insee for place in found}
        if len(communes) > 1 and not is_postcode(text):
            candidates = [with_departement(place, self.places) for place in found[:MAX_CANDIDATES]]
            raise ArgumentError(PLACE_AMBIGUOUS, place=text, candidates=candidates)
        chosen = found[0]
        label = place_label(chosen)
        if is_postcode(text) and len(communes) > 1:
            label = f"{text} ({', '.join(place.commune for place in found[:3])})"
        return SearchPoint(
            chosen.latitude,
            chosen.longitude,
            label,
            commune=chosen.commune,
            postcode=chosen.postcode,
            precision=chosen.precision,
        )

    async def _geocode(self, text: str) -> SearchPoint | None:
        if self.geocoder is None:
            return None
        try:
            results = await self.geocoder.geocode(text)
        except Exception:  # a geocoder says "nothing" when a provider fails; in case one raises
            log.warning("Geocoding %r failed", text, exc_info=True)
            return None
        if not results:
            return None
        best = results[0]
        return SearchPoint(
            best.latitude,
            best.longitude,
            best.label or text,
            commune=best.commune,
            postcode=best.postcode,
            precision=best.precision,
        )
