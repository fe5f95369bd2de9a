"""Loading and validating the YAML configuration file.

:func:`load_config` reads the file, checks it against the schema declared in
:mod:`ralliement.config_schema`, reads the appservice tokens from the registration file,
and returns a frozen :class:`Config`. Any problem stops with a :class:`ConfigError`
whose message is one line: the file, the key, what is wrong, and how to fix it.
"""

from __future__ import annotations

import dataclasses
import difflib
import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any, get_args, get_origin, get_type_hints

import yaml

from ralliement.config_checks import looks_like_placeholder, show_value
from ralliement.config_schema import (
    CROSS_CHECKS,
    REQUIRED,
    AppserviceConfig,
    BotConfig,
    BotsConfig,
    Config,
    DatabaseConfig,
    HomeserverConfig,
    LocaleConfig,
    LoggingConfig,
    Spec,
    section_names_of,
    spec_of,
)

__all__ = [
    "AppserviceConfig",
    "BotConfig",
    "BotsConfig",
    "Config",
    "ConfigError",
    "DatabaseConfig",
    "HomeserverConfig",
    "LocaleConfig",
    "LoggingConfig",
    "load_config",
]

AS_TOKEN_ENV = "RALLIEMENT_AS_TOKEN"
HS_TOKEN_ENV = "RALLIEMENT_HS_TOKEN"

_ENV_REFERENCE = re.compile(r"\$\{([^}]*)\}")
_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_KIND_NAMES: dict[type, str] = {
    str: "a string",
    int: "an integer",
    bool: "true or false",
    dict: "a mapping",
    list: "a list",
    float: "a number",
}


class ConfigError(Exception):
    """The configuration cannot be used; the message is one line for the operator."""

    def __init__(self, message: str) -> None:
        super().__init__(" ".join(message.split()))


def load_config(
    path: str | Path,
    *,
    require_registration: bool = True,
    environ: Mapping[str, str] | None = None,
) -> Config:
    """Reads and validates the configuration file.

    Args:
        path: The YAML configuration file.
        require_registration: Whether the registration file must exist and hold both
            tokens. ``generate-registration`` passes False: it loads the configuration
            before the file exists. The tokens are then read when available, else None.
        environ: Environment for ``${VAR}`` values and the token overrides
            (``RALLIEMENT_AS_TOKEN``, ``RALLIEMENT_HS_TOKEN``); defaults to
            :data:`os.environ`.

    Returns:
        The validated configuration, with paths made absolute.

    Raises:
        ConfigError: The file or the registration is missing, unreadable or invalid.
    """
    config_path = Path(path).expanduser().absolute()
    env = os.environ if environ is None else environ
    raw = _read_yaml(config_path)
    reader = _SectionReader(config_path, env)
    config = reader.read(Config, raw, "", {"path": config_path})
    for rule in CROSS_CHECKS:
        if problem := rule(config):
            raise ConfigError(f"{config_path}: {problem}")
    as_token, hs_token = _read_tokens(config, env, require_registration)
    appservice = dataclasses.replace(config.appservice, as_token=as_token, hs_token=hs_token)
    return dataclasses.replace(config, appservice=appservice)


# --- The file -----------------------------------------------------------------------


def _read_yaml(path: Path) -> dict[Any, Any]:
    """The top-level mapping of the configuration file."""
    try:
        data = path.read_bytes()
    except IsADirectoryError:
        raise ConfigError(
            f"{path}: is a directory, not a config file — pass the YAML file itself with -c"
        ) from None
    except FileNotFoundError:
        raise ConfigError(
            f"{path}: config file not found — copy config/example.yaml there, "
            "or pass the right path with -c"
        ) from None
    except OSError as e:
        raise ConfigError(
            f"{path}: cannot read the config file ({e.strerror or e}) — "
            "check its permissions: the user running ralliement must be able to read it"
        ) from None
    content = _parse_yaml(path, data, "config file", "fix the syntax on that line")
    if content is None:
        raise ConfigError(f"{path}: the config file is empty — start from config/example.yaml")
    if not isinstance(content, dict):
        raise ConfigError(
            f"{path}: the top level must be a mapping of sections (homeserver:, appservice:, "
            f"…), got {_kind_of(content)} — start from config/example.yaml"
        )
    return content


def _parse_yaml(path: Path, data: bytes, what: str, fix: str) -> Any:
    """Parses YAML bytes; ``what`` names the file and ``fix`` says how to repair it."""
    try:
        return yaml.safe_load(data.decode("utf-8"))
    except UnicodeDecodeError as e:
        raise ConfigError(
            f"{path}: the {what} is not UTF-8 text (byte {e.start}) — save it as UTF-8"
        ) from None
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "unknown place"
        raise ConfigError(
            f"{path}: the {what} is not valid YAML at {where} ({e.problem or e.context}) — {fix}"
        ) from None
    except (yaml.YAMLError, ValueError, RecursionError) as e:
        raise ConfigError(f"{path}: the {what} is not valid YAML ({e}) — {fix}") from None


# --- Sections and settings ----------------------------------------------------------


