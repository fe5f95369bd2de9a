"""The ``reminders`` section and the reminders bot's section of the configuration."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from bots.runtime import build_reminders
from tests.unit.test_config import changed, error, load


def test_the_defaults(tmp_path: Path) -> None:
    config = load(tmp_path)
    section = config.reminders
    assert (section.late_after_minutes, section.default_offsets, section.batch) == (
        15,
        "24h,1h",
        50,
    )
    assert config.bot_user_id("reminders") == "@ralliement_rappels:localhost"


def test_the_settings_reach_the_bot(tmp_path: Path) -> None:
    data = changed("reminders", {"late_after_minutes": 5, "default_offsets": "2h", "batch": 20})
    config = load(tmp_path, data)
    services = build_reminders(config, db=None)  # type: ignore[arg-type]
    assert services.settings.late_after == timedelta(minutes=5)
    assert services.settings.batch == 20
    assert services.preferences.default_offsets == (timedelta(hours=2),)


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        ("reminders.late_after_minutes", 0, "`reminders.late_after_minutes`"),
        ("reminders.batch", 5000, "`reminders.batch`"),
        ("reminders.default_offsets", "bientôt", "`reminders.default_offsets`"),
        ("reminders.default_offsets", "30 jours", "`reminders.default_offsets`"),
    ],
)
def test_bad_values_name_their_key(tmp_path: Path, key: str, value: object, expected: str) -> None:
    message = error(tmp_path, changed(key, value))
    assert expected in message and "set it to" in message


def test_the_reminders_bot_needs_its_localpart(tmp_path: Path) -> None:
    data = changed("bots.reminders", {"enabled": True})
    assert "`bots.reminders.localpart`" in error(tmp_path, data)
