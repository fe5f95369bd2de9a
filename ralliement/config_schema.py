"""Declarative schema of the configuration file, and the typed result of loading it.

Every setting is declared once, on the dataclass field that holds its value, with
:func:`setting`: its default, its check, how it is normalised, whether it is a secret,
and a short description of what a good value looks like (used in error messages).
The loader in :mod:`ralliement.config` walks these dataclasses; it knows no key by name.

Rules that involve several keys are the :data:`CROSS_CHECKS`.
"""

from __future__ import annotations

import enum
import re
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from mautrix.types import UserID

from bridge.domain.moderation.policy import USER_ID
from bridge.domain.moderation.protections import Protection
from bridge.domain.reminder_preferences import PreferenceError, parse_offsets
from ralliement.config_checks import (
    LANGUAGES,
    LOG_LEVELS,
    PICKLE_KEY_MIN_LENGTH,
    Check,
    Normalise,
    check_between,
    check_database_url,
    check_hostname,
    check_http_url,
    check_language,
    check_localpart,
    check_log_level,
    check_logger_levels,
    check_mail_sender,
    check_one_of,
    check_optional_host,
    check_optional_secret,
    check_path,
    check_pickle_key,
    check_port,
    check_registration_id,
    check_server_name,
    check_timezone,
    in_config_folder,
    lower,
    normalise_database_url,
    show_value,
    strip_trailing_slash,
    upper,
    upper_levels,
)

#: The bots Ralliement runs; each has a section ``bots.<name>``. Add new bots here.
BOT_NAMES: tuple[str, ...] = ("welcome", "agenda", "reminders", "moderation")

_SPEC = "ralliement.setting"
_SECTIONS = "ralliement.named_sections"


class _Marker(enum.Enum):
    REQUIRED = "required"


#: Default of a setting that must be written in the file.
REQUIRED = _Marker.REQUIRED


@dataclass(frozen=True)
class Spec:
    """How one setting is read from the file.

    Attributes:
        help: What a good value looks like, as a noun phrase ("a port number from 1 to
            65535"); error messages end with "set it to <help>".
        default: The value used when the key is absent, or :data:`REQUIRED`.
        check: Validation of the value, once it has the right type.
        normalise: Conversion of the checked value to the stored form.
        secret: The value is never shown in an error message.
        placeholder: Values such as "CHANGE_ME" are rejected (always true for secrets).
    """

    help: str
    default: object = REQUIRED
    check: Check | None = None
    normalise: Normalise | None = None
    secret: bool = False
    placeholder: bool = False


def setting(
    help: str,
    *,
    default: object = REQUIRED,
    check: Check | None = None,
    normalise: Normalise | None = None,
    secret: bool = False,
    placeholder: bool = False,
) -> Any:
    """Declares a dataclass field as a setting read from the configuration file."""
    spec = Spec(help, default, check, normalise, secret, placeholder or secret)
    return field(repr=not secret, metadata={_SPEC: spec})


def named_sections(names: tuple[str, ...]) -> Any:
    """Declares a ``dict[str, SomeSection]`` field filled from the sub-sections ``names``."""
    return field(metadata={_SECTIONS: names})


def spec_of(metadata: Any) -> Spec | None:
    """The :class:`Spec` of a dataclass field, from its metadata, if it is a setting."""
    spec = metadata.get(_SPEC)
    return spec if isinstance(spec, Spec) else None


def section_names_of(metadata: Any) -> tuple[str, ...] | None:
    """The sub-section names of a field declared with :func:`named_sections`."""
    names = metadata.get(_SECTIONS)
    return names if isinstance(names, tuple) else None


_LEVELS_HELP = "one of " + ", ".join(LOG_LEVELS)


def _check_optional_http_url(value: str) -> str | None:
    """Empty (use another URL instead), or an absolute http(s) URL."""
    return None if value == "" else check_http_url(value)


# --- Sections -----------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class HomeserverConfig:
    """Section ``homeserver``: the Matrix homeserver the bridge and the bots talk to."""

    address: str = setting(
        "the http(s) URL of the homeserver's client-server API, e.g. http://127.0.0.1:8008",
        check=check_http_url,
        normalise=strip_trailing_slash,
        placeholder=True,
    )
    domain: str = setting(
        "the homeserver's server_name, without scheme or slash, e.g. example.org",
        check=check_server_name,
        placeholder=True,
    )


