"""Tests of the configuration loader: what an operator sees for good and bad files."""

from __future__ import annotations

import copy
import dataclasses
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from yarl import URL

from ralliement.config import Config, ConfigError, load_config
from ralliement.config_schema import CROSS_CHECKS, BotConfig

EXAMPLE = Path(__file__).resolve().parents[2] / "config" / "example.yaml"
PICKLE_KEY = "0123456789abcdef0123456789abcdef"
ENV = {"RALLIEMENT_PICKLE_KEY": PICKLE_KEY}

VALID: dict[str, Any] = {
    "homeserver": {"address": "http://127.0.0.1:8008", "domain": "localhost"},
    "appservice": {
        "id": "ralliement",
        "address": "http://127.0.0.1:29330",
        "hostname": "127.0.0.1",
        "port": 29330,
        "bot_localpart": "ralliement",
        "user_prefix": "ralliement_",
    },
    "database": {"url": "sqlite:ralliement.db"},
    "bots": {
        "store_dir": "bots",
        "pickle_key": "${RALLIEMENT_PICKLE_KEY}",
        "welcome": {"localpart": "ralliement_bienvenue"},
        "agenda": {"localpart": "ralliement_agenda"},
        "reminders": {"localpart": "ralliement_rappels"},
        "moderation": {"localpart": "ralliement_moderation"},
    },
}

PLACEHOLDERS = ["CHANGE_ME", "changeme", "Change-Me", "<your key>", "xxx", "XXXXXXXXXXXXXXXXXXXX",
                "TODO", "todo", "...", "FIXME"]  # fmt: skip


# --- Helpers ------------------------------------------------------------------------


def changed(key: str, value: Any, data: dict[str, Any] | None = None) -> dict[str, Any]:
    """A copy of ``data`` (default VALID) with the dotted ``key`` set to ``value``."""
    result = copy.deepcopy(VALID if data is None else data)
    *sections, name = key.split(".")
    node = result
    for section in sections:
        node = node.setdefault(section, {})
    node[name] = value
    return result


def removed(key: str) -> dict[str, Any]:
    """A copy of VALID without the dotted ``key``."""
    result = copy.deepcopy(VALID)
    *sections, name = key.split(".")
    node = result
    for section in sections:
        node = node[section]
    del node[name]
    return result


def write_registration(
    folder: Path, name: str = "registration.yaml", tokens: dict[str, Any] | None = None
) -> Path:
    content: dict[str, Any] = {"id": "ralliement", "as_token": "as-token-1234"}
    content.update({"hs_token": "hs-token-5678", **(tokens or {})})
    path = folder / name
    path.write_text(yaml.safe_dump(content), encoding="utf-8")
    return path


def write_config(folder: Path, data: object) -> Path:
    path = folder / "config.yaml"
    text = data if isinstance(data, str) else yaml.safe_dump(data, allow_unicode=True)
    path.write_text(text, encoding="utf-8")
    return path


def load(
    folder: Path,
    data: object = VALID,
    *,
    environ: dict[str, str] | None = None,
    registration: bool = True,
    require_registration: bool = True,
) -> Config:
    if registration:
        write_registration(folder)
    return load_config(
        write_config(folder, data),
        environ=ENV if environ is None else environ,
        require_registration=require_registration,
    )


def assert_one_line(message: str, config_path: Path) -> None:
    assert len(message.splitlines()) == 1, message
    assert message.startswith(f"{config_path}: "), message


def error(folder: Path, data: object = VALID, **kwargs: Any) -> str:
    """The message of the ConfigError raised when loading ``data``."""
    with pytest.raises(ConfigError) as info:
        load(folder, data, **kwargs)
    message = str(info.value)
    assert_one_line(message, folder / "config.yaml")
    return message


# --- Valid files --------------------------------------------------------------------


