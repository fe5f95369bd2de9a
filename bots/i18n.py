"""Every sentence a bot says, in French (default) and English, looked up by key; and how names,
dates and times are written. The sentences live in :mod:`bots.wording`, one module per subject.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from types import MappingProxyType
from typing import Any
from zoneinfo import ZoneInfo

from bridge.domain.roles import Role

from .wording import (
    discovery,
    events,
    general,
    joining,
    moderation,
    protections,
    reminders,
    supporters,
    teams,
    verification,
    when,
)

Language = str  # "fr" | "en"
DEFAULT_LANGUAGE: Language = "fr"


def merge_wording(*parts: Mapping[str, dict[Language, str]]) -> dict[str, dict[Language, str]]:
    """One table from the subjects' tables; a key defined twice is a mistake, caught at import."""
    merged: dict[str, dict[Language, str]] = {}
    for part in parts:
        twice = merged.keys() & part.keys()
        if twice:
            raise ValueError(f"wording defined twice: {sorted(twice)}")
        merged.update(part)
    return merged


MESSAGES: dict[str, dict[Language, str]] = merge_wording(
    general.MESSAGES,
    teams.MESSAGES,
    when.MESSAGES,
    events.MESSAGES,
    verification.MESSAGES,
    joining.MESSAGES,
    supporters.MESSAGES,
    discovery.MESSAGES,
    reminders.MESSAGES,
    moderation.MESSAGES,
    protections.MESSAGES,
)

#: How each role is written, singular and plural.
ROLE_NAMES: Mapping[Role, Mapping[Language, tuple[str, str]]] = MappingProxyType(
    {
        Role.MEMBER: {"fr": ("membre", "Membres"), "en": ("member", "Members")},
        Role.MANAGER: {"fr": ("gestionnaire", "Gestionnaires"), "en": ("manager", "Managers")},
        Role.REFERENT: {"fr": ("référent", "Référents"), "en": ("referent", "Referents")},
    }
)

#: The words accepted for each role in commands, compared without case or accents.
ROLE_WORDS: Mapping[Role, tuple[str, ...]] = MappingProxyType(
    {
        Role.MEMBER: ("membre", "member"),
        Role.MANAGER: ("gestionnaire", "manager"),
        Role.REFERENT: ("référent", "référente", "referent", "animateur", "animatrice"),
    }
)

#: How each kind of team is written (the values of ``bridge.db.teams.TeamKind``).
KIND_NAMES: Mapping[str, Mapping[Language, str]] = MappingProxyType(
    {
        "local": {"fr": "équipe locale", "en": "local team"},
        "thematic": {"fr": "équipe thématique", "en": "thematic team"},
    }
)

_WEEKDAYS: Mapping[Language, tuple[str, ...]] = MappingProxyType(
    {
        "fr": ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"),
        "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
    }
)

_MONTHS: Mapping[Language, tuple[str, ...]] = MappingProxyType(
    {
        "fr": (
            "janvier",
            "février",
            "mars",
            "avril",
            "mai",
            "juin",
            "juillet",
            "août",
            "septembre",
            "octobre",
            "novembre",
            "décembre",
        ),
        "en": (
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ),
    }
)


def translate(key: str, language: Language = DEFAULT_LANGUAGE, **values: Any) -> str:
    """The sentence ``key`` in ``language`` (French when that language lacks it)."""
    variants = MESSAGES[key]
    template = variants.get(language) or variants[DEFAULT_LANGUAGE]
    return template.format(**values)


def role_name(role: Role, language: Language = DEFAULT_LANGUAGE, *, plural: bool = False) -> str:
    """``Role.MANAGER`` → "gestionnaire" (or "Gestionnaires" with ``plural``)."""
    names = ROLE_NAMES[role]
    singular, plural_name = names.get(language) or names[DEFAULT_LANGUAGE]
    return plural_name if plural else singular


def kind_name(kind: str, language: Language = DEFAULT_LANGUAGE) -> str:
    """A kind of team in words: "local" → "équipe locale"."""
    names = KIND_NAMES.get(kind)
    if names is None:
        return kind
    return names.get(language) or names[DEFAULT_LANGUAGE]


def format_date(timestamp_ms: int, zone: ZoneInfo, language: Language = DEFAULT_LANGUAGE) -> str:
    """A day as people write it, in ``zone``: "1er mars 2026", "1 March 2026"."""
    day = datetime.fromtimestamp(timestamp_ms / 1000, zone)
    months = _MONTHS.get(language) or _MONTHS[DEFAULT_LANGUAGE]
    return f"{_day(day, language)} {months[day.month - 1]} {day.year}"


def _day(moment: datetime, language: Language) -> str:
    """The day of the month: "1er" in French for the first."""
    return "1er" if moment.day == 1 and language != "en" else str(moment.day)


