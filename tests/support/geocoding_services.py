"""Local stand-ins for the BAN and Nominatim search APIs, so geocoding tests never leave the
machine.

Each answers ``/search`` on a free loopback port, from a small table of known queries (matched
after normalisation), shaped like the real service's answer; it records every request and can
be told to fail (an HTTP status) or to be slow.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from typing import Any, TypeVar

from aiohttp import web

from ralliement.devstack.stack import free_port
from ralliement.geo.geocoding import (
    BanGeocoder,
    BaseGeocoder,
    ChainGeocoder,
    GeocodeResult,
    NominatimGeocoder,
    OfflineGeocoder,
)
from ralliement.geo.names import normalise


@dataclass(frozen=True)
class Request:
    """One request received: when (``time.monotonic()``), its query string and headers."""

    at: float
    query: dict[str, str]
    headers: dict[str, str]


class StandIn:
    """An HTTP server answering ``GET /search`` (and ``/search/``) from ``answers``."""

    def __init__(self, answers: dict[str, Any]) -> None:
        self.answers = {normalise(query): answer for query, answer in answers.items()}
        self.requests: list[Request] = []
        #: When set, every request gets this HTTP status and an error body.
        self.status: int | None = None
        #: Seconds to wait before answering.
        self.delay = 0.0
        self.port = free_port()
        self._runner: web.AppRunner | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def start(self) -> None:
        app = web.Application()
        app.router.add_get("/search", self._search)
        app.router.add_get("/search/", self._search)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", self.port).start()

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def _search(self, request: web.Request) -> web.Response:
        self.requests.append(Request(time.monotonic(), dict(request.query), dict(request.headers)))
        if self.delay:
            await asyncio.sleep(self.delay)
        if self.status is not None:
            return web.json_response({"error": "stand-in failure"}, status=self.status)
        answer = self.answers.get(normalise(request.query.get("q", "")))
        return web.json_response(self.body(answer, request))

    def body(self, answer: Any, request: web.Request) -> Any:
        raise NotImplementedError


class BanStandIn(StandIn):
    """The BAN API (https://adresse.data.gouv.fr/api-doc/adresse): a GeoJSON FeatureCollection.

    ``answers`` maps a query to a list of features (see `ban_feature`).
    """

    def body(self, answer: Any, request: web.Request) -> Any:
        limit = int(request.query.get("limit", "5"))
        features = list(answer or [])[:limit]
        return {
            "type": "FeatureCollection",
            "version": "draft",
            "features": features,
            "attribution": "BAN",
            "licence": "ETALAB-2.0",
            "query": request.query.get("q", ""),
            "limit": limit,
        }


def ban_feature(
    kind: str,
    label: str,
    lon: float,
    lat: float,
    *,
    postcode: str,
    citycode: str,
    city: str,
    context: str,
    score: float = 0.97,
    name: str | None = None,
) -> dict[str, Any]:
    """A feature as BAN writes it (``kind``: housenumber, street, locality, municipality)."""
    properties: dict[str, Any] = {
        "label": label,
        "score": score,
        "id": f"{citycode}_x",
        "type": kind,
        "name": name or label.split(f" {postcode}")[0],
        "postcode": postcode,
        "citycode": citycode,
        "x": 842000.0,
        "y": 6519000.0,
        "city": city,
        "context": context,
        "importance": 0.7,
    }
    if kind == "housenumber":
        properties["housenumber"] = properties["name"].split(" ")[0]
        properties["street"] = properties["name"].split(" ", 1)[1]
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [lon, lat]},
        "properties": properties,
    }


class NominatimStandIn(StandIn):
    """Nominatim's ``/search?format=json`` (https://nominatim.org/release-docs/latest/api/Search/):
    a JSON list of places, lat and lon as strings, ``address`` only with ``addressdetails=1``.

    ``answers`` maps a query to a list of places (see `nominatim_place`).
    """

    def body(self, answer: Any, request: web.Request) -> Any:
        limit = int(request.query.get("limit", "10"))
        places = [dict(place) for place in list(answer or [])[:limit]]
        if request.query.get("addressdetails") != "1":
            for place in places:
                place.pop("address", None)
        return places


def nominatim_place(
    category: str,
    kind: str,
    lat: float,
    lon: float,
    *,
    display_name: str,
    address: dict[str, str],
    name: str = "",
    place_rank: int = 30,
) -> dict[str, Any]:
    """A place as Nominatim's ``format=json`` writes it."""
    return {
        "place_id": 123456,
        "licence": "Data © OpenStreetMap contributors, ODbL 1.0. http://osm.org/copyright",
        "osm_type": "node",
        "osm_id": 987654,
        "lat": f"{lat:.7f}",
        "lon": f"{lon:.7f}",
        "class": category,
        "type": kind,
        "place_rank": place_rank,
        "importance": 0.5,
        "addresstype": kind,
        "name": name,
        "display_name": display_name,
        "address": {**address, "country": "France", "country_code": "fr"},
        "boundingbox": [str(lat - 0.001), str(lat + 0.001), str(lon - 0.001), str(lon + 0.001)],
    }


# --- Sample answers, and geocoders pointed at the stand-ins ---------------------------

USER_AGENT = "Ralliement tests (tests@example.org)"
ADDRESS = "12 rue Paul Bert, 69003 Lyon"
LYON = "69, Rhône, Auvergne-Rhône-Alpes"

BAN_ANSWERS = {
    ADDRESS: [
        ban_feature("housenumber", "12 Rue Paul Bert 69003 Lyon", 4.846612, 45.759703,
                    postcode="69003", citycode="69383", city="Lyon", context=LYON),
        ban_feature("housenumber", "12 Rue Paul Bert 69100 Villeurbanne", 4.88, 45.77,
                    postcode="69100", citycode="69266", city="Villeurbanne", context=LYON,
                    score=0.61),
    ],
    "rue de la République, Lyon": [
        ban_feature("street", "Rue de la République 69002 Lyon", 4.836, 45.761,
                    postcode="69002", citycode="69382", city="Lyon", context=LYON),
    ],
    "Les Brosses, Aveize": [
        ban_feature("locality", "Les Brosses 69610 Aveize", 4.47, 45.68, postcode="69610",
                    citycode="69016", city="Aveize", context=LYON),
    ],
    "Cours Napoléon, Ajaccio": [
        ban_feature("street", "Cours Napoléon 20000 Ajaccio", 8.7369, 41.9232,
                    postcode="20000", citycode="2A004", city="Ajaccio",
                    context="2A, Corse-du-Sud, Corse"),
    ],
    "blabla zzzz truc": [
        ban_feature("street", "Rue Blaise 33000 Bordeaux", -0.57, 44.84, postcode="33000",
                    citycode="33063", city="Bordeaux", context="33, Gironde", score=0.21),
    ],
}  # fmt: skip

NOMINATIM_ANSWERS = {
    ADDRESS: [
        nominatim_place(
            "place", "house", 45.7597512, 4.8466342,
            display_name="12, Rue Paul Bert, La Guillotière, Lyon 3e Arrondissement, Lyon, "
            "Métropole de Lyon, Rhône, Auvergne-Rhône-Alpes, France métropolitaine, 69003, France",
            address={"house_number": "12", "road": "Rue Paul Bert", "suburb": "Lyon 3e",
                     "city": "Lyon", "ISO3166-2-lvl6": "FR-69", "postcode": "69003"},
        ),
    ],
    "Gare de Lyon Part-Dieu": [
        nominatim_place(
            "railway", "station", 45.7606, 4.8593, name="Lyon Part-Dieu",
            display_name="Lyon Part-Dieu, Boulevard Vivier-Merle, Lyon, 69003, France",
            address={"railway": "Lyon Part-Dieu", "road": "Boulevard Vivier-Merle",
                     "city": "Lyon", "ISO3166-2-lvl6": "FR-69", "postcode": "69003"},
        ),
    ],
    "Rhône département": [
        nominatim_place(
            "boundary", "administrative", 45.88, 4.56, name="Rhône", place_rank=12,
            display_name="Rhône, Auvergne-Rhône-Alpes, France",
            address={"state": "Auvergne-Rhône-Alpes", "ISO3166-2-lvl6": "FR-69"},
        ),
    ],
    "Place du Marché, Quartier Nord": [
        nominatim_place(
            "highway", "pedestrian", 43.6, 3.88, name="Place du Marché", place_rank=26,
            display_name="Place du Marché, Montpellier, Hérault, 34000, France",
            address={"road": "Place du Marché", "city": "Montpellier", "postcode": "34000"},
        ),
    ],
}  # fmt: skip


def closed_url() -> str:
    """The URL of a loopback port nobody listens on: a service that is down."""
    return f"http://127.0.0.1:{free_port()}"


G = TypeVar("G", bound=BaseGeocoder)


class Closing:
    """Geocoders to close at the end of the test (their HTTP sessions)."""

    def __init__(self) -> None:
        self.opened: list[BaseGeocoder] = []

    def __call__(self, geocoder: G) -> G:
        self.opened.append(geocoder)
        return geocoder


def ban_at(url: str, *, timeout_s: float = 5.0) -> BanGeocoder:
    return BanGeocoder(url, user_agent=USER_AGENT, timeout_s=timeout_s)


def nominatim_at(url: str, *, min_delay_s: float = 0.0) -> NominatimGeocoder:
    return NominatimGeocoder(url, user_agent=USER_AGENT, timeout_s=5.0, min_delay_s=min_delay_s)


def chain(
    ban_url: str, nominatim_url: str | None = None, *, timeout_s: float = 5.0
) -> ChainGeocoder:
    """The offline gazetteer, then BAN, then (when given) Nominatim."""
    providers: list[BaseGeocoder] = [OfflineGeocoder(), ban_at(ban_url, timeout_s=timeout_s)]
    if nominatim_url is not None:
        providers.append(nominatim_at(nominatim_url))
    return ChainGeocoder(providers)


def summary(result: GeocodeResult) -> tuple[object, ...]:
    return (result.provider, result.precision, result.commune, result.postcode, result.departement)
