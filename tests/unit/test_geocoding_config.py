"""The ``geocoding`` section of the configuration: defaults, lists, numbers, and the public
Nominatim's policy."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from ralliement.config import load_config
from tests.unit.test_config import ENV, EXAMPLE, changed, error, load, write_registration


def test_example_and_minimal_file_need_no_network(tmp_path: Path) -> None:
    config_path = tmp_path / "config.yaml"
    shutil.copy(EXAMPLE, config_path)
    write_registration(tmp_path)
    example = load_config(config_path, environ=ENV).geocoding
    minimal = load(tmp_path).geocoding

    assert example == minimal
    assert minimal.providers == ("offline",)
    assert minimal.ban_url == "https://api-adresse.data.gouv.fr"
    assert minimal.nominatim_url == "https://nominatim.openstreetmap.org"
    assert minimal.user_agent == "Ralliement (campaign action network)"
    assert (minimal.timeout_s, minimal.nominatim_min_delay_s) == (10, 1.0)


def test_providers_urls_and_numbers(tmp_path: Path) -> None:
    data = changed("geocoding.providers", ["Offline", "BAN", "nominatim"])
    data = changed("geocoding.ban_url", "https://data.geopf.fr/geocodage/", data)
    data = changed("geocoding.nominatim_url", "http://127.0.0.1:8080", data)
    data = changed("geocoding.nominatim_min_delay_s", 0, data)
    data = changed("geocoding.timeout_s", 3, data)

    geocoding = load(tmp_path, data).geocoding

    assert geocoding.providers == ("offline", "ban", "nominatim")
    assert geocoding.ban_url == "https://data.geopf.fr/geocodage"
    assert geocoding.nominatim_min_delay_s == 0.0
    assert isinstance(geocoding.nominatim_min_delay_s, float)
    assert geocoding.timeout_s == 3


def test_delay_from_the_environment(tmp_path: Path) -> None:
    data = changed("geocoding.nominatim_min_delay_s", "${DELAY}")
    data = changed("geocoding.nominatim_url", "http://127.0.0.1:8080", data)

    geocoding = load(tmp_path, data, environ={**ENV, "DELAY": "0.25"}).geocoding

    assert geocoding.nominatim_min_delay_s == 0.25


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        ("geocoding.providers", "ban", "`geocoding.providers` must be a list, got 'ban'"),
        ("geocoding.providers", [], "`geocoding.providers` is empty"),
        ("geocoding.providers", ["ban", "google"], "names an unknown provider 'google'"),
        ("geocoding.providers", ["ban", "BAN"], "names a provider twice"),
        ("geocoding.ban_url", "api-adresse.data.gouv.fr", "must start with http:// or https://"),
        ("geocoding.timeout_s", 0, "`geocoding.timeout_s` is out of range (got 0)"),
        ("geocoding.nominatim_min_delay_s", "fast", "must be a number, got 'fast'"),
        ("geocoding.nominatim_min_delay_s", -1, "is out of range (got -1)"),
        ("geocoding.user_agent", "a\nb", "holds a line break"),
        ("geocoding.provider", ["ban"], "did you mean `geocoding.providers`?"),
    ],
)
def test_bad_geocoding_value(tmp_path: Path, key: str, value: Any, expected: str) -> None:
    message = error(tmp_path, changed(key, value))
    assert expected in message
    assert "— set it to" in message or "did you mean" in message


def test_public_nominatim_needs_one_second(tmp_path: Path) -> None:
    data = changed("geocoding.providers", ["offline", "nominatim"])
    data = changed("geocoding.nominatim_min_delay_s", 0.5, data)

    message = error(tmp_path, data)

    assert "`geocoding.nominatim_min_delay_s` (0.5) is below the public Nominatim's" in message
    # Not used, or self-hosted: any delay.
    load(tmp_path, changed("geocoding.nominatim_min_delay_s", 0.5))
    load(tmp_path, changed("geocoding.nominatim_url", "https://osm.example.org", data))