def test_example_loads(tmp_path: Path) -> None:
    config_path = tmp_path / "config.yaml"
    shutil.copy(EXAMPLE, config_path)
    write_registration(tmp_path)

    config = load_config(config_path, environ=ENV)

    assert config.path == config_path
    assert config.homeserver.address == "http://127.0.0.1:8008"
    assert config.appservice_bot_user_id == "@ralliement:localhost"
    assert config.bot_user_id("welcome") == "@ralliement_bienvenue:localhost"
    assert config.appservice.as_token == "as-token-1234"
    assert config.appservice.hs_token == "hs-token-5678"
    assert config.appservice.registration == tmp_path / "registration.yaml"
    assert config.database.url == f"sqlite://{tmp_path}/ralliement.db"
    assert config.bots.store_dir == tmp_path / "bots"
    assert config.bots.pickle_key == PICKLE_KEY
    assert config.bots.bots["welcome"] == BotConfig(
        enabled=True, localpart="ralliement_bienvenue", displayname="Ralliement"
    )
    assert config.locale.language == "fr"
    assert str(config.locale.zone) == "Europe/Paris"
    assert config.logging.level == "INFO"
    assert config.logging.loggers == {}


def test_example_comments_every_key() -> None:
    lines = EXAMPLE.read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines):
        stripped = line.strip()
        if not stripped or stripped.startswith("#") or not line.startswith(" "):
            continue
        if stripped.endswith(":"):  # a bot's section, introduced by the comment above
            continue
        previous = next(text for text in reversed(lines[:number]) if text.strip())
        assert previous.strip().startswith("#"), f"line {number + 1} has no comment: {line}"


def test_minimal_file_gets_defaults(tmp_path: Path) -> None:
    config = load(tmp_path)

    assert config.appservice.registration == tmp_path / "registration.yaml"
    assert config.bots.bots["welcome"].enabled is True
    assert config.bots.bots["welcome"].displayname == "Ralliement"
    assert (config.locale.language, config.locale.timezone) == ("fr", "Europe/Paris")
    assert (config.logging.level, config.logging.loggers) == ("INFO", {})


def test_secrets_are_not_in_repr(tmp_path: Path) -> None:
    text = repr(load(tmp_path))

    assert PICKLE_KEY not in text
    assert "as-token-1234" not in text
    assert "hs-token-5678" not in text


def test_names_are_normalised(tmp_path: Path) -> None:
    data = changed("logging", {"level": "debug", "loggers": {"bridge.as": "warning"}})
    data = changed("locale.language", "EN", data)
    data = changed("homeserver.address", "https://matrix.example.org/", data)

    config = load(tmp_path, data)

    assert config.logging.level == "DEBUG"
    assert config.logging.loggers == {"bridge.as": "WARNING"}
    assert config.locale.language == "en"
    assert config.homeserver.address == "https://matrix.example.org"


def test_unknown_bot_name_raises_key_error(tmp_path: Path) -> None:
    with pytest.raises(KeyError):
        load(tmp_path).bot_user_id("archiviste")


# --- Paths and database URLs --------------------------------------------------------


def test_relative_paths_are_relative_to_the_config_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "etc"
    folder.mkdir()
    write_registration(folder / "..", "reg.yaml")
    data = changed("appservice.registration", "../reg.yaml")
    data = changed("bots.store_dir", "state/bots", data)
    write_config(folder, data)
    monkeypatch.chdir(tmp_path)

    config = load_config(Path("etc/config.yaml"), environ=ENV)

    assert config.path == folder / "config.yaml"
    assert config.appservice.registration == folder / ".." / "reg.yaml"
    assert config.bots.store_dir == folder / "state" / "bots"
    assert config.appservice.as_token == "as-token-1234"


def test_absolute_paths_are_kept(tmp_path: Path) -> None:
    store = tmp_path / "elsewhere" / "bots"

    config = load(tmp_path, changed("bots.store_dir", str(store)))

    assert config.bots.store_dir == store


@pytest.mark.parametrize(
    ("written", "path"),
    [
        ("sqlite:ralliement.db", "{folder}/ralliement.db"),
        ("sqlite:data/bridge.db", "{folder}/data/bridge.db"),
        ("sqlite:/var/lib/ralliement/r.db", "/var/lib/ralliement/r.db"),
        ("sqlite:///var/lib/ralliement/r.db", "/var/lib/ralliement/r.db"),
    ],
)
def test_sqlite_urls_are_normalised(tmp_path: Path, written: str, path: str) -> None:
    folder = tmp_path / "with space"
    folder.mkdir()
    expected = path.format(folder=folder)

    url = load(folder, changed("database.url", written)).database.url

    assert url.startswith("sqlite:///")
    assert URL(url).path == expected  # what mautrix's SQLite driver opens


