"""Arguments of the discovery commands: pure parsers, no I/O (whether a text names a place is
asked of a function passed in).

``!autour <lieu> [rayon]`` (and ``!equipes-autour``): the place is a postcode, a commune,
"commune (département)", a street address or a ``geo:`` URI; the radius, last and optional, is
``10``, ``10 km``, ``10km`` or ``rayon 10``. A bare number is the radius only when the whole text
is not a place by itself: "Paris 11" is the 11th arrondissement, "Saint-Denis 93" the one in
Seine-Saint-Denis; write "Paris 11 km" for a radius. No place at all means "around my home".

``!alerte [rayon | off]``: nothing shows the setting, ``off`` stops, a radius subscribes.

Every refusal is an :class:`~bots.arguments.ArgumentError` worded in :mod:`bots.wording.discovery`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum

from bridge.domain.alerts import RADIUS_INVALID, RADIUS_MAX, RADIUS_MIN

from .arguments import ArgumentError

ALERT_USAGE = "alert.usage"
LOCATION_INVALID = "search.location.no_coordinates"

_UNIT = r"(?:km|kms|kilom[eè]tres?|kilometers?)"
_LEAD = r"(?:(?:dans\s+un\s+)?rayon(?:\s+de)?|radius(?:\s+of)?|within|à|a)"
_NUMBER = r"[-+−]?\d+(?:[.,]\d*)?"
# "… 10 km", "… 10km", "… rayon 10", "… 10" (bare: checked against the place, below).
_TRAILING = re.compile(
    rf"(?P<place>.*?)[\s,;:]*(?:\b{_LEAD}\s*)?(?P<number>{_NUMBER})\s*(?P<unit>{_UNIT})?\.?",
    re.IGNORECASE,
)
_GEO = re.compile(
    r"geo:\s*(?P<lat>[-+]?\d+(?:\.\d+)?),\s*(?P<lon>[-+]?\d+(?:\.\d+)?)(?:[,;].*)?", re.IGNORECASE
)
#: A bare number longer than this is not a radius (a postcode has five digits).
_MAX_BARE_DIGITS = 4
OFF_WORDS = frozenset(
    {"off", "non", "no", "stop", "arret", "arrêt", "arreter", "arrêter", "aucune", "none", "fin"}
)


@dataclass(frozen=True)
class SearchRequest:
    """Where to search: a place as typed ("" for the person's home), and a radius if given."""

    place: str
    radius_km: int | None


@dataclass(frozen=True)
class GeoPoint:
    latitude: float
    longitude: float


class AlertAction(Enum):
    SHOW = "show"
    OFF = "off"
    SET = "set"


@dataclass(frozen=True)
class AlertRequest:
    action: AlertAction
    radius_km: int | None = None


def read_radius(number: str) -> int:
    """A radius in whole kilometres from 1 to 500 (``search.radius`` otherwise)."""
    cleaned = number.replace("−", "-").replace(",", ".").rstrip(".")
    try:
        value = float(cleaned)
    except ValueError:
        raise ArgumentError(RADIUS_INVALID, min=RADIUS_MIN, max=RADIUS_MAX) from None
    if value != int(value) or not RADIUS_MIN <= value <= RADIUS_MAX:
        raise ArgumentError(RADIUS_INVALID, min=RADIUS_MIN, max=RADIUS_MAX)
    return int(value)


def parse_search(text: str, is_place: Callable[[str], bool]) -> SearchRequest:
    """The place and radius of ``!autour`` / ``!equipes-autour``.

    Args:
        text: what follows the command.
        is_place: whether a text names a place by itself (the gazetteer's), so that "Paris 11"
            stays a place.

    Raises:
        ArgumentError: ``search.radius`` (a radius out of 1–500 km, or not a whole number).
    """
    cleaned = " ".join(text.split())
    is_geo = cleaned.casefold().startswith("geo:")
    if not is_geo:
        cleaned = cleaned.strip(" ,;:")
    if not cleaned or _GEO.fullmatch(cleaned):
        return SearchRequest(cleaned, None)
    match = _TRAILING.fullmatch(cleaned)
    if match is None:
        return SearchRequest(cleaned, None)
    place = match["place"].strip(" ,;:")
    if is_geo and not _GEO.fullmatch(place):  # a broken geo: URI, said so by the place finder
        return SearchRequest(cleaned, None)
    number, unit = match["number"], match["unit"]
    digits = sum(c.isdigit() for c in number)
    if unit is None:
        bare_radius = digits <= _MAX_BARE_DIGITS and not (place and is_place(cleaned))
        if not bare_radius:
            return SearchRequest(cleaned, None)
    return SearchRequest(place, read_radius(number))


def parse_geo_uri(text: str) -> GeoPoint | None:
    """The point of a ``geo:`` URI (RFC 5870: ``geo:48.85,2.35``, ``geo:48.85,2.35;u=35``);
    None when the text is not one.

    Raises:
        ArgumentError: ``search.location.no_coordinates``: a ``geo:`` URI without a valid point
            (what a location message without coordinates gives).
    """
    cleaned = text.strip()
    if not cleaned.casefold().startswith("geo:"):
        return None
    match = _GEO.fullmatch(cleaned)
    if match is None:
        raise ArgumentError(LOCATION_INVALID)
    latitude, longitude = float(match["lat"]), float(match["lon"])
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise ArgumentError(LOCATION_INVALID)
    return GeoPoint(latitude, longitude)


def parse_alert(text: str) -> AlertRequest:
    """``!alerte`` (show), ``!alerte off`` (stop), ``!alerte 20`` / ``20 km`` (subscribe).

    Raises:
        ArgumentError: ``search.radius``; ``alert.usage`` (anything else).
    """
    cleaned = " ".join(text.split()).strip(" .,;:!").casefold()
    if not cleaned:
        return AlertRequest(AlertAction.SHOW)
    if cleaned in OFF_WORDS:
        return AlertRequest(AlertAction.OFF)
    match = re.fullmatch(
        rf"(?:\b{_LEAD}\s*)?(?P<number>{_NUMBER})\s*(?:{_UNIT})?", cleaned, re.IGNORECASE
    )
    if match is None:
        raise ArgumentError(ALERT_USAGE, text=" ".join(text.split()))
    radius = read_radius(match["number"])
    return AlertRequest(AlertAction.SET, radius)