def _clock(moment: datetime, language: Language) -> str:
    return f"{moment:%H:%M}" if language == "en" else f"{moment.hour}h{moment.minute:02d}"


def format_time_range(
    start_ms: int, end_ms: int, zone: ZoneInfo, language: Language = DEFAULT_LANGUAGE
) -> str:
    """When something happens, in ``zone``: "samedi 21 novembre, 10h00 – 12h00",
    "Saturday 21 November, 10:00 – 12:00" (the end's day is written when it differs)."""
    start = datetime.fromtimestamp(start_ms / 1000, zone)
    end = datetime.fromtimestamp(end_ms / 1000, zone)
    weekdays = _WEEKDAYS.get(language) or _WEEKDAYS[DEFAULT_LANGUAGE]
    months = _MONTHS.get(language) or _MONTHS[DEFAULT_LANGUAGE]
    date = f"{weekdays[start.weekday()]} {_day(start, language)} {months[start.month - 1]}"
    if start.date() == end.date():
        return f"{date}, {_clock(start, language)} – {_clock(end, language)}"
    end_day = f"{_day(end, language)} {months[end.month - 1]}"
    return f"{date}, {_clock(start, language)} – {end_day}, {_clock(end, language)}"


#: How each kind of event is written (the values of ``bridge.db.events.EventKind``).
EVENT_KIND_NAMES: Mapping[str, Mapping[Language, str]] = MappingProxyType(
    {
        "action": {"fr": "action", "en": "action"},
        "meeting": {"fr": "réunion", "en": "meeting"},
        "online": {"fr": "en ligne", "en": "online"},
    }
)

_SHORT_WEEKDAYS: Mapping[Language, tuple[str, ...]] = MappingProxyType(
    {
        "fr": ("lun.", "mar.", "mer.", "jeu.", "ven.", "sam.", "dim."),
        "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
    }
)
_SHORT_MONTHS: Mapping[Language, tuple[str, ...]] = MappingProxyType(
    {
        "fr": (
            "janv.",
            "févr.",
            "mars",
            "avr.",
            "mai",
            "juin",
            "juil.",
            "août",
            "sept.",
            "oct.",
            "nov.",
            "déc.",
        ),
        "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
    }
)


def translate_count(
    key: str, count: int, language: Language = DEFAULT_LANGUAGE, **values: Any
) -> str:
    """The sentence ``key.zero``, ``key.one`` or ``key.many`` for ``count`` (a missing
    ``.zero`` falls back to ``.many``), with ``count`` among its values."""
    suffix = "zero" if count == 0 else "one" if count == 1 else "many"
    if f"{key}.{suffix}" not in MESSAGES:
        suffix = "many"
    return translate(f"{key}.{suffix}", language, count=count, **values)


def _short_day(moment: datetime, language: Language, this_year: int | None) -> str:
    weekdays = _SHORT_WEEKDAYS.get(language) or _SHORT_WEEKDAYS[DEFAULT_LANGUAGE]
    months = _SHORT_MONTHS.get(language) or _SHORT_MONTHS[DEFAULT_LANGUAGE]
    number = "1er" if moment.day == 1 and language != "en" else str(moment.day)
    year = "" if moment.year == this_year else f" {moment.year}"
    return f"{weekdays[moment.weekday()]} {number} {months[moment.month - 1]}{year}"


def _short_clock(moment: datetime, language: Language) -> str:
    return f"{moment:%H:%M}" if language == "en" else f"{moment.hour}h{moment.minute:02d}"


def format_moment(
    start_ms: int,
    end_ms: int | None,
    zone: ZoneInfo,
    language: Language = DEFAULT_LANGUAGE,
    *,
    this_year: int | None = None,
) -> str:
    """When an event happens, short, in ``zone``: "sam. 21 nov. à 10h00", "sam. 21 nov. de
    10h00 à 12h00", "Sat 21 Nov, 10:00–12:00"; the year is written unless it is ``this_year``."""
    start = datetime.fromtimestamp(start_ms / 1000, zone)
    day, clock = _short_day(start, language, this_year), _short_clock(start, language)
    english = language == "en"
    if end_ms is None:
        return f"{day}, {clock}" if english else f"{day} à {clock}"
    end = datetime.fromtimestamp(end_ms / 1000, zone)
    until = _short_clock(end, language)
    if end.date() == start.date():
        return f"{day}, {clock}–{until}" if english else f"{day} de {clock} à {until}"
    end_day = _short_day(end, language, this_year)
    if english:
        return f"{day}, {clock} – {end_day}, {until}"
    return f"du {day} à {clock} au {end_day} à {until}"


def event_kind_name(kind: str, language: Language = DEFAULT_LANGUAGE) -> str:
    """A kind of event in words: "meeting" → "réunion"."""
    names = EVENT_KIND_NAMES.get(kind)
    if names is None:
        return kind
    return names.get(language) or names[DEFAULT_LANGUAGE]
