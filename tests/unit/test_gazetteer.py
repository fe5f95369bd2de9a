"""The offline gazetteer answers about real French places, from the data shipped in the package."""

from __future__ import annotations

import pytest
from geopy.distance import geodesic
from hypothesis import given, settings
from hypothesis import strategies as st

from ralliement.geo import Gazetteer, Place, gazetteer
from ralliement.geo.names import departement_by_rule, name_key, normalise

METROPOLE = [f"{n:02d}" for n in range(1, 96) if n != 20] + ["2A", "2B"]
OVERSEAS = ["971", "972", "973", "974", "976"]
# (south, north, west, east) around each overseas département, and around metropolitan France.
BOXES = {
    "971": (15.8, 16.6, -61.9, -60.9),
    "972": (14.3, 14.9, -61.3, -60.8),
    "973": (2.0, 6.0, -54.7, -51.5),
    "974": (-21.5, -20.8, 55.2, 55.9),
    "976": (-13.1, -12.6, 44.9, 45.4),
}
METROPOLE_BOX = (41.3, 51.2, -5.2, 9.6)


@pytest.fixture(scope="module")
def g() -> Gazetteer:
    return gazetteer()


def km(place: Place, latitude: float, longitude: float) -> float:
    return float(geodesic((place.latitude, place.longitude), (latitude, longitude)).km)


def only(places: list[Place]) -> Place:
    assert len(places) == 1, places
    return places[0]


def test_the_shared_gazetteer_is_loaded_once() -> None:
    assert gazetteer() is gazetteer()


@pytest.mark.parametrize("text", ["Lyon 3e", "Lyon 3", "lyon 3ème arrondissement", "69003"])
def test_lyon_3e_is_the_arrondissement(g: Gazetteer, text: str) -> None:
    place = only(g.resolve(text))
    assert place.commune == "Lyon 3e Arrondissement"
    assert (place.insee, place.postcode, place.departement) == ("69383", "69003", "69")
    assert place.precision == "commune"
    assert km(place, 45.76, 4.85) < 3


@pytest.mark.parametrize("text", ["69003 Lyon", "Lyon 69003", "Lyon (69003)"])
def test_postcode_and_city_name_give_the_arrondissement(g: Gazetteer, text: str) -> None:
    assert only(g.resolve(text)).insee == "69383"


def test_paris_is_the_city_at_its_centre(g: Gazetteer) -> None:
    paris = only(g.by_name("Paris"))
    assert (paris.insee, paris.postcode, paris.departement) == ("75056", "75001", "75")
    assert km(paris, 48.8534, 2.3488) < 3  # Notre-Dame
    assert paris.population > 2_000_000


@pytest.mark.parametrize("text", ["Paris 11e", "Paris 11", "PARIS 11ème arr.", "75011 Paris"])
def test_paris_11e_is_the_arrondissement(g: Gazetteer, text: str) -> None:
    place = only(g.resolve(text))
    assert (place.commune, place.postcode) == ("Paris 11e Arrondissement", "75011")
    assert km(place, 48.859, 2.380) < 2  # its town hall, place Léon-Blum


def test_a_city_postcode_gives_the_arrondissement_not_the_city(g: Gazetteer) -> None:
    assert [p.commune for p in g.by_postcode("13001")] == ["Marseille 1er Arrondissement"]
    assert [p.commune for p in g.by_postcode("75116")] == ["Paris 16e Arrondissement"]


@pytest.mark.parametrize("text", ["saint etienne", "St-Étienne", "SAINT-ÉTIENNE", "st etienne"])
def test_saint_etienne_whatever_the_spelling(g: Gazetteer, text: str) -> None:
    place = only(g.resolve(text))
    assert (place.commune, place.postcode, place.departement) == ("Saint-Étienne", "42000", "42")
    assert g.departement_name(place.departement) == "Loire"


def test_upper_case_lyon_is_the_city(g: Gazetteer) -> None:
    place = only(g.resolve("LYON"))
    assert (place.commune, place.insee, place.postcode) == ("Lyon", "69123", "69001")


def test_saint_denis_is_ambiguous_until_the_departement_is_given(g: Gazetteer) -> None:
    places = g.resolve("Saint-Denis")
    assert {"93", "974"} <= {p.departement for p in places}
    assert len({p.insee for p in places}) == len(places) > 2
    populations = [p.population for p in places]
    assert populations == sorted(populations, reverse=True)
    assert only(g.resolve("Saint-Denis (93)")).postcode == "93200"
    assert only(g.resolve("Saint-Denis 974")).postcode == "97400"
    assert only(g.resolve("saint denis, 11")).departement == "11"


def test_corsica_and_overseas_postcodes(g: Gazetteer) -> None:
    ajaccio = only(g.by_postcode("20000"))
    assert (ajaccio.commune, ajaccio.departement) == ("Ajaccio", "2A")
    assert g.departement_of_postcode("20000") == "2A"
    assert g.departement_of_postcode("20200") == "2B"  # Bastia
    reunion = g.resolve("97400")
    assert [p.commune for p in reunion] == ["Saint-Denis"]
    assert reunion[0].departement == "974"
    assert g.departement_of_postcode("97400") == "974"
    assert g.departement_of_postcode("97600") == "976"


