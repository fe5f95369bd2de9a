"""Checks and normalisers of configuration values, used by :mod:`ralliement.config_schema`.

A check receives a value of the right type and returns what is wrong with it, phrased
to follow "`key` " in an error message, or None. A normaliser receives a checked value
and the configuration file's folder, and returns the value to store.
"""

from __future__ import annotations

import email.utils
import ipaddress
import re
import urllib.parse
from collections.abc import Callable
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

LANGUAGES: tuple[str, ...] = ("fr", "en")
LOG_LEVELS: tuple[str, ...] = ("DEBUG", "INFO", "WARNING", "ERROR")
PICKLE_KEY_MIN_LENGTH = 16

Check = Callable[[Any], "str | None"]
"""Returns what is wrong with a value (to follow "`key` "), or None when it is fine."""

Normalise = Callable[[Any, Path], Any]
"""Turns a checked value into its final form; receives the config file's folder."""


# --- Placeholders -------------------------------------------------------------------

_PLACEHOLDER_ANYWHERE = re.compile(r"<[^<>]*>|change[ _-]?me|replace[ _-]?me", re.IGNORECASE)
_PLACEHOLDER_WORD = re.compile(r"x{3,}|\.{3,}|…|todo|fixme|tbd", re.IGNORECASE)
_URL_DELIMITERS = re.compile(r"[:/@?#]+")


def looks_like_placeholder(value: str) -> bool:
    """Whether a value is a template placeholder such as "CHANGE_ME", "<token>" or "xxx".

    The value is also split at URL delimiters, so "http://xxx:8008" and
    "postgres://user:CHANGE_ME@host/db" count as placeholders too.
    """
    if _PLACEHOLDER_ANYWHERE.search(value):
        return True
    parts = [value, *_URL_DELIMITERS.split(value)]
    return any(_PLACEHOLDER_WORD.fullmatch(part.strip()) for part in parts)


# --- Checks and normalisers ---------------------------------------------------------


def show_value(value: object) -> str:
    """A value as error messages show it: short, quoted, containers only named."""
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def check_http_url(value: str) -> str | None:
    """An absolute http:// or https:// URL with a host."""
    try:
        parts = urllib.parse.urlsplit(value)
        _ = parts.port
    except ValueError:
        return f"is not a valid URL (got {show_value(value)})"
    if parts.scheme not in ("http", "https"):
        return f"must start with http:// or https:// (got {show_value(value)})"
    if not parts.hostname or any(c.isspace() for c in value):
        return f"is not a valid URL (got {show_value(value)})"
    return None


def strip_trailing_slash(value: str, _base: Path) -> str:
    """Normalises a base URL so that paths can be appended to it."""
    return value.rstrip("/")


_SERVER_NAME = re.compile(r"(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(:[0-9]{1,5})?")


def check_server_name(value: str) -> str | None:
    """A Matrix server name: a host with an optional port, no scheme, no path."""
    if "://" in value or "/" in value:
        return f"must be a bare server name without scheme or slash (got {show_value(value)})"
    if not _SERVER_NAME.fullmatch(value):
        return f"is not a valid server name (got {show_value(value)})"
    return None


def _check_pattern(pattern: str, what: str) -> Check:
    compiled = re.compile(pattern)

    def check(value: str) -> str | None:
        if compiled.fullmatch(value):
            return None
        return f"is not {what} (got {show_value(value)})"

    return check


check_registration_id = _check_pattern(r"[a-z0-9_.-]+", "a valid registration id")
check_localpart = _check_pattern(r"[a-z0-9._=/+-]+", "a valid Matrix localpart")
check_hostname = _check_pattern(r"[A-Za-z0-9.:_\[\]-]+", "a valid listen address")


def check_port(value: int) -> str | None:
    """A TCP port number."""
    return None if 1 <= value <= 65535 else f"is out of range (got {value})"


def check_path(value: str) -> str | None:
    """Text usable as a file system path."""
    return "contains a NUL character" if "\0" in value else None


def in_config_folder(value: str, base: Path) -> Path:
    """Resolves a path written in the file: relative paths are relative to its folder."""
    return base / Path(value).expanduser()


_POSTGRES_PREFIXES = ("postgres://", "postgresql://")