@dataclass(frozen=True, kw_only=True)
class AppserviceConfig:
    """Section ``appservice``: the application service, and its tokens.

    ``as_token`` and ``hs_token`` are not written in the configuration file: they come
    from the registration file, or from ``RALLIEMENT_AS_TOKEN`` / ``RALLIEMENT_HS_TOKEN``.
    They are None only when the configuration was loaded without the registration.
    """

    id: str = setting(
        "a registration id made of a-z, 0-9, '_', '.' and '-', e.g. ralliement",
        check=check_registration_id,
    )
    address: str = setting(
        "the http(s) URL where the homeserver reaches the appservice, e.g. http://127.0.0.1:29330",
        check=check_http_url,
        normalise=strip_trailing_slash,
        placeholder=True,
    )
    public_url: str = setting(
        "the http(s) URL where people's calendar apps reach the appservice (usually through a "
        'reverse proxy), e.g. https://agenda.example.org, or "" to use appservice.address',
        default="",
        check=_check_optional_http_url,
        normalise=strip_trailing_slash,
    )
    hostname: str = setting(
        "the address to listen on, e.g. 127.0.0.1 or 0.0.0.0", check=check_hostname
    )
    port: int = setting("a port number from 1 to 65535, e.g. 29330", check=check_port)
    bot_localpart: str = setting(
        "a Matrix localpart made of a-z, 0-9 and . _ = - / +, e.g. ralliement",
        check=check_localpart,
    )
    user_prefix: str = setting(
        "a Matrix localpart prefix made of a-z, 0-9 and . _ = - / +, e.g. ralliement_",
        check=check_localpart,
    )
    registration: Path = setting(  # noqa: RUF009 (returns dataclasses.field)
        "the registration file's path, relative to the config folder, e.g. registration.yaml",
        default="registration.yaml",
        check=check_path,
        normalise=in_config_folder,
    )
    as_token: str | None = field(default=None, repr=False)
    hs_token: str | None = field(default=None, repr=False)


@dataclass(frozen=True, kw_only=True)
class DatabaseConfig:
    """Section ``database``."""

    url: str = setting(
        "sqlite:PATH (relative to the config folder) or postgres://user:password@host/database",
        check=check_database_url,
        normalise=normalise_database_url,
        placeholder=True,
    )


@dataclass(frozen=True, kw_only=True)
class BotConfig:
    """Section ``bots.<name>``: one bot user of the appservice."""

    enabled: bool = setting("true or false", default=True)
    localpart: str = setting(
        "the bot's Matrix localpart, starting with appservice.user_prefix, "
        "e.g. ralliement_bienvenue",
        check=check_localpart,
    )
    displayname: str = setting("the bot's display name, e.g. Ralliement", default="Ralliement")


@dataclass(frozen=True, kw_only=True)
class BotsConfig:
    """Section ``bots``: what all bots share, and one sub-section per bot."""

    store_dir: Path = setting(  # noqa: RUF009 (returns dataclasses.field)
        "a folder for the bots' E2EE stores, relative to the config folder, e.g. bots",
        check=check_path,
        normalise=in_config_folder,
    )
    pickle_key: str = setting(
        f"a random secret of at least {PICKLE_KEY_MIN_LENGTH} characters, e.g. the output "
        "of `openssl rand -hex 32`, best given as ${RALLIEMENT_PICKLE_KEY}",
        check=check_pickle_key,
        secret=True,
    )
    bots: dict[str, BotConfig] = named_sections(BOT_NAMES)  # noqa: RUF009 (returns dataclasses.field)


@dataclass(frozen=True, kw_only=True)
class CampaignConfig:
    """Section ``campaign``: the campaign's spaces and team rooms."""

    name: str = setting(
        "the campaign's name, shown on its root space, e.g. Ralliement 2027",
        default="Ralliement",
    )
    allow_knock: bool = setting(
        "true (people outside the campaign space may ask to join a team room) or false",
        default=False,
    )


