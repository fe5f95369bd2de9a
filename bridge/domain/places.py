"""Where a team acts: a postcode or a commune, resolved with the offline gazetteer."""

from __future__ import annotations

from dataclasses import dataclass

from ralliement.geo.gazetteer import Place, gazetteer

from .errors import DomainError

PLACE_UNKNOWN = "place.unknown"
PLACE_AMBIGUOUS = "place.ambiguous"
MAX_CANDIDATES = 5


class PlaceError(DomainError):
    """A place that names no commune, or several."""


@dataclass(frozen=True)
class TeamPlace:
    """The location stored with a team: commune-level, never a street address."""

    commune: str
    postcode: str
    departement: str
    latitude: float
    longitude: float


def describe(place: Place) -> str:
    """ "Lyon 3e Arrondissement (69003)" """
    return f"{place.commune} ({place.postcode})"


def resolve_team_place(text: str) -> TeamPlace:
    """The commune meant by ``text`` ("69003", "Villeurbanne", "Saint-Denis (93)").

    A postcode shared by several communes gives the most populous one; the team's commune can be
    made precise with its name.

    Raises:
        PlaceError: ``place.unknown`` (with up to five ``suggestions``), or ``place.ambiguous``
            (with the ``candidates``, each "Commune (postcode)").
    """
    cleaned = " ".join(text.split())
    places = gazetteer().resolve(cleaned)
    if not places:
        suggestions = [describe(place) for place in gazetteer().suggest(cleaned, MAX_CANDIDATES)]
        raise PlaceError(PLACE_UNKNOWN, place=cleaned, suggestions=suggestions)
    is_postcode = cleaned.isdigit()
    communes = {(place.insee, place.departement) for place in places}
    if len(communes) > 1 and not is_postcode:
        candidates = [describe(place) for place in places[:MAX_CANDIDATES]]
        raise PlaceError(PLACE_AMBIGUOUS, place=cleaned, candidates=candidates)
    chosen = places[0]
    return TeamPlace(
        commune=chosen.commune,
        postcode=chosen.postcode,
        departement=chosen.departement,
        latitude=chosen.latitude,
        longitude=chosen.longitude,
    )