def check_database_url(value: str) -> str | None:
    """``sqlite:PATH`` / ``sqlite:///ABS_PATH``, or a ``postgres(ql)://`` URL."""
    if value.startswith(_POSTGRES_PREFIXES):
        return None
    if value.startswith("sqlite:"):
        path = value.removeprefix("sqlite:")
        if path.startswith("//") and not path.startswith("///"):
            return "has a host after sqlite:// (use sqlite:PATH or sqlite:///ABSOLUTE_PATH)"
        if not path.strip("/"):
            return "has no file path after sqlite:"
        return check_path(path)
    if ":" not in value:
        return "is not a database URL (it has no scheme)"
    return f"is not a supported database URL (scheme {show_value(value.split(':', 1)[0])})"


def normalise_database_url(value: str, base: Path) -> str:
    """Gives SQLite URLs mautrix's form ``sqlite:///ABSOLUTE_PATH``; keeps others."""
    if not value.startswith("sqlite:") or value.startswith("sqlite:///"):
        return value
    path = in_config_folder(value.removeprefix("sqlite:"), base)
    return "sqlite://" + urllib.parse.quote(path.as_posix(), safe="/")


def check_pickle_key(value: str) -> str | None:
    """A secret long enough to protect the crypto stores (never echoed)."""
    if len(value) >= PICKLE_KEY_MIN_LENGTH:
        return None
    return f"is too short ({len(value)} characters, at least {PICKLE_KEY_MIN_LENGTH} needed)"


def check_optional_secret(value: str) -> str | None:
    """Empty (the feature is off), or a secret as long as :func:`check_pickle_key` asks."""
    return None if value == "" else check_pickle_key(value)


def check_language(value: str) -> str | None:
    """One of :data:`LANGUAGES`, in any case."""
    return (
        None
        if value.lower() in LANGUAGES
        else f"is not a supported language (got {show_value(value)})"
    )


def lower(value: str, _base: Path) -> str:
    """Normalises a case-insensitive name to lower case."""
    return value.lower()


_ZONE_NAME = re.compile(r"[A-Za-z0-9_+-]+(/[A-Za-z0-9_+-]+)*")


def check_timezone(value: str) -> str | None:
    """An IANA time zone known to :mod:`zoneinfo`."""
    problem = f"is not a known IANA time zone (got {show_value(value)})"
    if not _ZONE_NAME.fullmatch(value):
        return problem
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return problem
    return None


def check_log_level(value: str) -> str | None:
    """One of :data:`LOG_LEVELS`, in any case."""
    return None if value.upper() in LOG_LEVELS else f"is not a log level (got {show_value(value)})"


def upper(value: str, _base: Path) -> str:
    """Normalises a log level to upper case."""
    return value.upper()


def check_logger_levels(value: dict[Any, Any]) -> str | None:
    """A mapping of logger names to log levels."""
    for name, level in value.items():
        if not isinstance(name, str) or not name:
            return f"has an invalid logger name {show_value(name)}"
        if not isinstance(level, str) or level.upper() not in LOG_LEVELS:
            return f"gives logger {show_value(name)} the invalid level {show_value(level)}"
    return None


def upper_levels(value: dict[str, str], _base: Path) -> dict[str, str]:
    """Normalises the levels of a logger mapping to upper case."""
    return {name: level.upper() for name, level in value.items()}


def check_one_of(*choices: str) -> Check:
    """One of ``choices``, in any case (normalise with :func:`lower`)."""

    def check(value: str) -> str | None:
        if value.lower() in choices:
            return None
        return f"is not one of {', '.join(choices)} (got {show_value(value)})"

    return check


def check_between(low: int, high: int) -> Check:
    """An integer from ``low`` to ``high``."""

    def check(value: int) -> str | None:
        return None if low <= value <= high else f"is out of range (got {value})"

    return check


_MAILBOX = re.compile(r"[^\s@<>()\[\],;:\"\\]+@[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?")


def check_mail_sender(value: str) -> str | None:
    """Empty (a default is made), or "Name <address>" / a bare address, on one line."""
    if value == "":
        return None
    if any(ord(c) < 32 or ord(c) == 127 for c in value):
        return "holds a line break or a control character"
    _name, address = email.utils.parseaddr(value)
    if not address or not _MAILBOX.fullmatch(address):
        return f"is not a mail address (got {show_value(value)})"
    return None


_HOST = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?")


def check_optional_host(value: str) -> str | None:
    """Empty (not used), or a host name or IP address, without scheme or port."""
    if value == "" or _HOST.fullmatch(value):
        return None
    try:
        ipaddress.ip_address(value)
    except ValueError:
        pass
    else:
        return None
    if "://" in value or ":" in value:
        return f"must be a bare host name, without scheme or port (got {show_value(value)})"
    return f"is not a valid host name (got {show_value(value)})"
