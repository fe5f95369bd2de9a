"""The geocoding cache (table ``geocode_cache``) on SQLite and PostgreSQL, and the geocoder
built from the configuration.

Nothing here leaves the machine: the network providers point at local stand-ins speaking their
APIs, or at a closed loopback port to play a service that is down.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from typing import Any

import pytest
from mautrix.util.async_db import Database

from bridge.db import create_database
from ralliement.config_schema import GeocodingConfig
from ralliement.geo.geocoding import CachedGeocoder, ChainGeocoder, geocoder_from_config
from ralliement.geo.geocoding.cache import DEFAULT_TTL_S, NEGATIVE_TTL_S
from tests.support.geocoding_services import (
    ADDRESS,
    BAN_ANSWERS,
    NOMINATIM_ANSWERS,
    USER_AGENT,
    BanStandIn,
    Closing,
    NominatimStandIn,
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


# --- The cache, on both engines -----------------------------------------------------------


class Clock:
    def __init__(self) -> None:
        self.ms = 1_800_000_000_000

    def __call__(self) -> int:
        return self.ms

    def advance(self, seconds: int) -> None:
        self.ms += seconds * 1000


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[Database]:
    database = create_database(database_url)
    await database.start()
    yield database
    await database.stop()


async def rows(db: Database) -> list[dict[str, Any]]:
    records = await db.fetch("SELECT * FROM geocode_cache ORDER BY query_key")
    return [dict(record) for record in records]


async def test_a_cached_address_is_not_asked_again(
    db: Database, ban: BanStandIn, closing: Closing
) -> None:
    clock = Clock()
    geocoder = closing(CachedGeocoder(chain(ban.url), db, clock=clock))

    first = await geocoder.geocode(ADDRESS)
    again = await geocoder.geocode("  12, Rue PAUL-BERT  69003 LYON ")
    clock.advance(DEFAULT_TTL_S - 1)
    still = await geocoder.geocode(ADDRESS)

    assert len(ban.requests) == 1
    assert again == still == [first[0]]  # only the best candidate is kept
    [row] = await rows(db)
    assert row["query_key"] == "offline+ban|12 rue paul bert 69003 lyon"
    assert row["provider"] == "ban" and row["precision"] == "address"
    assert row["expires_at"] == row["created_at"] + DEFAULT_TTL_S * 1000

    clock.advance(2)
    assert await geocoder.geocode(ADDRESS) == first
    assert len(ban.requests) == 2


async def test_nothing_found_is_cached_for_a_day(
    db: Database, ban: BanStandIn, nominatim: NominatimStandIn, closing: Closing
) -> None:
    clock = Clock()
    inner = chain(ban.url, nominatim.url)
    geocoder = closing(CachedGeocoder(inner, db, clock=clock))

    assert await geocoder.geocode("1 chemin des Oubliés") == []
    assert await geocoder.geocode("1 Chemin des oubliés") == []
    assert (len(ban.requests), len(nominatim.requests)) == (1, 1)
    [row] = await rows(db)
    assert row["latitude"] is None and row["provider"] == "offline+ban+nominatim"
    assert row["expires_at"] == row["created_at"] + NEGATIVE_TTL_S * 1000

    clock.advance(NEGATIVE_TTL_S + 1)
    assert await geocoder.geocode("1 chemin des Oubliés") == []
    assert (len(ban.requests), len(nominatim.requests)) == (2, 2)


async def test_the_commune_inside_an_unknown_address_is_kept_a_day(
    db: Database, ban: BanStandIn, nominatim: NominatimStandIn, closing: Closing
) -> None:
    geocoder = closing(CachedGeocoder(chain(ban.url, nominatim.url), db))

    [first] = await geocoder.geocode("3 rue Inconnue, 69003 Lyon")
    [again] = await geocoder.geocode("3 rue inconnue 69003 Lyon")

    assert summary(first) == summary(again)
    assert summary(again) == ("offline", "commune", "Lyon 3e Arrondissement", "69003", "69")
    assert (len(ban.requests), len(nominatim.requests)) == (1, 1)
    [row] = await rows(db)
    assert row["expires_at"] == row["created_at"] + NEGATIVE_TTL_S * 1000


async def test_offline_answers_are_not_stored_and_keep_their_candidates(
    db: Database, ban: BanStandIn, closing: Closing
) -> None:
    geocoder = closing(CachedGeocoder(chain(ban.url), db))

    first = await geocoder.geocode("Saint-Denis")
    again = await geocoder.geocode("Saint-Denis")

    assert len(first) > 2 and again == first
    assert await rows(db) == [] and ban.requests == []


async def test_an_answer_found_while_a_provider_was_down_is_kept_a_day(
    db: Database, ban: BanStandIn, nominatim: NominatimStandIn, closing: Closing
) -> None:
    ban.status = 502
    geocoder = closing(CachedGeocoder(chain(ban.url, nominatim.url), db))

    [result] = await geocoder.geocode(ADDRESS)

    assert result.provider == "nominatim"
    [row] = await rows(db)
    assert row["expires_at"] == row["created_at"] + NEGATIVE_TTL_S * 1000


async def test_answers_while_every_service_is_down_are_not_stored(
    db: Database, ban: BanStandIn, closing: Closing
) -> None:
    down = closing(CachedGeocoder(chain(closed_url()), db))
    [fallback] = await down.geocode(ADDRESS)
    assert await down.geocode("1 chemin des Oubliés") == []
    assert fallback.provider == "offline" and await rows(db) == []

    # The same chain (same name) with BAN back: it is asked, and its answer kept.
    up = closing(CachedGeocoder(chain(ban.url), db))
    [best, _] = await up.geocode(ADDRESS)
    assert best.provider == "ban" and len(ban.requests) == 1
    assert len(await rows(db)) == 1


async def test_the_cache_is_per_provider_chain(
    db: Database, ban: BanStandIn, nominatim: NominatimStandIn, closing: Closing
) -> None:
    with_ban = closing(CachedGeocoder(chain(ban.url), db))
    only_nominatim = closing(CachedGeocoder(ChainGeocoder([nominatim_at(nominatim.url)]), db))

    assert (await with_ban.geocode(ADDRESS))[0].provider == "ban"
    assert (await only_nominatim.geocode(ADDRESS))[0].provider == "nominatim"
    assert [row["provider"] for row in await rows(db)] == ["nominatim", "ban"]


async def test_purge_expired(db: Database, ban: BanStandIn, closing: Closing) -> None:
    clock = Clock()
    geocoder = closing(CachedGeocoder(chain(ban.url), db, clock=clock))
    await geocoder.geocode(ADDRESS)
    await geocoder.geocode("1 chemin des Oubliés")

    clock.advance(NEGATIVE_TTL_S)
    await geocoder.purge_expired()

    assert [row["provider"] for row in await rows(db)] == ["ban"]


# --- From the configuration ---------------------------------------------------------------


async def test_the_default_configuration_is_offline_and_cached(
    db: Database, closing: Closing
) -> None:
    section = GeocodingConfig(
        providers=("offline",),
        ban_url="https://api-adresse.data.gouv.fr",
        nominatim_url="https://nominatim.openstreetmap.org",
        user_agent="Ralliement (campaign action network)",
        timeout_s=10,
        nominatim_min_delay_s=1.0,
    )
    geocoder = closing(geocoder_from_config(section, db))

    assert isinstance(geocoder, CachedGeocoder) and geocoder.name == "offline"
    [result] = await geocoder.geocode("69003")
    assert result.commune == "Lyon 3e Arrondissement"
    assert await geocoder.geocode(ADDRESS) != []  # the commune of its postcode
    assert await rows(db) == []

    configured = replace(section, providers=("offline", "ban", "nominatim"))
    chained = geocoder_from_config(configured, None)
    assert isinstance(chained, ChainGeocoder) and chained.name == "offline+ban+nominatim"
    await chained.close()


async def test_configured_ban_url_is_used(db: Database, ban: BanStandIn, closing: Closing) -> None:
    section = GeocodingConfig(
        providers=("offline", "ban"),
        ban_url=ban.url,
        nominatim_url="https://nominatim.openstreetmap.org",
        user_agent=USER_AGENT,
        timeout_s=5,
        nominatim_min_delay_s=1.0,
    )
    geocoder = closing(geocoder_from_config(section, db))

    assert summary((await geocoder.geocode(ADDRESS))[0])[:2] == ("ban", "address")
    assert len(ban.requests) == 1