class _SectionReader:
    """Reads the sections of the schema from the parsed YAML, one error at a time."""

    def __init__(self, path: Path, environ: Mapping[str, str]) -> None:
        self._path = path
        self._base = path.parent
        self._environ = environ

    def _error(self, message: str) -> ConfigError:
        return ConfigError(f"{self._path}: {message}")

    def read(
        self, cls: type[Any], raw: Mapping[Any, Any], prefix: str, extra: dict[str, Any]
    ) -> Any:
        """Builds the section dataclass ``cls`` from ``raw``, found at key ``prefix``."""
        hints = get_type_hints(cls)
        fields = dataclasses.fields(cls)
        self._reject_unknown_keys(raw, prefix, _known_keys(cls))
        values = dict(extra)
        for field in fields:
            key = _dotted(prefix, field.name)
            spec = spec_of(field.metadata)
            names = section_names_of(field.metadata)
            if spec is not None:
                values[field.name] = self._setting(
                    key, raw.get(field.name), spec, hints[field.name]
                )
            elif names is not None:
                section_cls = get_args(hints[field.name])[1]
                values[field.name] = {
                    name: self._section(section_cls, raw.get(name), _dotted(prefix, name))
                    for name in names
                }
            elif dataclasses.is_dataclass(hints[field.name]):
                values[field.name] = self._section(hints[field.name], raw.get(field.name), key)
        return cls(**values)

    def _section(self, cls: type[Any], raw: object, key: str) -> Any:
        if raw is None:
            raw = {}
        if not isinstance(raw, dict):
            raise self._error(
                f"`{key}` must be a section (a mapping of keys), got {show_value(raw)} — "
                f"indent its keys under `{key.rsplit('.', 1)[-1]}:` as in config/example.yaml"
            )
        return self.read(cls, raw, key, {})

    def _reject_unknown_keys(
        self, raw: Mapping[Any, Any], prefix: str, known: tuple[str, ...]
    ) -> None:
        for name in raw:
            if name in known:
                continue
            key = _dotted(prefix, str(name))
            close = difflib.get_close_matches(str(name), known, n=1)
            elsewhere = [k for k in _all_keys(Config, "") if k.rsplit(".", 1)[-1] == name]
            if close:
                hint = f"did you mean `{_dotted(prefix, close[0])}`?"
            elif elsewhere:
                hint = f"did you mean `{elsewhere[0]}`? (it belongs in another section)"
            else:
                where = f"in `{prefix}`" if prefix else "at the top level"
                hint = f"remove it; the keys allowed {where} are {', '.join(known)}"
            raise self._error(f"unknown key `{key}` — {hint}")

    def _setting(self, key: str, raw: object, spec: Spec, hint: Any) -> Any:
        value, variable = self._substitute(key, raw)
        kind = _kind(hint)
        if value is None or (isinstance(value, str) and not value.strip()):
            if spec.default is REQUIRED:
                raise self._error(_missing(key, spec, variable))
            value = spec.default
        elif variable is not None:
            value = _from_environment_text(value, kind)
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            got = _kind_of(value) if spec.secret else show_value(value)
            raise self._error(
                f"`{key}` must be {_KIND_NAMES[kind]}, got {got} — set it to {spec.help}"
            )
        if spec.placeholder and isinstance(value, str) and looks_like_placeholder(value):
            raise self._error(f"`{key}` looks like a placeholder: set a real value ({spec.help})")
        if spec.check is not None and (problem := spec.check(value)):
            raise self._error(f"`{key}` {problem} — set it to {spec.help}")
        return spec.normalise(value, self._base) if spec.normalise else value

    def _substitute(self, key: str, raw: object) -> tuple[object, str | None]:
        """Replaces a whole-value ``${VAR}`` (also in a mapping's values) by its value.

        Returns:
            The value, and the variable's name when it came from the environment.
        """
        if isinstance(raw, dict):
            return {k: self._substitute(_dotted(key, str(k)), v)[0] for k, v in raw.items()}, None
        if not isinstance(raw, str) or "${" not in raw:
            return raw, None
        match = _ENV_REFERENCE.fullmatch(raw.strip())
        if match is None:
            raise self._error(
                f"`{key}` uses ${{…}} inside a longer value — only a whole value can come "
                f"from the environment: write `${{VAR}}` and put the full value in VAR"
            )
        variable = match.group(1)
        if not _ENV_NAME.fullmatch(variable):
            raise self._error(
                f"`{key}` refers to {show_value(variable)}, which is not an environment variable "
                "name — use letters, digits and _, e.g. ${RALLIEMENT_PICKLE_KEY}"
            )
        if variable not in self._environ:
            raise self._error(
                f"`{key}` reads environment variable {variable}, which is not set — "
                f"export {variable} before starting, or write the value in the file"
            )
        return self._environ[variable], variable


def _missing(key: str, spec: Spec, variable: str | None) -> str:
    what = "missing secret" if spec.secret else "missing required key"
    source = f" (environment variable {variable} is empty)" if variable else ""
    return f"{what} `{key}`{source} — set it to {spec.help}"