@pytest.mark.parametrize(
    "url", ["postgres://ralliement:s3cret@db:5432/ralliement", "postgresql:///ralliement"]
)
def test_postgres_urls_are_kept(tmp_path: Path, url: str) -> None:
    assert load(tmp_path, changed("database.url", url)).database.url == url


# --- Environment and tokens ---------------------------------------------------------


def test_environment_substitution(tmp_path: Path) -> None:
    data = changed("homeserver.domain", "${HS_DOMAIN}")
    data = changed("appservice.port", "${AS_PORT}", data)
    data = changed("bots.welcome.enabled", "${WELCOME_ON}", data)
    environ = {**ENV, "HS_DOMAIN": "example.org", "AS_PORT": "8080", "WELCOME_ON": "false"}

    config = load(tmp_path, data, environ=environ)

    assert config.homeserver.domain == "example.org"
    assert config.appservice.port == 8080
    assert config.bots.bots["welcome"].enabled is False
    assert config.bots.pickle_key == PICKLE_KEY


def test_environment_overrides_tokens(tmp_path: Path) -> None:
    environ = {**ENV, "RALLIEMENT_AS_TOKEN": "env-as-token", "RALLIEMENT_HS_TOKEN": "env-hs"}

    config = load(tmp_path, environ=environ)

    assert (config.appservice.as_token, config.appservice.hs_token) == ("env-as-token", "env-hs")


def test_tokens_from_environment_need_no_registration(tmp_path: Path) -> None:
    environ = {**ENV, "RALLIEMENT_AS_TOKEN": "env-as-token", "RALLIEMENT_HS_TOKEN": "env-hs"}

    config = load(tmp_path, environ=environ, registration=False)

    assert config.appservice.hs_token == "env-hs"


def test_one_token_from_environment_the_other_from_registration(tmp_path: Path) -> None:
    config = load(tmp_path, environ={**ENV, "RALLIEMENT_HS_TOKEN": "env-hs"})

    assert (config.appservice.as_token, config.appservice.hs_token) == ("as-token-1234", "env-hs")


def test_registration_not_required(tmp_path: Path) -> None:
    config = load(tmp_path, registration=False, require_registration=False)

    assert config.appservice.as_token is None
    assert config.appservice.hs_token is None
    assert config.appservice.registration == tmp_path / "registration.yaml"


def test_registration_not_required_still_reads_existing_tokens(tmp_path: Path) -> None:
    config = load(tmp_path, require_registration=False)

    assert config.appservice.as_token == "as-token-1234"


# --- Errors: the file ---------------------------------------------------------------


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nope.yaml"
    with pytest.raises(ConfigError) as info:
        load_config(path, environ=ENV)

    assert str(info.value) == (
        f"{path}: config file not found — copy config/example.yaml there, "
        "or pass the right path with -c"
    )


def test_directory_instead_of_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as info:
        load_config(tmp_path, environ=ENV)

    message = str(info.value)
    assert message.startswith(f"{tmp_path}: is a directory, not a config file")
    assert "-c" in message


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads anything")
def test_unreadable_file(tmp_path: Path) -> None:
    path = write_config(tmp_path, VALID)
    path.chmod(0)
    with pytest.raises(ConfigError) as info:
        load_config(path, environ=ENV)

    assert "cannot read the config file (Permission denied)" in str(info.value)


def test_not_yaml_names_the_line(tmp_path: Path) -> None:
    message = error(tmp_path, "homeserver:\n  address: http://x\n   domain: localhost\n")

    assert "is not valid YAML at line 3, column" in message
    assert "fix the syntax on that line" in message


def test_not_utf8(tmp_path: Path) -> None:
    (tmp_path / "config.yaml").write_bytes(b"homeserver:\n  domain: caf\xe9\n")
    with pytest.raises(ConfigError) as info:
        load_config(tmp_path / "config.yaml", environ=ENV)

    assert "not UTF-8 text" in str(info.value)


def test_empty_file(tmp_path: Path) -> None:
    assert "the config file is empty — start from config/example.yaml" in error(tmp_path, "")


