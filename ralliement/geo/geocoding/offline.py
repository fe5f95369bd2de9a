"""The offline provider: the gazetteer shipped with Ralliement (communes and postcodes).

It answers a bare postcode, a commune, "Commune (dept)" or "69003 Lyon" without network, and,
as the chain's last resort, the postcode or commune found inside an address
(`OfflineGeocoder.within`).
"""

from __future__ import annotations

import re

from ..gazetteer import Gazetteer, Place, gazetteer
from ..names import name_key
from .base import OFFLINE, BaseGeocoder, GeocodeResult, Lookup, Precision, clean

_POSTCODE = re.compile(r"(?<!\d)(\d{5})(?!\d)")


class OfflineGeocoder(BaseGeocoder):
    """Communes and postcodes from the package's gazetteer; never asks the network."""

    name = OFFLINE

    def __init__(self, places: Gazetteer | None = None) -> None:
        """Args:
        places: the gazetteer to use; the package's shared one (`gazetteer()`) by default.
        """
        self._places = places

    @property
    def gazetteer(self) -> Gazetteer:
        """The gazetteer answering (loaded on first use, about 0.2 s)."""
        if self._places is None:
            self._places = gazetteer()
        return self._places

    async def lookup(self, text: str) -> Lookup:
        """The communes ``text`` names, most populous first (see `Gazetteer.resolve`).

        Several candidates mean the name is ambiguous ("Saint-Denis"); a postcode shared by
        several communes gives them all, most populous first.
        """
        text = clean(text)
        if not text:
            return Lookup()
        return Lookup(tuple(self.result(place) for place in self.gazetteer.resolve(text)))

    def within(self, text: str) -> list[GeocodeResult]:
        """The commune an address names, for when no network provider located the address.

        In this order: the last known postcode in the text, the commune the text names first
        when the postcode has several ("12 rue X, 69100 Villeurbanne"); else a part between
        commas that is a commune, the last first ("Place de la Mairie, Villeurbanne, France").
        """
        text = clean(text)
        key = f" {name_key(text)} "
        for postcode in reversed(_POSTCODE.findall(text)):
            places = self.gazetteer.by_postcode(postcode)
            if places:
                named = [p for p in places if f" {name_key(p.commune)} " in key]
                rest = [p for p in places if p not in named]
                return [self.result(place) for place in named + rest]
        for part in reversed(text.split(",") if "," in text else []):
            places = self.gazetteer.resolve(part)
            if places:
                return [self.result(place) for place in places]
        return []

    def result(self, place: Place) -> GeocodeResult:
        """A gazetteer place as a result of this provider."""
        # The gazetteer's "departement" precision (a commune placed at its département's mean)
        # does not occur in the shipped data; it is no closer than a postcode area.
        precision: Precision = "commune" if place.precision == "commune" else "postcode"
        return GeocodeResult(
            latitude=place.latitude,
            longitude=place.longitude,
            precision=precision,
            label=f"{place.commune} ({place.postcode})",
            commune=place.commune,
            postcode=place.postcode,
            departement=place.departement,
            provider=OFFLINE,
        )
