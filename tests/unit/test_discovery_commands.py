"""The discovery commands' arguments and wording, without a database: where to search and how far,
the alert settings, shared locations, places (offline gazetteer), distances and pages."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bots.arguments import ArgumentError
from bots.discovery_arguments import (
    AlertAction,
    AlertRequest,
    GeoPoint,
    SearchRequest,
    parse_alert,
    parse_geo_uri,
    parse_search,
)
from bots.discovery_places import PlaceFinder, SearchPoint
from bots.discovery_views import distance_text, events_page, teams_page
from bots.refusals import refusal
from bridge.db.events import Event, EventKind, EventStatus, Visibility
from bridge.db.teams import Team, TeamKind
from bridge.domain.errors import DomainError
from ralliement.geo.geocoding import ChainGeocoder, GeocodeResult, OfflineGeocoder

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2026, 11, 19, 14, 30, tzinfo=PARIS)
FINDER = PlaceFinder()


def search(text: str) -> SearchRequest:
    return parse_search(text, FINDER.is_place)


# --- !autour <lieu> [rayon] -------------------------------------------------------------------

SEARCHES = [
    ("69004", SearchRequest("69004", None)),
    ("Villeurbanne", SearchRequest("Villeurbanne", None)),
    ("Villeurbanne 10", SearchRequest("Villeurbanne", 10)),
    ("Villeurbanne 10 km", SearchRequest("Villeurbanne", 10)),
    ("Villeurbanne 10km", SearchRequest("Villeurbanne", 10)),
    ("Villeurbanne, 10 KM", SearchRequest("Villeurbanne", 10)),
    ("Villeurbanne rayon 15", SearchRequest("Villeurbanne", 15)),
    ("Villeurbanne à 30 km", SearchRequest("Villeurbanne", 30)),
    ("  Saint-Étienne   25  kilomètres ", SearchRequest("Saint-Étienne", 25)),
    ("75011 5", SearchRequest("75011", 5)),
    ("Paris 11", SearchRequest("Paris 11", None)),  # the 11th arrondissement
    ("Paris 11 km", SearchRequest("Paris", 11)),
    ("Saint-Denis 93", SearchRequest("Saint-Denis 93", None)),  # the one in Seine-Saint-Denis
    ("Saint-Denis (974)", SearchRequest("Saint-Denis (974)", None)),
    ("Saint-Denis (93) 10 km", SearchRequest("Saint-Denis (93)", 10)),
    ("12 rue Dumenge, 69004 Lyon", SearchRequest("12 rue Dumenge, 69004 Lyon", None)),
    ("Lima 10", SearchRequest("Lima", 10)),  # "a" is not read as "à"
    ("", SearchRequest("", None)),  # around home
    ("10 km", SearchRequest("", 10)),  # around home, 10 km
    ("geo:45.1885,5.7245;u=35", SearchRequest("geo:45.1885,5.7245;u=35", None)),
    ("geo:45.1885,5.7245 8 km", SearchRequest("geo:45.1885,5.7245", 8)),
]


@pytest.mark.parametrize(("text", "expected"), SEARCHES)
def test_search_arguments(text: str, expected: SearchRequest) -> None:
    assert search(text) == expected


@pytest.mark.parametrize(
    "text",
    ["Lyon 0", "Lyon 0 km", "Lyon 501", "Lyon 1000", "Lyon -5 km", "Lyon 2,5 km", "Lyon 9999 km"],
)
def test_radius_out_of_range_or_not_whole(text: str) -> None:
    with pytest.raises(ArgumentError) as refused:
        search(text)
    assert refused.value.key == "search.radius"
    assert refused.value.params == {"min": 1, "max": 500}


def test_radius_refusal_in_both_languages() -> None:
    error = ArgumentError("search.radius", min=1, max=500)
    french = refusal(error, "fr", hint="search.usage.near").body.splitlines()
    assert french[0] == (
        "Le rayon doit être un nombre entier de kilomètres, de 1 à 500, par exemple « 10 km »."
    )
    assert french[1].startswith("Écrivez : !autour <lieu> [rayon en km], par exemple")
    english = refusal(error, "en", hint="search.usage.near").body.splitlines()
    assert english[0] == (
        "The radius must be a whole number of kilometres from 1 to 500, for example “10 km”."
    )
    assert english[1].startswith("Type: !near <place> [radius in km], for example")


# --- !alerte ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", AlertRequest(AlertAction.SHOW)),
        ("off", AlertRequest(AlertAction.OFF)),
        ("OFF.", AlertRequest(AlertAction.OFF)),
        ("stop", AlertRequest(AlertAction.OFF)),
        ("arrêt", AlertRequest(AlertAction.OFF)),
        ("20", AlertRequest(AlertAction.SET, 20)),
        ("20 km", AlertRequest(AlertAction.SET, 20)),
        ("rayon 30", AlertRequest(AlertAction.SET, 30)),
        ("500km", AlertRequest(AlertAction.SET, 500)),
    ],
)
def test_alert_arguments(text: str, expected: AlertRequest) -> None:
    assert parse_alert(text) == expected


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("0", "search.radius"),
        ("600 km", "search.radius"),
        ("demain", "alert.usage"),
        ("20 miles", "alert.usage"),
        ("on", "alert.usage"),
    ],
)
def test_alert_refusals(text: str, key: str) -> None:
    with pytest.raises(ArgumentError) as refused:
        parse_alert(text)
    assert refused.value.key == key


# --- Shared locations ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("geo:45.1885,5.7245", GeoPoint(45.1885, 5.7245)),
        ("geo:45.1885,5.7245;u=35", GeoPoint(45.1885, 5.7245)),
        ("geo:-21.1151,55.5364,12", GeoPoint(-21.1151, 55.5364)),
        ("GEO:48,2", GeoPoint(48.0, 2.0)),
        ("Lyon", None),
    ],
)
def test_geo_uris(text: str, expected: GeoPoint | None) -> None:
    assert parse_geo_uri(text) == expected


@pytest.mark.parametrize("text", ["geo:", "geo:abc", "geo:95,2", "geo:45,200", "geo:45"])
def test_a_location_without_coordinates(text: str) -> None:
    with pytest.raises(ArgumentError) as refused:
        parse_geo_uri(text)
    assert refused.value.key == "search.location.no_coordinates"
    reply = refusal(refused.value, "fr", hint="search.usage.near")
    assert reply.body.startswith("📍 Ce partage de position ne contient pas de coordonnées")


# --- Never a crash: any text gets an answer or a worded refusal ---------------------------------


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_search_arguments_never_crash(text: str) -> None:
    try:
        request = search(text)
    except DomainError as error:
        assert error.key == "search.radius"
        return
    assert request.radius_km is None or 1 <= request.radius_km <= 500


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            ["Lyon", "Paris", "11", "10", "km", "rayon", "à", "geo:45,5", ",", "(93)", "-3", "0"]
        ),
        max_size=6,
    ).map(" ".join)
)
def test_search_arguments_never_crash_on_likely_words(text: str) -> None:
    try:
        search(text)
    except DomainError as error:
        assert error.key == "search.radius"


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40))
def test_alert_arguments_never_crash(text: str) -> None:
    try:
        parse_alert(text)
    except DomainError as error:
        assert error.key in ("search.radius", "alert.usage")


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40))
def test_places_never_crash(text: str) -> None:
    try:
        point = asyncio.run(FINDER.find(text))
    except DomainError as error:
        assert error.key.startswith("search.")
        assert refusal(error, "fr").body  # worded
        return
    assert -90 <= point.latitude <= 90 and -180 <= point.longitude <= 180


# --- Places (offline gazetteer) -----------------------------------------------------------------


async def test_a_postcode_a_commune_and_a_commune_with_its_departement() -> None:
    postcode = await FINDER.find("69004")
    assert postcode.label == "Lyon 4e Arrondissement (69004)"
    commune = await FINDER.find("villeurbanne")
    assert (commune.label, commune.postcode) == ("Villeurbanne (69100)", "69100")
    reunion = await FINDER.find("Saint-Denis (974)")
    assert reunion.label.startswith("Saint-Denis (974") and reunion.latitude < 0


async def test_an_ambiguous_commune_lists_the_candidates_with_their_departement() -> None:
    with pytest.raises(ArgumentError) as refused:
        await FINDER.find("Saint-Denis")
    candidates = refused.value.params["candidates"]
    assert "Saint-Denis (93 – Seine-Saint-Denis)" in candidates
    assert "Saint-Denis (974 – La Réunion)" in candidates
    body = refusal(refused.value, "fr", hint="search.usage.near").body.splitlines()
    assert body[0] == (
        "Plusieurs communes s'appellent « Saint-Denis » : précisez le département ou le code "
        "postal, par exemple « Saint-Denis (93) »."
    )
    assert body[1] == "Laquelle voulez-vous dire :"
    assert "• Saint-Denis (93 – Seine-Saint-Denis)" in body
    english = refusal(refused.value, "en").body.splitlines()
    assert english[0].startswith("Several communes are called “Saint-Denis”")


async def test_an_unknown_place_gets_suggestions() -> None:
    with pytest.raises(ArgumentError) as refused:
        await FINDER.find("Marseile")
    assert refused.value.key == "search.place.unknown"
    assert "Marseille (13 – Bouches-du-Rhône)" in refused.value.params["suggestions"]
    body = refusal(refused.value, "fr", hint="search.usage.near").body.splitlines()
    assert body[:2] == ["Je ne trouve pas de lieu « Marseile ».", "Vouliez-vous dire :"]
    assert body[-1].startswith("Écrivez : !autour")


class FixedGeocoder:
    def __init__(self) -> None:
        self.asked: list[str] = []

    async def geocode(self, text: str) -> list[GeocodeResult]:
        self.asked.append(text)
        if "dumenge" in text.casefold():
            label = "12 Rue Dumenge 69004 Lyon"
            return [GeocodeResult(45.7797, 4.8262, "address", label, "Lyon", "69004", "69", "ban")]
        return []

    async def close(self) -> None:
        pass


async def test_a_street_address_goes_to_the_geocoder_communes_do_not() -> None:
    geocoder = FixedGeocoder()
    finder = PlaceFinder(geocoder)
    address = await finder.find("12 rue Dumenge, Lyon")
    assert address == SearchPoint(
        45.7797, 4.8262, "12 Rue Dumenge 69004 Lyon", "Lyon", "69004", "address"
    )
    await finder.find("Villeurbanne")
    assert geocoder.asked == ["12 rue Dumenge, Lyon"]
    with pytest.raises(ArgumentError):
        await finder.find("nulle part du tout")


async def test_the_default_offline_geocoder_locates_an_address_at_its_commune() -> None:
    finder = PlaceFinder(ChainGeocoder([OfflineGeocoder()]))  # the default configuration
    address = await finder.find("12 rue Dumenge, 69004 Lyon")
    assert (address.postcode, address.precision) == ("69004", "commune")
    with pytest.raises(ArgumentError) as refused:
        await finder.find("Marseile")
    assert refused.value.key == "search.place.unknown"


# --- Distances and pages ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("km", "french", "english"),
    [(2.44, "2,4 km", "2.4 km"), (0.0, "0,0 km", "0.0 km"), (12.6, "13 km", "13 km")],
)
def test_distances(km: float, french: str, english: str) -> None:
    assert distance_text(km, "fr") == french
    assert distance_text(km, "en") == english


def _team(name: str = "Insoumis de la Croix-Rousse") -> Team:
    return Team(
        id="croix-rousse",
        name=name,
        kind=TeamKind.LOCAL,
        description="",
        commune="Lyon 4e Arrondissement",
        postcode="69004",
        departement="69",
        latitude=45.7797,
        longitude=4.8262,
        room_id=None,
        created_at=0,
        archived_at=None,
    )


def _event(event_id: str, title: str, start: datetime, **changes: object) -> Event:
    start_ms = int(start.timestamp() * 1000)
    values: dict[str, object] = {
        "id": event_id,
        "team_id": "croix-rousse",
        "title": title,
        "description": "",
        "kind": EventKind.ACTION,
        "start_at": start_ms,
        "end_at": start_ms + 2 * 3600 * 1000,
        "timezone": "Europe/Paris",
        "place": "Marché",
        "commune": "Lyon 4e Arrondissement",
        "postcode": "69004",
        "latitude": 45.7797,
        "longitude": 4.8262,
        "precision": "commune",
        "visibility": Visibility.PUBLIC,
        "capacity": None,
        "status": EventStatus.CONFIRMED,
        "organizer": "@alice:localhost",
        "sequence": 0,
        "created_at": 0,
        "updated_at": 0,
        **changes,
    }
    return Event(**values)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Near:
    event: Event
    distance_km: float
    team: Team


def test_an_events_page_is_one_compact_message() -> None:
    found = [
        Near(_event("k3f9q2", "Tractage au marché", datetime(2026, 11, 21, 10, tzinfo=PARIS)),
             2.44, _team()),
        Near(_event("m7h2x4", "Réunion d'équipe", datetime(2026, 11, 26, 19, tzinfo=PARIS),
                    kind=EventKind.MEETING, visibility=Visibility.MEMBERS), 12.3, _team()),
    ]  # fmt: skip
    reply = events_page(
        found,
        place="Lyon 4e Arrondissement (69004)",
        radius_km=20,
        first=1,
        more=True,
        team_room=False,
        zone=PARIS,
        language="fr",
        now=NOW,
    )
    assert reply.body.splitlines() == [
        "📍 Événements à venir à moins de 20 km de Lyon 4e Arrondissement (69004) :",
        "1. Tractage au marché — sam. 21 nov. de 10h00 à 12h00 — 2,4 km — Insoumis de la "
        "Croix-Rousse — !jyvais k3f9q2",
        "2. 🔒 Réunion d'équipe (réunion) — jeu. 26 nov. de 19h00 à 21h00 — 12 km — Insoumis de "
        "la Croix-Rousse — !jyvais m7h2x4",
        "Pour venir : !jyvais <identifiant>.",
        "Tapez !plus pour la suite.",
    ]
    assert reply.html is not None
    assert reply.html.count("<li>") == 2 and "<ol>" in reply.html
    assert "<code>!jyvais k3f9q2</code>" in reply.html
    english = events_page(
        found[:1],
        place="Lyon",
        radius_km=20,
        first=6,
        more=False,
        team_room=True,
        zone=PARIS,
        language="en",
        now=NOW,
    )
    assert english.body.splitlines() == [
        "📍 More events within 20 km of Lyon:",
        "6. Tractage au marché — Sat 21 Nov, 10:00–12:00 — 2.4 km — Insoumis de la Croix-Rousse "
        "— !going k3f9q2",
        "To come: !going <id> (for another team's event, write it to me in a private message).",
    ]
    assert english.html is not None and '<ol start="6">' in english.html


def test_empty_pages_say_what_to_do() -> None:
    nothing = events_page([], place="Gap (05000)", radius_km=5, first=1, more=False,
                          team_room=False, zone=PARIS, language="fr", now=NOW)  # fmt: skip
    assert nothing.body.splitlines()[1].startswith(
        "Aucun événement à venir à moins de 5 km de Gap (05000). Cherchez plus loin"
    )
    no_team = teams_page([], place="Gap (05000)", radius_km=5, first=1, more=False, language="en")
    assert no_team.body.splitlines()[1] == (
        "No team within 5 km of Gap (05000). Create yours with the welcome bot: !create-team."
    )


@dataclass(frozen=True)
class NearTeam:
    team: Team
    distance_km: float
    members: int


def test_a_teams_page() -> None:
    reply = teams_page(
        [NearTeam(_team(), 2.44, 12), NearTeam(_team("Solo"), 3.0, 1)],
        place="Lyon",
        radius_km=20,
        first=1,
        more=False,
        language="fr",
    )
    assert reply.body.splitlines()[1:3] == [
        "1. Insoumis de la Croix-Rousse — Lyon 4e Arrondissement — 2,4 km — 12 membres",
        "2. Solo — Lyon 4e Arrondissement — 3,0 km — 1 membre",
    ]