def test_top_level_not_a_mapping(tmp_path: Path) -> None:
    message = error(tmp_path, "- homeserver\n- appservice\n")

    assert "the top level must be a mapping of sections" in message
    assert "got a list" in message


# --- Errors: keys and types ---------------------------------------------------------


def test_unknown_key_suggests_the_closest(tmp_path: Path) -> None:
    data = copy.deepcopy(VALID)
    data["bots"]["welcom"] = data["bots"].pop("welcome")

    message = error(tmp_path, data)

    assert message.endswith("unknown key `bots.welcom` — did you mean `bots.welcome`?")


def test_unknown_top_level_key(tmp_path: Path) -> None:
    message = error(tmp_path, changed("homserver", {"domain": "localhost"}))

    assert message.endswith("unknown key `homserver` — did you mean `homeserver`?")


def test_unknown_key_without_close_match_lists_the_allowed_keys(tmp_path: Path) -> None:
    message = error(tmp_path, changed("locale.colour", "blue"))

    assert "unknown key `locale.colour` — remove it" in message
    assert "language, timezone" in message


def test_key_in_the_wrong_section(tmp_path: Path) -> None:
    message = error(tmp_path, changed("appservice.pickle_key", PICKLE_KEY))

    assert "unknown key `appservice.pickle_key` — did you mean `bots.pickle_key`?" in message


def test_message_stays_on_one_line(tmp_path: Path) -> None:
    message = error(tmp_path, changed("locale.two\nlines", "x"))

    assert "unknown key `locale.two lines`" in message


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        ("appservice.port", "abc", "`appservice.port` must be an integer, got 'abc'"),
        ("appservice.port", True, "`appservice.port` must be an integer, got True"),
        ("appservice.port", 80.5, "`appservice.port` must be an integer, got 80.5"),
        ("homeserver.domain", 42, "`homeserver.domain` must be a string, got 42"),
        ("bots.welcome.enabled", "maybe", "`bots.welcome.enabled` must be true or false"),
        ("logging.loggers", ["bridge.as"], "`logging.loggers` must be a mapping, got a list"),
        ("homeserver", "localhost", "`homeserver` must be a section (a mapping of keys)"),
    ],
)
def test_wrong_type(tmp_path: Path, key: str, value: Any, expected: str) -> None:
    message = error(tmp_path, changed(key, value))

    assert expected in message
    assert "— set it to" in message or "— indent its keys" in message


def test_wrong_type_of_secret_does_not_show_it(tmp_path: Path) -> None:
    message = error(tmp_path, changed("bots.pickle_key", 1234567890123456789))

    assert "`bots.pickle_key` must be a string, got a number" in message
    assert "1234567890123456789" not in message


@pytest.mark.parametrize(
    "key",
    ["homeserver.address", "homeserver.domain", "appservice.port", "database.url",
     "bots.pickle_key", "bots.welcome.localpart"],
)  # fmt: skip
def test_missing_required_key(tmp_path: Path, key: str) -> None:
    message = error(tmp_path, removed(key))

    assert f"missing required key `{key}` — set it to" in message or (
        f"missing secret `{key}` — set it to" in message
    )


def test_missing_section_names_its_first_required_key(tmp_path: Path) -> None:
    message = error(tmp_path, removed("homeserver"))

    assert "missing required key `homeserver.address` — set it to the http(s) URL" in message


def test_empty_value_of_required_key(tmp_path: Path) -> None:
    message = error(tmp_path, changed("appservice.address", ""))

    assert "missing required key `appservice.address`" in message


