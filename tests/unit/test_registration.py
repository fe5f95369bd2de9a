"""The generated appservice registration: namespaces, tokens, file safety."""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

import pytest
import yaml

from bridge.registration import write_registration
from ralliement.config import Config, load_config

CONFIG = """
homeserver: {address: "http://127.0.0.1:8008", domain: "example.org"}
appservice:
  id: ralliement
  address: "http://127.0.0.1:29330"
  hostname: 127.0.0.1
  port: 29330
  bot_localpart: ralliement
  user_prefix: ralliement_
database: {url: "sqlite:r.db"}
bots:
  store_dir: bots
  pickle_key: a-long-enough-pickle-key
  welcome: {localpart: ralliement_bienvenue}
  agenda: {localpart: ralliement_agenda}
  reminders: {localpart: ralliement_rappels}
  moderation: {localpart: ralliement_moderation}
"""


@pytest.fixture
def config(tmp_path: Path) -> Config:
    path = tmp_path / "config.yaml"
    path.write_text(CONFIG)
    return load_config(path, require_registration=False)


def test_namespace_holds_the_bots_but_not_the_sender(config: Config, tmp_path: Path) -> None:
    registration = write_registration(config, tmp_path / "registration.yaml")
    (users,) = registration["namespaces"]["users"]
    assert users["exclusive"] is True
    pattern = re.compile(users["regex"])
    assert pattern.fullmatch("@ralliement_bienvenue:example.org")
    assert not pattern.fullmatch("@ralliement:example.org")  # the sender syncs nothing
    assert not pattern.fullmatch("@ralliement_bienvenue:exampleXorg")  # the dot is escaped
    assert registration["sender_localpart"] == "ralliement"
    assert registration["rate_limited"] is False


def test_tokens_are_kept_unless_renewed_and_the_file_is_private(
    config: Config, tmp_path: Path
) -> None:
    path = tmp_path / "registration.yaml"
    first = write_registration(config, path)
    assert first["as_token"] != first["hs_token"]
    assert len(first["as_token"]) >= 40
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    again = write_registration(config, path)
    assert (again["as_token"], again["hs_token"]) == (first["as_token"], first["hs_token"])
    renewed = write_registration(config, path, new_tokens=True)
    assert renewed["as_token"] != first["as_token"]
    assert yaml.safe_load(path.read_text())["as_token"] == renewed["as_token"]