def test_departement_of_postcode_falls_back_to_the_rule(g: Gazetteer) -> None:
    assert g.by_postcode("69999") == []
    assert g.departement_of_postcode("69999") == "69"
    assert g.departement_of_postcode("98000") is None  # Monaco
    assert g.departement_of_postcode("97500") is None  # Saint-Pierre-et-Miquelon
    assert g.departement_of_postcode("7500") is None
    assert departement_by_rule("20167") == "2A"
    assert departement_by_rule("20620") == "2B"
    assert departement_by_rule("97180") == "971"


def test_departement_names(g: Gazetteer) -> None:
    assert g.departement_name("69") == "Rhône"
    assert g.departement_name("2A") == "Corse-du-Sud"
    assert g.departement_name("2a") == "Corse-du-Sud"
    assert g.departement_name("974") == "La Réunion"
    assert g.departement_name("99") is None


@pytest.mark.parametrize("text", ["Xyzzyville", "", "   ", "00000", "Xyzzyville (69)", "12"])
def test_unknown_places_give_nothing(g: Gazetteer, text: str) -> None:
    assert g.resolve(text) == []


def test_a_commune_with_several_postcodes(g: Gazetteer) -> None:
    assert only(g.by_name("Ajaccio")).postcode == "20000"  # its town hall's
    assert "Ajaccio" in [p.commune for p in g.by_postcode("20090")]
    assert {p.postcode for p in g.by_postcode("20090") if p.commune == "Ajaccio"} == {"20090"}


def test_a_postcode_of_several_communes_most_populous_first(g: Gazetteer) -> None:
    places = g.by_postcode("14400")
    assert places[0].commune == "Bayeux"
    assert len(places) > 10
    populations = [p.population for p in places]
    assert populations == sorted(populations, reverse=True)


def test_a_postcode_and_a_name_that_is_none_of_its_communes_gives_the_postcode(
    g: Gazetteer,
) -> None:
    assert [p.insee for p in g.resolve("75011 Lyon")] == ["75111"]
    assert len(g.resolve("14400 Lieu-dit inconnu")) == len(g.by_postcode("14400"))
    assert only(g.resolve("14400 Bayeux")).commune == "Bayeux"


def test_suggestions_for_misspelt_names(g: Gazetteer) -> None:
    assert "Marseille" in [p.commune for p in g.suggest("Marseile")]
    assert g.suggest("Strasbour")[0].commune == "Strasbourg"
    assert "Saint-Étienne" in [p.commune for p in g.suggest("Sant Etiene")]
    assert len(g.suggest("Marseile", limit=2)) == 2
    assert g.suggest("qqqqqqqqqqqq") == []


def test_every_departement_has_a_name_and_communes(g: Gazetteer) -> None:
    assert list(g.departements()) == sorted(METROPOLE + OVERSEAS)
    for code in METROPOLE + OVERSEAS:
        assert g.departement_name(code), code
        assert g.communes(code), code


def test_commune_count_is_the_official_one(g: Gazetteer) -> None:
    communes = g.communes()
    assert 34_800 <= len(communes) <= 35_100
    assert len({p.insee for p in communes}) == len(communes)
    assert "Lyon 3e Arrondissement" not in [p.commune for p in communes]


@pytest.mark.parametrize(("city", "count"), [("Paris", 20), ("Lyon", 9), ("Marseille", 16)])
def test_every_municipal_arrondissement(g: Gazetteer, city: str, count: int) -> None:
    departement = only(g.by_name(city)).departement
    for number in range(1, count + 1):
        place = only(g.resolve(f"{city} {number}e"))
        assert place.commune.startswith(f"{city} {number}")
        assert place.departement == departement
    assert g.resolve(f"{city} {count + 1}") == []


def test_every_commune_lies_in_its_part_of_france(g: Gazetteer) -> None:
    communes = g.communes()
    for place in communes:
        south, north, west, east = BOXES.get(place.departement, METROPOLE_BOX)
        assert south < place.latitude < north and west < place.longitude < east, place
        assert place.precision in ("commune", "postcode", "departement")
    located = sum(p.precision == "commune" for p in communes)
    assert located / len(communes) > 0.999


def test_names_are_compared_without_accents_case_or_punctuation() -> None:
    assert normalise("L'Haÿ-les-Roses") == "l hay les roses"
    assert normalise("Cœuvres-et-Valsery") == "coeuvres et valsery"
    assert normalise("  Ste-Marie ") == "sainte marie"
    assert name_key("Paris 1er Arrondissement") == name_key("paris 1") == "paris 1"
    assert name_key("Marseille 13ème") == "marseille 13"


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=40))
def test_any_text_gets_an_answer_not_an_error(text: str) -> None:
    g = gazetteer()
    for place in g.resolve(text) + g.suggest(text, limit=3):
        assert isinstance(place, Place)
    assert g.departement_of_postcode(text) in (None, *g.departements())