# --- Errors: values -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        ("homeserver.address", "ftp://x.org", "`homeserver.address` must start with http://"),
        ("homeserver.address", "http://", "`homeserver.address` is not a valid URL"),
        ("appservice.address", "http://h:99999", "`appservice.address` is not a valid URL"),
        ("homeserver.domain", "https://example.org", "without scheme or slash"),
        ("homeserver.domain", "exa mple.org", "`homeserver.domain` is not a valid server name"),
        ("appservice.id", "Ralliement!", "`appservice.id` is not a valid registration id"),
        ("appservice.port", 70000, "`appservice.port` is out of range (got 70000)"),
        ("appservice.port", 0, "`appservice.port` is out of range (got 0)"),
        ("appservice.hostname", "0.0.0.0 ", "`appservice.hostname` is not a valid listen"),
        ("appservice.bot_localpart", "Bot!", "`appservice.bot_localpart` is not a valid Matrix"),
        ("appservice.user_prefix", "é_", "`appservice.user_prefix` is not a valid Matrix"),
        ("locale.language", "de", "`locale.language` is not a supported language (got 'de')"),
        ("locale.timezone", "Mars/Olympus", "`locale.timezone` is not a known IANA time zone"),
        ("locale.timezone", "../etc/passwd", "`locale.timezone` is not a known IANA time zone"),
        ("logging.level", "LOUD", "`logging.level` is not a log level (got 'LOUD')"),
        ("logging.loggers", {"bridge.as": "LOUD"}, "gives logger 'bridge.as' the invalid level"),
        ("bots.store_dir", "a\0b", "`bots.store_dir` contains a NUL character"),
    ],
)
def test_bad_value(tmp_path: Path, key: str, value: Any, expected: str) -> None:
    message = error(tmp_path, changed(key, value))

    assert expected in message
    assert "— set it to" in message


@pytest.mark.parametrize(
    "url", ["mysql://db/ralliement", "ralliement.db", "sqlite:", "sqlite://h/x"]
)
def test_bad_database_url_names_the_accepted_forms(tmp_path: Path, url: str) -> None:
    message = error(tmp_path, changed("database.url", url))

    assert "`database.url`" in message
    assert "sqlite:PATH" in message
    assert "postgres://" in message


def test_user_prefix_must_not_prefix_the_appservice_bot(tmp_path: Path) -> None:
    data = changed("appservice.user_prefix", "ralli")
    data = changed("bots.welcome.localpart", "ralli_bienvenue", data)

    message = error(tmp_path, data)

    assert "`appservice.user_prefix` ('ralli') is a prefix of `appservice.bot_localpart`" in (
        message
    )


def test_bot_localpart_must_start_with_user_prefix(tmp_path: Path) -> None:
    message = error(tmp_path, changed("bots.welcome.localpart", "bienvenue"))

    assert message.endswith(
        "`bots.welcome.localpart` ('bienvenue') must start with `appservice.user_prefix` "
        "('ralliement_') — rename it, e.g. ralliement_bienvenue"
    )


def test_bots_need_distinct_localparts(tmp_path: Path) -> None:
    config = load(tmp_path)
    bot = config.bots.bots["welcome"]
    bots = dataclasses.replace(config.bots, bots={"welcome": bot, "agenda": bot})
    config = dataclasses.replace(config, bots=bots)

    problems = [problem for rule in CROSS_CHECKS if (problem := rule(config))]

    assert problems == [
        "`bots.agenda.localpart` ('ralliement_bienvenue') is already used by "
        "`bots.welcome.localpart` — give each bot its own localpart"
    ]


# --- Errors: secrets and placeholders -----------------------------------------------


def test_empty_pickle_key(tmp_path: Path) -> None:
    message = error(tmp_path, changed("bots.pickle_key", ""))

    assert "missing secret `bots.pickle_key` — set it to a random secret of at least 16" in (
        message
    )


def test_unset_environment_variable(tmp_path: Path) -> None:
    message = error(tmp_path, environ={})

    assert message.endswith(
        "`bots.pickle_key` reads environment variable RALLIEMENT_PICKLE_KEY, which is not set "
        "— export RALLIEMENT_PICKLE_KEY before starting, or write the value in the file"
    )


def test_empty_environment_variable(tmp_path: Path) -> None:
    message = error(tmp_path, environ={"RALLIEMENT_PICKLE_KEY": ""})

    assert "missing secret `bots.pickle_key` (environment variable RALLIEMENT_PICKLE_KEY is " in (
        message
    )


def test_environment_reference_inside_a_value(tmp_path: Path) -> None:
    message = error(tmp_path, changed("homeserver.address", "http://${HOST}:8008"))

    assert "`homeserver.address` uses ${…} inside a longer value" in message


def test_bad_environment_variable_name(tmp_path: Path) -> None:
    message = error(tmp_path, changed("homeserver.domain", "${my domain}"))

    assert "`homeserver.domain` refers to 'my domain', which is not an environment" in message


