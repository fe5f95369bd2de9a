"""Geocoding providers and their chain: the offline gazetteer, BAN and Nominatim (local
stand-ins speaking their APIs), with fallbacks when a service fails.

Nothing here leaves the machine: the network providers point at stand-ins on loopback, or at a
closed loopback port to play a service that is down.
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import AsyncIterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ralliement.geo.geocoding import (
    BaseGeocoder,
    ChainGeocoder,
    GeocodeResult,
    Lookup,
    NominatimGeocoder,
    OfflineGeocoder,
)
from tests.support.geocoding_services import (
    ADDRESS,
    BAN_ANSWERS,
    LYON,
    NOMINATIM_ANSWERS,
    USER_AGENT,
    BanStandIn,
    Closing,
    NominatimStandIn,
    ban_at,
    ban_feature,
    chain,
    closed_url,
    nominatim_at,
    summary,
)


@pytest.fixture
async def ban() -> AsyncIterator[BanStandIn]:
    server = BanStandIn(BAN_ANSWERS)
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
async def nominatim() -> AsyncIterator[NominatimStandIn]:
    server = NominatimStandIn(NOMINATIM_ANSWERS)
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
async def closing() -> AsyncIterator[Closing]:
    registry = Closing()
    yield registry
    for geocoder in registry.opened:
        await geocoder.close()


# --- Offline: postcodes and communes never wait for the network -------------------------


async def test_a_postcode_is_answered_offline_with_every_service_down(closing: Closing) -> None:
    geocoder = closing(chain(closed_url(), closed_url()))

    [result] = await geocoder.geocode("69003")

    assert summary(result) == ("offline", "commune", "Lyon 3e Arrondissement", "69003", "69")
    assert (result.latitude, result.longitude) == (45.76029, 4.84902)
    assert result.label == "Lyon 3e Arrondissement (69003)"


@pytest.mark.parametrize("text", ["69003", " Villeurbanne ", "Saint-Denis (93)", "69003 Lyon"])
async def test_communes_and_postcodes_send_no_request(
    ban: BanStandIn, nominatim: NominatimStandIn, closing: Closing, text: str
) -> None:
    geocoder = closing(chain(ban.url, nominatim.url))

    results = await geocoder.geocode(text)

    assert results and {r.provider for r in results} == {"offline"}
    assert ban.requests == nominatim.requests == []


async def test_an_ambiguous_commune_gives_every_candidate_with_its_departement(
    closing: Closing,
) -> None:
    geocoder = closing(chain(closed_url()))

    results = await geocoder.geocode("Saint-Denis")

    assert [(r.commune, r.departement) for r in results[:2]] == [
        ("Saint-Denis", "974"),
        ("Saint-Denis", "93"),
    ]
    assert len(results) > 2


# --- BAN ----------------------------------------------------------------------------


async def test_a_street_address_goes_to_ban(
    ban: BanStandIn, nominatim: NominatimStandIn, closing: Closing
) -> None:
    geocoder = closing(chain(ban.url, nominatim.url))

    results = await geocoder.geocode(ADDRESS)

    assert [summary(r) for r in results] == [
        ("ban", "address", "Lyon", "69003", "69"),
        ("ban", "address", "Villeurbanne", "69100", "69"),
    ]
    assert (results[0].latitude, results[0].longitude) == (45.759703, 4.846612)
    assert results[0].label == "12 Rue Paul Bert 69003 Lyon"
    [request] = ban.requests
    assert request.query == {"q": ADDRESS, "limit": "5"}
    assert request.headers["User-Agent"] == USER_AGENT
    assert nominatim.requests == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("rue de la République, Lyon", ("ban", "street", "Lyon", "69002", "69")),
        ("Les Brosses, Aveize", ("ban", "street", "Aveize", "69610", "69")),
        ("Cours Napoléon, Ajaccio", ("ban", "street", "Ajaccio", "20000", "2A")),
    ],
)
async def test_ban_feature_types_give_the_precision(
    ban: BanStandIn, closing: Closing, text: str, expected: tuple[object, ...]
) -> None:
    [result] = await closing(ban_at(ban.url)).geocode(text)

    assert summary(result) == expected


async def test_ban_municipality_is_commune_precision(closing: Closing) -> None:
    server = BanStandIn(
        {
            "Lyon centre": [
                ban_feature("municipality", "Lyon", 4.835, 45.758, postcode="69001",
                            citycode="69123", city="Lyon", context=LYON, name="Lyon"),
            ]
        }
    )  # fmt: skip
    await server.start()
    try:
        [result] = await closing(ban_at(server.url)).geocode("Lyon centre")
    finally:
        await server.stop()

    assert summary(result) == ("ban", "commune", "Lyon", "69001", "69")


async def test_ban_guesses_with_a_low_score_are_not_answers(
    ban: BanStandIn, closing: Closing
) -> None:
    assert await closing(chain(ban.url)).geocode("blabla zzzz truc") == []
    assert len(ban.requests) == 1


# --- Fallbacks --------------------------------------------------------------------------


@pytest.mark.parametrize("failure", ["refused", "http 500", "http 503", "timeout"])
async def test_ban_down_then_nominatim(
    ban: BanStandIn,
    nominatim: NominatimStandIn,
    closing: Closing,
    caplog: pytest.LogCaptureFixture,
    failure: str,
) -> None:
    ban_url = closed_url() if failure == "refused" else ban.url
    if failure.startswith("http"):
        ban.status = int(failure.split()[1])
    if failure == "timeout":
        ban.delay = 1.5
    geocoder = closing(chain(ban_url, nominatim.url, timeout_s=0.3))

    results = await geocoder.geocode(ADDRESS)

    assert [summary(r) for r in results] == [("nominatim", "address", "Lyon", "69003", "69")]
    assert results[0].label == "12 Rue Paul Bert, 69003 Lyon"
    assert (results[0].latitude, results[0].longitude) == (45.7597512, 4.8466342)
    assert "Geocoding provider ban failed" in caplog.text
    assert "Paul Bert" not in caplog.text  # an address is personal data: not logged


async def test_ban_finding_nothing_then_nominatim(
    ban: BanStandIn, nominatim: NominatimStandIn, closing: Closing
) -> None:
    geocoder = closing(chain(ban.url, nominatim.url))

    [result] = await geocoder.geocode("Gare de Lyon Part-Dieu")

    assert summary(result) == ("nominatim", "location", "Lyon", "69003", "69")
    assert result.label == "Lyon Part-Dieu, 69003 Lyon"
    assert len(ban.requests) == len(nominatim.requests) == 1


async def test_both_down_gives_the_commune_of_the_postcode_in_the_text(
    closing: Closing, caplog: pytest.LogCaptureFixture
) -> None:
    geocoder = closing(chain(closed_url(), closed_url()))

    [result] = await geocoder.geocode("3 rue Inconnue, 69003 Lyon")

    assert summary(result) == ("offline", "commune", "Lyon 3e Arrondissement", "69003", "69")
    assert "provider ban failed" in caplog.text and "provider nominatim failed" in caplog.text


async def test_both_down_gives_the_commune_named_after_a_comma(closing: Closing) -> None:
    geocoder = closing(chain(closed_url(), closed_url()))

    [result] = await geocoder.geocode("Place de la Mairie, Villeurbanne")

    assert summary(result) == ("offline", "commune", "Villeurbanne", "69100", "69")


async def test_the_named_commune_of_a_shared_postcode_comes_first(closing: Closing) -> None:
    geocoder = closing(chain(closed_url()))

    results = await geocoder.geocode("1 rue du Stade, 01300 Brens")

    assert results[0].commune == "Brens" and results[0].postcode == "01300"
    assert len(results) > 1


async def test_nothing_anywhere_is_an_empty_answer_not_an_error(
    ban: BanStandIn, nominatim: NominatimStandIn, closing: Closing
) -> None:
    assert await closing(chain(ban.url, nominatim.url)).geocode("1 chemin des Oubliés") == []
    assert await closing(chain(closed_url(), closed_url())).geocode("1 chemin des Oubliés") == []


class Exploding(BaseGeocoder):
    """A provider with a bug: it raises instead of reporting a failure."""

    name = "exploding"

    async def lookup(self, text: str) -> Lookup:
        raise RuntimeError("bug")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=80))
def test_the_chain_answers_whatever_is_typed(text: str) -> None:
    geocoder = ChainGeocoder([OfflineGeocoder(), Exploding()])

    results = asyncio.run(geocoder.geocode(text))

    assert all(isinstance(result, GeocodeResult) for result in results)


# --- Nominatim ----------------------------------------------------------------------


async def test_nominatim_asks_france_with_details_and_the_user_agent(
    nominatim: NominatimStandIn, closing: Closing
) -> None:
    await closing(nominatim_at(nominatim.url)).geocode(ADDRESS)

    [request] = nominatim.requests
    assert request.query["q"] == ADDRESS
    assert request.query["format"] == "json"
    assert request.query["countrycodes"] == "fr"
    assert request.query["addressdetails"] == "1"
    assert request.query["accept-language"] == "fr"
    assert request.headers["User-Agent"] == USER_AGENT


async def test_nominatim_precisions(nominatim: NominatimStandIn, closing: Closing) -> None:
    geocoder = closing(nominatim_at(nominatim.url))

    assert await geocoder.geocode("Rhône département") == []  # a département is not a place
    [square] = await geocoder.geocode("Place du Marché, Quartier Nord")
    assert summary(square) == ("nominatim", "street", "Montpellier", "34000", "34")
    assert square.label == "Place du Marché, 34000 Montpellier"


async def test_nominatim_requests_are_spaced_by_the_rate_limiter(
    nominatim: NominatimStandIn, closing: Closing
) -> None:
    min_delay = 0.3
    geocoder = closing(nominatim_at(nominatim.url, min_delay_s=min_delay))

    await geocoder.geocode(ADDRESS)
    await geocoder.geocode("Gare de Lyon Part-Dieu")
    await asyncio.gather(*(geocoder.geocode(f"{n} rue Paul Bert, Lyon") for n in range(3)))

    times = [request.at for request in nominatim.requests]
    assert len(times) == 5
    gaps = [later - earlier for earlier, later in itertools.pairwise(times)]
    # The limiter spaces the requests' starts; the server sees them a connection set-up later.
    assert min(gaps) >= min_delay - 0.02, gaps


def test_nominatim_needs_a_user_agent_and_the_public_policy() -> None:
    with pytest.raises(ValueError, match="user_agent"):
        NominatimGeocoder(user_agent=" ")
    with pytest.raises(ValueError, match="one request per 1 s"):
        NominatimGeocoder(user_agent=USER_AGENT, min_delay_s=0.5)
    NominatimGeocoder("http://127.0.0.1:1", user_agent=USER_AGENT, min_delay_s=0.0)
