"""The fields ``!modifier`` changes, and how their new values are read. Pure parsers.

``!modifier <id> <champ> <valeur>``: the field is named in French or English (:data:`FIELD_WORDS`,
case and accents ignored, a colon or ``=`` after it allowed). A new date keeps the event's
duration (a range sets both ends) and a day without a time keeps its time of day; a new end is
read from the start ("fin 13h" is the first 13:00 after it); a duration ("durée 1h30") sets the
end too.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from types import MappingProxyType
from zoneinfo import ZoneInfo

from ralliement.when import localize, parse_duration, parse_when

from .arguments import ArgumentError, fold
from .event_arguments import ID_MISSING, RECURRING, parse_event_id, read_start
from .event_options import clean_word

EDIT_MISSING = "event.edit.missing"
UNKNOWN_FIELD = "event.edit.unknown_field"
MISSING_VALUE = "event.edit.missing_value"


class Field(StrEnum):
    TITLE = "title"
    START = "start"
    END = "end"
    DURATION = "duration"
    PLACE = "place"
    DESCRIPTION = "description"
    CAPACITY = "capacity"
    VISIBILITY = "visibility"
    KIND = "kind"


#: The words naming each field in ``!modifier``, compared without case or accents.
FIELD_WORDS: Mapping[Field, tuple[str, ...]] = MappingProxyType(
    {
        Field.TITLE: ("titre", "title", "nom", "name"),
        Field.START: ("date", "quand", "when", "debut", "start", "horaire", "heure", "time"),
        Field.END: ("fin", "end", "jusqua", "until"),
        Field.DURATION: ("duree", "duration", "length"),
        Field.PLACE: ("lieu", "place", "adresse", "address", "location", "ou", "where"),
        Field.DESCRIPTION: ("description", "desc", "details", "texte", "text"),
        Field.CAPACITY: ("places", "capacite", "capacity", "jauge", "max", "seats"),
        Field.VISIBILITY: ("visibilite", "visibility", "acces", "access"),
        Field.KIND: ("type", "kind", "genre"),
    }
)
_FIELD_BY_WORD: Mapping[str, Field] = MappingProxyType(
    {word: field for field, words in FIELD_WORDS.items() for word in words}
)
_FIELD_AND_VALUE = re.compile(r"(?P<field>[^\s:=]+)\s*[:=]?\s*(?P<value>.*)", re.DOTALL)
_EMPTY_DESCRIPTION = frozenset({"-", "aucune", "rien", "none", "nothing", "vide", "empty"})


@dataclass(frozen=True)
class EditRequest:
    event_id: str
    field: Field
    value: str
    #: The field's name as typed, to quote it back.
    field_word: str


def read_field(word: str) -> Field | None:
    """ "Durée", "visibility", "lieu:" → the field; None for another word."""
    return _FIELD_BY_WORD.get(fold(word).replace("'", "").replace("’", "").strip(" .:="))


def parse_edit(args: str) -> EditRequest:
    """``!modifier <id> <champ> <valeur>`` (a colon or ``=`` after the field is allowed).

    Raises:
        ArgumentError: ``event.edit.missing``, ``event.id.missing`` (the text starts with a
            field), ``event.edit.unknown_field`` (``field``), ``event.edit.missing_value``
            (``field``).
    """
    first, rest = [*args.split(maxsplit=1), "", ""][:2]
    if not first:
        raise ArgumentError(EDIT_MISSING)
    if read_field(first) is not None and not _looks_like_id(first):
        raise ArgumentError(ID_MISSING)
    match = _FIELD_AND_VALUE.fullmatch(rest.strip())
    if match is None:
        raise ArgumentError(EDIT_MISSING)
    field = read_field(match["field"])
    if field is None:
        raise ArgumentError(UNKNOWN_FIELD, field=match["field"])
    value = match["value"].strip()
    if field is not Field.DESCRIPTION:
        value = " ".join(value.split())
    if not value:
        raise ArgumentError(MISSING_VALUE, field=match["field"].rstrip(":="))
    return EditRequest(parse_event_id(first), field, value, match["field"].rstrip(":="))


def _looks_like_id(word: str) -> bool:
    """An event id has digits in most cases; a field name never does."""
    return any(c.isdigit() for c in word)


def description_value(value: str) -> str:
    """The new description: "-", "aucune", "none"... clear it."""
    return "" if clean_word(value) in _EMPTY_DESCRIPTION else value


def start_on_day(
    text: str, current_start: datetime, now: datetime, zone: ZoneInfo, language: str
) -> tuple[datetime, datetime | None]:
    """A new start for an event: as :func:`read_start`, except that a day without a time keeps
    the event's time of day ("date samedi" moves it to Saturday, same hours)."""
    when = parse_when(text, now, zone, language_hint=language)
    if when.recurrence is not None:
        raise ArgumentError(RECURRING, text=text.strip())
    if not when.all_day:
        return when.start, when.end
    wall = current_start.astimezone(zone)
    moved = datetime.combine(when.start.date(), wall.time())
    return localize(moved, zone), None


def end_after(text: str, start: datetime, zone: ZoneInfo, language: str) -> datetime:
    """A new end, read from ``start``: "12h" is the first noon after the start, "dimanche 18h"
    the first Sunday after it.

    Raises:
        WhenError: the parser's refusals; ArgumentError: ``event.when.all_day``,
            ``event.when.recurring``.
    """
    end, _ = read_start(text, start.astimezone(zone), zone, language)
    return end


def end_from_duration(text: str, start: datetime, language: str) -> datetime:
    """The end of an event lasting ``text`` ("2h", "1h30", "3 heures") from ``start``.

    Raises:
        WhenError: ``when.duration_unknown``.
    """
    length: timedelta = parse_duration(text, language_hint=language)
    # In UTC: aware arithmetic within one zone would add wall-clock time.
    return (start.astimezone(UTC) + length).astimezone(start.tzinfo)