def test_short_pickle_key_is_not_shown(tmp_path: Path) -> None:
    message = error(tmp_path, environ={"RALLIEMENT_PICKLE_KEY": "s3cr3t-k3y"})

    assert "`bots.pickle_key` is too short (10 characters, at least 16 needed)" in message
    assert "s3cr3t-k3y" not in message


@pytest.mark.parametrize("value", PLACEHOLDERS)
def test_placeholder_secret(tmp_path: Path, value: str) -> None:
    message = error(tmp_path, environ={"RALLIEMENT_PICKLE_KEY": value})

    assert "`bots.pickle_key` looks like a placeholder: set a real value" in message


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("homeserver.address", "http://CHANGE_ME:8008"),
        ("homeserver.address", "<homeserver URL>"),
        ("homeserver.domain", "TODO"),
        ("homeserver.domain", "xxx"),
        ("appservice.address", "https://xxx"),
        ("database.url", "postgres://ralliement:changeme@db/ralliement"),
    ],
)
def test_placeholder_value(tmp_path: Path, key: str, value: str) -> None:
    message = error(tmp_path, changed(key, value))

    assert f"`{key}` looks like a placeholder: set a real value" in message


def test_real_values_are_not_placeholders(tmp_path: Path) -> None:
    data = changed("homeserver.domain", "todo.example.org")
    environ = {"RALLIEMENT_PICKLE_KEY": "a-perfectly-fine-passphrase"}

    assert load(tmp_path, data, environ=environ).homeserver.domain == "todo.example.org"


# --- Errors: the registration -------------------------------------------------------


def test_missing_registration(tmp_path: Path) -> None:
    config_path = tmp_path / "config.yaml"

    message = error(tmp_path, registration=False)

    assert message == (
        f"{config_path}: `appservice.registration` file {tmp_path / 'registration.yaml'} "
        "cannot be read (No such file or directory) — run "
        f"`ralliement generate-registration -c {config_path}` to create it"
    )