def _known_keys(cls: type[Any]) -> tuple[str, ...]:
    """The keys a section may hold, in declaration order."""
    hints = get_type_hints(cls)
    keys: list[str] = []
    for field in dataclasses.fields(cls):
        names = section_names_of(field.metadata)
        if names is not None:
            keys.extend(names)
        elif spec_of(field.metadata) is not None or dataclasses.is_dataclass(hints[field.name]):
            keys.append(field.name)
    return tuple(keys)


def _all_keys(cls: type[Any], prefix: str) -> list[str]:
    """Every dotted key of the schema below ``prefix``."""
    hints = get_type_hints(cls)
    keys: list[str] = []
    for field in dataclasses.fields(cls):
        key = _dotted(prefix, field.name)
        names = section_names_of(field.metadata)
        if spec_of(field.metadata) is not None:
            keys.append(key)
        elif names is not None:
            section_cls = get_args(hints[field.name])[1]
            for name in names:
                keys.extend(_all_keys(section_cls, _dotted(prefix, name)))
        elif dataclasses.is_dataclass(hints[field.name]):
            keys.extend(_all_keys(hints[field.name], key))
    return keys


def _kind(hint: Any) -> type:
    """The YAML type of a setting: ``Path`` is written as a string, ``dict[...]`` as a dict,
    ``tuple[...]`` as a list (its normaliser makes the tuple)."""
    if hint is Path:
        return str
    origin = get_origin(hint)
    if origin is tuple:
        return list
    return origin if isinstance(origin, type) else hint


def _from_environment_text(value: object, kind: type) -> object:
    """Environment variables are text: reads integers and booleans from it."""
    if not isinstance(value, str):
        return value
    text = value.strip().lower()
    if kind is int and re.fullmatch(r"[+-]?[0-9]+", text):
        return int(text)
    if kind is float and re.fullmatch(r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)", text):
        return float(text)
    if kind is bool and text in ("true", "yes", "on", "1", "false", "no", "off", "0"):
        return text in ("true", "yes", "on", "1")
    return value


def _dotted(prefix: str, name: str) -> str:
    return f"{prefix}.{name}" if prefix else name


def _kind_of(value: object) -> str:
    """A value's type in words, for secrets and containers (whose value is not shown)."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return f"a {type(value).__name__}"


# --- Registration and tokens --------------------------------------------------------


def _read_tokens(
    config: Config, environ: Mapping[str, str], required: bool
) -> tuple[str | None, str | None]:
    """The appservice tokens: environment overrides first, then the registration file."""
    overrides = {
        "as_token": _token_override(config, environ, AS_TOKEN_ENV),
        "hs_token": _token_override(config, environ, HS_TOKEN_ENV),
    }
    registration: Mapping[Any, Any] = {}
    if None in overrides.values():
        try:
            registration = _read_registration(config)
        except ConfigError:
            if required:
                raise
    tokens: dict[str, str | None] = {}
    for name, variable in (("as_token", AS_TOKEN_ENV), ("hs_token", HS_TOKEN_ENV)):
        token = overrides[name] or _registration_token(config, registration, name, variable)
        if token is None and required:
            raise ConfigError(
                f"{config.path}: `appservice.registration` file {config.appservice.registration} "
                f"has no `{name}` — run `ralliement generate-registration -c {config.path}` "
                f"again, or set {variable}"
            )
        tokens[name] = token
    return tokens["as_token"], tokens["hs_token"]


def _token_override(config: Config, environ: Mapping[str, str], variable: str) -> str | None:
    token = environ.get(variable, "").strip()
    if token and looks_like_placeholder(token):
        raise ConfigError(
            f"{config.path}: `appservice.registration`: environment variable {variable} "
            "looks like a placeholder: set a real value (the token from the registration "
            f"file), or unset {variable}"
        )
    return token or None


def _registration_token(
    config: Config, registration: Mapping[Any, Any], name: str, variable: str
) -> str | None:
    token = registration.get(name)
    if not isinstance(token, str) or not token.strip():
        return None
    if looks_like_placeholder(token):
        raise ConfigError(
            f"{config.path}: `appservice.registration` file {config.appservice.registration}: "
            f"`{name}` looks like a placeholder: set a real value — run "
            f"`ralliement generate-registration -c {config.path}`, or set {variable}"
        )
    return token.strip()


def _read_registration(config: Config) -> Mapping[Any, Any]:
    """The registration file's mapping; errors name ``appservice.registration``."""
    path = config.appservice.registration
    regenerate = f"run `ralliement generate-registration -c {config.path}`"
    try:
        data = path.read_bytes()
    except OSError as e:
        raise ConfigError(
            f"{config.path}: `appservice.registration` file {path} cannot be read "
            f"({e.strerror or e}) — {regenerate} to create it"
        ) from None
    content = _parse_yaml(
        config.path, data, f"`appservice.registration` file {path}", f"{regenerate} again"
    )
    if not isinstance(content, dict):
        raise ConfigError(
            f"{config.path}: `appservice.registration` file {path} is not a mapping of "
            f"registration keys (got {_kind_of(content)}) — {regenerate} again"
        )
    return content