@dataclass(frozen=True, kw_only=True)
class ProvisioningConfig:
    """Section ``provisioning``: the appservice's HTTP provisioning API."""

    shared_secret: str = setting(
        f"a random secret of at least {PICKLE_KEY_MIN_LENGTH} characters sent as "
        "`Authorization: Bearer <secret>`, best given as ${RALLIEMENT_PROVISIONING_SECRET}; "
        "leave it out to turn the API off",
        default="",
        check=check_optional_secret,
        secret=True,
    )


#: Values of ``mail.transport`` and ``mail.security``.
MAIL_TRANSPORTS: tuple[str, ...] = ("outbox", "smtp")
MAIL_SECURITY: tuple[str, ...] = ("starttls", "tls", "none")


@dataclass(frozen=True, kw_only=True)
class MailConfig:
    """Section ``mail``: how the verification codes are mailed."""

    from_address: str = setting(
        'the sender, e.g. "Ralliement <noreply@example.org>" (an address the SMTP server may '
        "send from)",
        default="",
        check=check_mail_sender,
    )
    transport: str = setting(
        '"smtp" (send through an SMTP server) or "outbox" (write each mail as a file in '
        "mail.outbox_dir, nothing is sent)",
        default="outbox",
        check=check_one_of(*MAIL_TRANSPORTS),
        normalise=lower,
    )
    host: str = setting(
        "the SMTP server's host name, e.g. smtp.example.org", default="", check=check_optional_host
    )
    port: int = setting(
        "the SMTP server's port: 587 with starttls, 465 with tls, 25 with none",
        default=587,
        check=check_port,
    )
    security: str = setting(
        '"starttls" (upgrade to TLS, required), "tls" (TLS from the start) or "none" '
        "(plain text, for a relay on the same machine)",
        default="starttls",
        check=check_one_of(*MAIL_SECURITY),
        normalise=lower,
    )
    username: str = setting('the SMTP login, or "" when the server needs none', default="")
    password: str = setting(
        'the SMTP password, best given as ${RALLIEMENT_SMTP_PASSWORD}; "" when there is no '
        "username",
        default="",
        secret=True,
    )
    timeout_s: int = setting(
        "a number of seconds from 1 to 300, e.g. 30", default=30, check=check_between(1, 300)
    )
    outbox_dir: Path = setting(  # noqa: RUF009 (returns dataclasses.field)
        "a folder for the mails, relative to the config folder, e.g. outbox",
        default="outbox",
        check=check_path,
        normalise=in_config_folder,
    )


@dataclass(frozen=True, kw_only=True)
class JoiningConfig:
    """Section ``joining``: who may join, and the rules of the email verification codes."""

    open: bool = setting(
        "true (anyone with a verified email may join) or false (only the supporter list)",
        default=False,
    )
    code_ttl_minutes: int = setting(
        "a number of minutes from 1 to 1440, e.g. 15", default=15, check=check_between(1, 1440)
    )
    max_attempts: int = setting(
        "a number of tries from 1 to 20, e.g. 5", default=5, check=check_between(1, 20)
    )
    codes_per_user_per_hour: int = setting(
        "a number of codes from 1 to 100, e.g. 3", default=3, check=check_between(1, 100)
    )
    codes_per_address_per_hour: int = setting(
        "a number of codes from 1 to 100, e.g. 3", default=3, check=check_between(1, 100)
    )


#: Values of ``geocoding.providers``.
GEOCODING_PROVIDERS: tuple[str, ...] = ("offline", "ban", "nominatim")
#: The public Nominatim instance, and the smallest delay between two requests its policy allows.
PUBLIC_NOMINATIM_HOST = "nominatim.openstreetmap.org"
PUBLIC_NOMINATIM_MIN_DELAY_S = 1.0


def _check_geocoding_providers(value: list[Any]) -> str | None:
    if not value:
        return "is empty"
    for name in value:
        if not isinstance(name, str) or name.lower() not in GEOCODING_PROVIDERS:
            return f"names an unknown provider {show_value(name)}"
    if len({name.lower() for name in value}) != len(value):
        return "names a provider twice"
    return None


def _lower_tuple(value: list[str], _base: Path) -> tuple[str, ...]:
    return tuple(name.lower() for name in value)


def _check_user_agent(value: str) -> str | None:
    if any(ord(c) < 32 or ord(c) == 127 for c in value):
        return "holds a line break or a control character"
    return None


