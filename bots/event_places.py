"""Where an event happens: the text organisers type, located with the offline gazetteer.

The text is kept as typed (members read it); what locates it is commune-level for now, found in
this order:

1. a postcode in the text ("Marché de la Croix-Rousse, 69004 Lyon"): its commune, the one the text
   names when the postcode has several;
2. a commune after the last comma ("Place de la Mairie, Villeurbanne"), the one in the team's
   département when several share the name;
3. else the team's own commune (precision ``"team"``).

An online event is not located (its place is a link or a word such as "visio"), nor is a link.
Street-level geocoding (BAN, Nominatim) comes later.
"""

from __future__ import annotations

import re

from bridge.db.events import EventKind
from bridge.db.teams import Team
from bridge.domain.events import EventPlace
from ralliement.geo.gazetteer import Place, gazetteer
from ralliement.geo.names import name_key

#: The precision of a place located by its team's commune.
TEAM_PRECISION = "team"
_POSTCODE = re.compile(r"(?<!\d)(\d{5})(?!\d)")


def event_place(text: str, team: Team, kind: EventKind = EventKind.ACTION) -> EventPlace:
    """The place of an event of ``team``, located as well as the gazetteer allows."""
    text = " ".join(text.split())
    if kind is EventKind.ONLINE or "://" in text:
        return EventPlace(text)
    found = _by_postcode(text) or _by_trailing_commune(text, team)
    if found is not None:
        return EventPlace(
            text,
            commune=found.commune,
            postcode=found.postcode,
            latitude=found.latitude,
            longitude=found.longitude,
            precision=found.precision,
        )
    if team.latitude is None or team.longitude is None:
        return EventPlace(text, commune=team.commune, postcode=team.postcode)
    return EventPlace(
        text,
        commune=team.commune,
        postcode=team.postcode,
        latitude=team.latitude,
        longitude=team.longitude,
        precision=TEAM_PRECISION,
    )


def _by_postcode(text: str) -> Place | None:
    """The commune of the last known postcode in ``text``, preferring one the text names."""
    key = f" {name_key(text)} "
    for postcode in reversed(_POSTCODE.findall(text)):
        places = gazetteer().by_postcode(postcode)
        if places:
            named = [p for p in places if f" {name_key(p.commune)} " in key]
            return (named or places)[0]
    return None


def _by_trailing_commune(text: str, team: Team) -> Place | None:
    """The commune named after the last comma, in the team's département if several are."""
    if "," not in text:
        return None
    tail = text.rsplit(",", 1)[1].strip()
    if not tail:
        return None
    places = gazetteer().resolve(tail)
    local = [place for place in places if place.departement == team.departement]
    return (local or places)[0] if places else None