def test_registration_is_not_yaml(tmp_path: Path) -> None:
    write_config(tmp_path, VALID)
    (tmp_path / "registration.yaml").write_text("as_token: [oops\n", encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_config(tmp_path / "config.yaml", environ=ENV)

    message = str(info.value)
    assert_one_line(message, tmp_path / "config.yaml")
    assert "`appservice.registration` file" in message
    assert "is not valid YAML at line 2" in message
    assert "ralliement generate-registration -c" in message


@pytest.mark.parametrize("token", ["as_token", "hs_token"])
def test_registration_without_token(tmp_path: Path, token: str) -> None:
    write_config(tmp_path, VALID)
    write_registration(tmp_path, tokens={token: None})
    with pytest.raises(ConfigError) as info:
        load_config(tmp_path / "config.yaml", environ=ENV)

    message = str(info.value)
    assert_one_line(message, tmp_path / "config.yaml")
    assert f"has no `{token}` — run `ralliement generate-registration -c " in message
    assert f"or set RALLIEMENT_{token[:2].upper()}_TOKEN" in message


def test_placeholder_token_in_registration(tmp_path: Path) -> None:
    write_config(tmp_path, VALID)
    write_registration(tmp_path, tokens={"as_token": "CHANGE_ME"})
    with pytest.raises(ConfigError) as info:
        load_config(tmp_path / "config.yaml", environ=ENV)

    assert "`as_token` looks like a placeholder: set a real value" in str(info.value)


def test_placeholder_token_in_environment(tmp_path: Path) -> None:
    message = error(tmp_path, environ={**ENV, "RALLIEMENT_HS_TOKEN": "<hs token>"})

    assert "environment variable RALLIEMENT_HS_TOKEN looks like a placeholder" in message


# --- Mail and joining --------------------------------------------------------------

SMTP: dict[str, Any] = {
    "transport": "smtp",
    "from_address": "Ralliement <noreply@example.org>",
    "host": "smtp.example.org",
    "username": "ralliement",
    "password": "${RALLIEMENT_SMTP_PASSWORD}",
}
SMTP_PASSWORD = "smtp-pa55word"
SMTP_ENV = {**ENV, "RALLIEMENT_SMTP_PASSWORD": SMTP_PASSWORD}


def test_example_mails_to_the_outbox_and_joining_is_closed(tmp_path: Path) -> None:
    config_path = tmp_path / "config.yaml"
    shutil.copy(EXAMPLE, config_path)
    write_registration(tmp_path)

    config = load_config(config_path, environ=ENV)

    assert (config.mail.transport, config.mail.outbox_dir) == ("outbox", tmp_path / "outbox")
    assert (config.mail.port, config.mail.security, config.mail.timeout_s) == (587, "starttls", 30)
    assert config.joining.open is False
    assert (config.joining.code_ttl_minutes, config.joining.max_attempts) == (15, 5)
    assert config.joining.codes_per_user_per_hour == 3
    assert config.joining.codes_per_address_per_hour == 3


def test_minimal_file_mails_to_the_outbox(tmp_path: Path) -> None:
    config = load(tmp_path)

    assert config.mail.transport == "outbox"
    assert config.mail.outbox_dir == tmp_path / "outbox"
    assert config.mail.from_address == ""
    assert config.joining.open is False


def test_smtp_settings(tmp_path: Path) -> None:
    data = changed("mail", {**SMTP, "transport": "SMTP", "security": "TLS", "port": 465})
    data = changed("joining", {"open": True, "code_ttl_minutes": 10, "max_attempts": 3}, data)

    config = load(tmp_path, data, environ=SMTP_ENV)

    assert (config.mail.transport, config.mail.security, config.mail.port) == ("smtp", "tls", 465)
    assert (config.mail.host, config.mail.username) == ("smtp.example.org", "ralliement")
    assert config.mail.password == SMTP_PASSWORD
    assert SMTP_PASSWORD not in repr(config)
    assert (config.joining.open, config.joining.code_ttl_minutes) == (True, 10)
    assert config.joining.max_attempts == 3


def test_smtp_without_login(tmp_path: Path) -> None:
    mail = {**SMTP, "username": "", "password": "", "host": "127.0.0.1", "security": "none"}

    config = load(tmp_path, changed("mail", mail))

    assert (config.mail.username, config.mail.password) == ("", "")


@pytest.mark.parametrize(
    ("mail", "expected"),
    [
        ({"host": ""}, "`mail.host` is required when `mail.transport` is smtp"),
        ({"from_address": ""}, "`mail.from_address` is required when `mail.transport` is smtp"),
        ({"password": ""}, "`mail.username` ('ralliement') is set but `mail.password` is empty"),
        ({"username": ""}, "`mail.password` is set but `mail.username` is empty"),
        ({"security": "none"}, "the SMTP password would cross the network to 'smtp.example.org'"),
    ],
)
def test_smtp_needs_consistent_settings(
    tmp_path: Path, mail: dict[str, Any], expected: str
) -> None:
    message = error(tmp_path, changed("mail", {**SMTP, **mail}), environ=SMTP_ENV)

    assert expected in message
    assert SMTP_PASSWORD not in message


def test_outbox_needs_no_smtp_settings(tmp_path: Path) -> None:
    config = load(tmp_path, changed("mail", {"transport": "outbox", "outbox_dir": "mails"}))

    assert config.mail.outbox_dir == tmp_path / "mails"


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        ("mail.transport", "sendmail", "`mail.transport` is not one of outbox, smtp"),
        ("mail.security", "ssl", "`mail.security` is not one of starttls, tls, none"),
        ("mail.port", 0, "`mail.port` is out of range (got 0)"),
        ("mail.timeout_s", 0, "`mail.timeout_s` is out of range (got 0)"),
        ("mail.host", "smtp://smtp.example.org", "`mail.host` must be a bare host name"),
        ("mail.host", "smtp.example.org:587", "`mail.host` must be a bare host name"),
        ("mail.host", "smtp example", "`mail.host` is not a valid host name"),
        ("mail.from_address", "noreply", "`mail.from_address` is not a mail address"),
        ("mail.from_address", "a@b.org\nBcc: c@d.org", "holds a line break"),
        ("mail.outbox_dir", "a\0b", "`mail.outbox_dir` contains a NUL character"),
        ("joining.open", "maybe", "`joining.open` must be true or false"),
        ("joining.code_ttl_minutes", 0, "`joining.code_ttl_minutes` is out of range (got 0)"),
        ("joining.max_attempts", 21, "`joining.max_attempts` is out of range (got 21)"),
        ("joining.codes_per_user_per_hour", 0, "`joining.codes_per_user_per_hour` is out of"),
        ("joining.codes_per_address_per_hour", "3x", "must be an integer, got '3x'"),
    ],
)
def test_bad_mail_or_joining_value(tmp_path: Path, key: str, value: Any, expected: str) -> None:
    message = error(tmp_path, changed(key, value))

    assert expected in message
    assert "— set it to" in message


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1", "::1", "mail-relay.internal"])
def test_good_smtp_hosts(tmp_path: Path, host: str) -> None:
    config = load(tmp_path, changed("mail", {**SMTP, "host": host}), environ=SMTP_ENV)

    assert config.mail.host == host