def _check_delay(value: float) -> str | None:
    return None if 0 <= value <= 60 else f"is out of range (got {value:g})"


@dataclass(frozen=True, kw_only=True)
class GeocodingConfig:
    """Section ``geocoding``: how typed places and addresses are located."""

    providers: tuple[str, ...] = setting(
        "a list of providers among " + ", ".join(GEOCODING_PROVIDERS) + ", e.g. [offline, ban]",
        default=["offline"],
        check=_check_geocoding_providers,
        normalise=_lower_tuple,
    )
    ban_url: str = setting(
        "the http(s) base URL of a BAN address API, e.g. https://api-adresse.data.gouv.fr",
        default="https://api-adresse.data.gouv.fr",
        check=check_http_url,
        normalise=strip_trailing_slash,
    )
    nominatim_url: str = setting(
        "the http(s) base URL of a Nominatim instance, e.g. https://nominatim.openstreetmap.org",
        default="https://nominatim.openstreetmap.org",
        check=check_http_url,
        normalise=strip_trailing_slash,
    )
    user_agent: str = setting(
        "the User-Agent sent to the providers, naming the application and a contact, "
        'e.g. "Ralliement (https://example.org)"',
        default="Ralliement (campaign action network)",
        check=_check_user_agent,
    )
    timeout_s: int = setting(
        "a number of seconds from 1 to 60, e.g. 10", default=10, check=check_between(1, 60)
    )
    nominatim_min_delay_s: float = setting(
        "a number of seconds from 0 to 60 between two Nominatim requests, e.g. 1.0 "
        f"(at least {PUBLIC_NOMINATIM_MIN_DELAY_S:g} on {PUBLIC_NOMINATIM_HOST})",
        default=PUBLIC_NOMINATIM_MIN_DELAY_S,
        check=_check_delay,
    )


@dataclass(frozen=True, kw_only=True)
class DiscoveryConfig:
    """Section ``discovery``: searches near a place and alerts near home (the agenda bot)."""

    default_radius_km: int = setting(
        "a number of kilometres from 1 to 500, e.g. 20", default=20, check=check_between(1, 500)
    )
    max_alerts_per_day: int = setting(
        "a number of alerts from 1 to 100, e.g. 5", default=5, check=check_between(1, 100)
    )


def _check_offsets(value: str) -> str | None:
    try:
        parse_offsets(value)
    except PreferenceError:
        return f"is not a list of lengths before an event (got {show_value(value)})"
    return None


@dataclass(frozen=True, kw_only=True)
class RemindersConfig:
    """Section ``reminders``: how the reminders bot delivers reminders."""

    late_after_minutes: int = setting(
        "a number of minutes from 1 to 1440, e.g. 15", default=15, check=check_between(1, 1440)
    )
    default_offsets: str = setting(
        'lengths before an event, longest first, from 5 minutes to 14 days, e.g. "24h,1h", '
        'or "off"',
        default="24h,1h",
        check=_check_offsets,
    )
    batch: int = setting(
        "a number of reminders from 1 to 1000, e.g. 50", default=50, check=check_between(1, 1000)
    )


#: The protections of the moderation bot, each switchable globally and per room (``!protection``).
PROTECTIONS: tuple[str, ...] = tuple(protection.value for protection in Protection)


def _check_protections(value: dict[str, Any]) -> str | None:
    if not isinstance(value, dict):
        return "is not a mapping of protection names to true or false"
    for name, enabled in value.items():
        if name not in PROTECTIONS:
            known = ", ".join(PROTECTIONS)
            return f"names an unknown protection {show_value(name)} (known: {known})"
        if not isinstance(enabled, bool):
            return f"gives {name} the value {show_value(enabled)} instead of true or false"
    return None


def _all_protections(value: dict[str, bool], _base: Path) -> dict[str, bool]:
    return {name: bool(value.get(name, True)) for name in PROTECTIONS}


def _check_user_ids(value: list[Any]) -> str | None:
    if not isinstance(value, list):
        return "is not a list of Matrix user IDs"
    for user_id in value:
        if not isinstance(user_id, str) or not USER_ID.fullmatch(user_id):
            return f"holds {show_value(user_id)}, not a Matrix user ID like @alice:example.org"
    return None