def test_smtp_password_is_never_shown(tmp_path: Path) -> None:
    wrong_type = error(tmp_path, changed("mail", {**SMTP, "password": 123456789}))
    placeholder = error(tmp_path, changed("mail", {**SMTP, "password": "CHANGE_ME"}))

    assert "`mail.password` must be a string, got a number" in wrong_type
    assert "123456789" not in wrong_type
    assert "`mail.password` looks like a placeholder" in placeholder


def test_a_login_in_clear_text_is_fine_on_this_machine(tmp_path: Path) -> None:
    mail = {**SMTP, "host": "localhost", "security": "none", "port": 25}

    config = load(tmp_path, changed("mail", mail), environ=SMTP_ENV)

    assert config.mail.security == "none"


# --- Property tests -----------------------------------------------------------------

_NAMES = ["homeserver", "appservice", "database", "bots", "locale", "logging", "address",
          "domain", "id", "hostname", "port", "bot_localpart", "user_prefix", "registration",
          "url", "store_dir", "pickle_key", "welcome", "enabled", "localpart", "displayname",
          "language", "timezone", "level", "loggers", "mail", "joining", "transport", "host",
          "security", "username", "password", "from_address", "outbox_dir", "open",
          "max_attempts"]  # fmt: skip
_TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=20)
_STRINGS = _TEXT | st.sampled_from(
    ["${RALLIEMENT_PICKLE_KEY}", "${UNSET}", "${", "sqlite:", "sqlite:x.db", "http://h",
     "CHANGE_ME", "Europe/Paris", "../x", "a\0b", "~", "DEBUG", "ralliement_x", "29330",
     "smtp", "outbox", "starttls", "none", "A <a@b.org>"]
)  # fmt: skip
_SCALARS = st.none() | st.booleans() | st.integers() | st.floats() | _STRINGS
_KEYS = st.sampled_from(_NAMES) | _TEXT | st.integers()
_TREES = st.recursive(
    _SCALARS,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(_KEYS, children, max_size=5),
    max_leaves=20,
)


def _load_never_crashes(text: str) -> None:
    """Loads ``text`` as a config file: it either loads or fails with a one-line error."""
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        write_registration(folder)
        path = write_config(folder, text)
        try:
            load_config(path, environ=ENV)
        except ConfigError as e:
            assert_one_line(str(e), path)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(_KEYS, _TREES, max_size=8))
def test_random_mappings_only_raise_config_error(data: dict[Any, Any]) -> None:
    _load_never_crashes(yaml.safe_dump(data, allow_unicode=True))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_mutated_valid_files_only_raise_config_error(data: st.DataObject) -> None:
    config = copy.deepcopy(VALID)
    for _ in range(data.draw(st.integers(1, 3))):
        path = data.draw(st.lists(st.sampled_from(_NAMES), min_size=1, max_size=3))
        node = config
        for name in path[:-1]:
            child = node.get(name)
            if not isinstance(child, dict):
                child = node[name] = {}
            node = child
        if data.draw(st.booleans()):
            node.pop(path[-1], None)
        else:
            node[path[-1]] = data.draw(_TREES)
    _load_never_crashes(yaml.safe_dump(config, allow_unicode=True))


@settings(max_examples=150, deadline=None)
@given(st.text(st.characters(exclude_categories=["Cs"]), max_size=200))
def test_random_text_only_raises_config_error(text: str) -> None:
    _load_never_crashes(text)