def _check_patterns(value: list[Any]) -> str | None:
    if not isinstance(value, list):
        return "is not a list of words or re: patterns"
    for pattern in value:
        if not isinstance(pattern, str) or not pattern.strip():
            return f"holds {show_value(pattern)}, which is not a word or a re: pattern"
        if pattern.startswith("re:"):
            try:
                re.compile(pattern[3:])
            except re.error as error:
                return f"holds the pattern {show_value(pattern)}, which does not compile: {error}"
    return None


def _tuple(value: list[str], _base: Path) -> tuple[str, ...]:
    return tuple(value)


@dataclass(frozen=True, kw_only=True)
class ModerationConfig:
    """Section ``moderation``: the moderation bot's admin room, policy list and protections."""

    moderators: tuple[str, ...] = setting(
        "a list of Matrix user IDs invited to the admin room as moderators (power 50), "
        'e.g. ["@alice:example.org"]',
        default=[],
        check=_check_user_ids,
        normalise=_tuple,
    )
    protections: dict[str, bool] = setting(  # noqa: RUF009 (returns dataclasses.field)
        "a mapping of protection names (" + ", ".join(PROTECTIONS) + ") to true or false, "
        "e.g. {mentions: false}; unnamed protections are on",
        default={},
        check=_check_protections,
        normalise=_all_protections,
    )
    join_wave_joins: int = setting(
        "a number of joins from 2 to 1000, e.g. 10", default=10, check=check_between(2, 1000)
    )
    join_wave_seconds: int = setting(
        "a number of seconds from 5 to 3600, e.g. 60", default=60, check=check_between(5, 3600)
    )
    words: tuple[str, ...] = setting(
        "a list of forbidden words (matched whole, ignoring case and accents) or "
        'regular expressions prefixed with re:, e.g. [connard, "re:n[e3]gr[o0]"]',
        default=[],
        check=_check_patterns,
        normalise=_tuple,
    )
    strikes_before_ban: int = setting(
        "a number of strikes from 1 to 100, e.g. 3", default=3, check=check_between(1, 100)
    )
    new_member_minutes: int = setting(
        "a number of minutes from 1 to 100000 a member counts as new after joining, e.g. 1440",
        default=1440,
        check=check_between(1, 100_000),
    )
    max_mentions: int = setting(
        "a number of people one message may mention, from 1 to 1000, e.g. 8",
        default=8,
        check=check_between(1, 1000),
    )


@dataclass(frozen=True, kw_only=True)
class LocaleConfig:
    """Section ``locale``: language and time zone of the bots' messages."""

    language: str = setting(
        "one of " + ", ".join(LANGUAGES), default="fr", check=check_language, normalise=lower
    )
    timezone: str = setting(
        "an IANA time zone name, e.g. Europe/Paris", default="Europe/Paris", check=check_timezone
    )

    @property
    def zone(self) -> ZoneInfo:
        """The time zone as a :class:`zoneinfo.ZoneInfo`."""
        return ZoneInfo(self.timezone)


@dataclass(frozen=True, kw_only=True)
class LoggingConfig:
    """Section ``logging``: the root level, and per-logger overrides."""

    level: str = setting(_LEVELS_HELP, default="INFO", check=check_log_level, normalise=upper)
    loggers: dict[str, str] = setting(  # noqa: RUF009 (returns dataclasses.field)
        f"a mapping of logger name to level ({_LEVELS_HELP}), e.g. {{bridge.as: DEBUG}}",
        default={},
        check=check_logger_levels,
        normalise=upper_levels,
    )


@dataclass(frozen=True, kw_only=True)
class Config:
    """The whole configuration, validated and normalised.

    Attributes:
        path: Absolute path of the configuration file.
    """

    path: Path
    homeserver: HomeserverConfig
    appservice: AppserviceConfig
    database: DatabaseConfig
    bots: BotsConfig
    campaign: CampaignConfig
    provisioning: ProvisioningConfig
    mail: MailConfig
    joining: JoiningConfig
    geocoding: GeocodingConfig
    locale: LocaleConfig
    logging: LoggingConfig
    discovery: DiscoveryConfig
    reminders: RemindersConfig
    moderation: ModerationConfig

    def bot_user_id(self, name: str) -> UserID:
        """The Matrix user ID of a bot.

        Args:
            name: A bot name from :data:`BOT_NAMES`, e.g. "welcome".

        Raises:
            KeyError: ``name`` is not a known bot.
        """
        return UserID(f"@{self.bots.bots[name].localpart}:{self.homeserver.domain}")

    @property
    def appservice_bot_user_id(self) -> UserID:
        """The user ID of the appservice's own bot (the registration's sender_localpart)."""
        return UserID(f"@{self.appservice.bot_localpart}:{self.homeserver.domain}")


# --- Rules across keys --------------------------------------------------------------


def _prefix_not_of_sender(config: Config) -> str | None:
    prefix, sender = config.appservice.user_prefix, config.appservice.bot_localpart
    if not sender.startswith(prefix):
        return None
    return (
        f"`appservice.user_prefix` ({show_value(prefix)}) is a prefix of "
        f"`appservice.bot_localpart` ({show_value(sender)}), so the appservice bot would fall "
        f"in the bots' namespace — choose a prefix it does not start with, e.g. {sender}_"
    )


def _bots_in_namespace(config: Config) -> str | None:
    prefix = config.appservice.user_prefix
    for name, bot in config.bots.bots.items():
        if not bot.localpart.startswith(prefix):
            return (
                f"`bots.{name}.localpart` ({show_value(bot.localpart)}) must start with "
                f"`appservice.user_prefix` ({show_value(prefix)}) — rename it, "
                f"e.g. {prefix}{bot.localpart}"
            )
    return None


def _distinct_bot_users(config: Config) -> str | None:
    seen: dict[str, str] = {}
    for name, bot in config.bots.bots.items():
        if bot.localpart in seen:
            return (
                f"`bots.{name}.localpart` ({show_value(bot.localpart)}) is already used by "
                f"`bots.{seen[bot.localpart]}.localpart` — give each bot its own localpart"
            )
        seen[bot.localpart] = name
    return None


_LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "::1")


def _smtp_settings(config: Config) -> str | None:
    mail = config.mail
    if mail.transport != "smtp":
        return None
    for key in ("host", "from_address"):
        if not getattr(mail, key):
            example = "smtp.example.org" if key == "host" else '"Ralliement <noreply@example.org>"'
            return (
                f"`mail.{key}` is required when `mail.transport` is smtp — set it, "
                f"e.g. {key}: {example}"
            )
    if mail.password and not mail.username:
        return "`mail.password` is set but `mail.username` is empty — set the SMTP login too"
    if mail.username and not mail.password:
        return (
            f"`mail.username` ({show_value(mail.username)}) is set but `mail.password` is empty "
            "— set it, e.g. password: ${RALLIEMENT_SMTP_PASSWORD}"
        )
    if mail.username and mail.security == "none" and mail.host not in _LOOPBACK_HOSTS:
        return (
            f"`mail.security` is none with a login: the SMTP password would cross the network "
            f"to {show_value(mail.host)} unencrypted — set security: starttls (or tls)"
        )
    return None


def _public_nominatim_rate(config: Config) -> str | None:
    geocoding = config.geocoding
    if "nominatim" not in geocoding.providers:
        return None
    host = urllib.parse.urlsplit(geocoding.nominatim_url).hostname
    if host != PUBLIC_NOMINATIM_HOST:
        return None
    if geocoding.nominatim_min_delay_s >= PUBLIC_NOMINATIM_MIN_DELAY_S:
        return None
    return (
        f"`geocoding.nominatim_min_delay_s` ({geocoding.nominatim_min_delay_s:g}) is below the "
        f"public Nominatim's policy of one request per {PUBLIC_NOMINATIM_MIN_DELAY_S:g} s — set "
        f"it to {PUBLIC_NOMINATIM_MIN_DELAY_S:g} or more, or use a self-hosted nominatim_url"
    )


#: Rules involving several keys: each returns the whole error text, or None.
CROSS_CHECKS: tuple[Callable[[Config], str | None], ...] = (
    _prefix_not_of_sender,
    _bots_in_namespace,
    _distinct_bot_users,
    _smtp_settings,
    _public_nominatim_rate,
)
