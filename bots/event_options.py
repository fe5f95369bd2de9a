"""Options of the event commands: seats, who may come, the kind of event. Pure parsers.

After an event's place, ``!action`` reads each piece as an option when it is one (see
:mod:`bots.event_arguments`); ``!modifier`` reads the same values for its fields. Case and accents
do not matter:

- seats: ``places: 20``, ``places 20``, ``20 places``, ``capacité 20``, ``jauge 20``, ``max 20``,
  ``capacity 20``, ``seats 20``, ``20 seats``; ``illimité`` (``unlimited``, ``aucune``, ``none``)
  is no limit;
- who may come: ``membres`` (``réservé aux membres``, ``privé``, ``members``, ``members only``,
  ``private``) or ``public`` (the default), optionally after ``visibilité:``;
- kind: ``action``, ``réunion``/``meeting``, ``en ligne``/``online``.

A piece that starts with an option's name and a colon but has a wrong value ("places: beaucoup")
is refused, rather than taken for a description.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from bridge.db.events import EventKind, Visibility
from bridge.domain.events import MAX_CAPACITY

from .arguments import ArgumentError, fold

BAD_CAPACITY = "event.option.capacity"
BAD_VISIBILITY = "event.option.visibility"
BAD_KIND = "event.option.kind"
#: Digits read as a number; more is refused without being read.
MAX_DIGITS = 9

_CAPACITY_KEY = (
    r"(?:nombre de )?(?:places?|capacite|capacity|jauge|max|maximum|seats?|limite?|"
    r"participants max(?:imum)?)"
)
_CAPACITY_NAMED = re.compile(rf"{_CAPACITY_KEY} ?(?P<colon>[:=])? ?(?P<value>.*)")
_CAPACITY_COUNTED = re.compile(
    r"(?P<value>\d+) ?(?:places?|seats?|personnes?|people|participants?|max|maximum)"
)
_NUMBER = re.compile(r"\d+")
_UNLIMITED = frozenset(
    {
        "illimite",
        "illimitee",
        "illimitees",
        "illimites",
        "sans limite",
        "pas de limite",
        "aucune",
        "aucun",
        "unlimited",
        "no limit",
        "none",
        "-",
    }
)
_VISIBILITY_NAMED = re.compile(
    r"(?:visibilite|visibility|acces|access) ?(?P<colon>[:=])? ?(?P<v>.*)"
)
_VISIBILITY_WORDS: Mapping[str, Visibility] = MappingProxyType(
    {
        **dict.fromkeys(
            (
                "membres",
                "membre",
                "membres seulement",
                "membres uniquement",
                "reserve aux membres",
                "reservee aux membres",
                "prive",
                "privee",
                "interne",
                "members",
                "member",
                "members only",
                "private",
                "internal",
            ),
            Visibility.MEMBERS,
        ),
        **dict.fromkeys(
            ("public", "publique", "ouvert", "ouverte", "ouvert a tous", "open", "everyone"),
            Visibility.PUBLIC,
        ),
    }
)
_KIND_WORDS: Mapping[str, EventKind] = MappingProxyType(
    {
        **dict.fromkeys(("action", "evenement", "event"), EventKind.ACTION),
        **dict.fromkeys(("reunion", "meeting", "rencontre"), EventKind.MEETING),
        **dict.fromkeys(("en ligne", "en-ligne", "online", "visio"), EventKind.ONLINE),
    }
)


@dataclass(frozen=True)
class Capacity:
    """A number of seats, or ``None`` for no limit."""

    seats: int | None


def clean_word(text: str) -> str:
    return fold(text).strip(" .;!")


def read_capacity(text: str) -> Capacity:
    """ "20", "illimité" → the seats (None for no limit).

    Raises:
        ArgumentError: ``event.option.capacity`` (``text``, ``max``).
    """
    capacity = _capacity(text)
    if capacity is None:
        raise ArgumentError(BAD_CAPACITY, text=text.strip(), max=MAX_CAPACITY)
    return capacity


def _capacity(text: str) -> Capacity | None:
    value = clean_word(text)
    if value in _UNLIMITED:
        return Capacity(None)
    if _NUMBER.fullmatch(value) and len(value) <= MAX_DIGITS:
        return Capacity(int(value))
    return None


def read_visibility(text: str) -> Visibility:
    """ "membres", "Public" → the visibility.

    Raises:
        ArgumentError: ``event.option.visibility`` (``text``).
    """
    visibility = _VISIBILITY_WORDS.get(clean_word(text))
    if visibility is None:
        raise ArgumentError(BAD_VISIBILITY, text=text.strip())
    return visibility


def read_kind(text: str) -> EventKind:
    """ "réunion", "online" → the kind of event.

    Raises:
        ArgumentError: ``event.option.kind`` (``text``).
    """
    kind = _KIND_WORDS.get(clean_word(text))
    if kind is None:
        raise ArgumentError(BAD_KIND, text=text.strip())
    return kind


@dataclass(frozen=True)
class Options:
    capacity: Capacity | None = None
    visibility: Visibility | None = None


def read_option(piece: str) -> Options | None:
    """One option ("places: 20", "membres"), or None when the piece is not an option.

    Raises:
        ArgumentError: an option's name with a colon, then a wrong value.
    """
    folded = clean_word(piece)
    if (visibility := _VISIBILITY_WORDS.get(folded)) is not None:
        return Options(visibility=visibility)
    if (counted := _CAPACITY_COUNTED.fullmatch(folded)) is not None:
        return Options(capacity=read_capacity(counted["value"]))
    named = _CAPACITY_NAMED.fullmatch(folded)
    if named is not None and (named["colon"] or named["value"]):
        if (capacity := _capacity(named["value"])) is not None:
            return Options(capacity=capacity)
        if named["colon"]:
            raise ArgumentError(BAD_CAPACITY, text=piece.strip(), max=MAX_CAPACITY)
    named = _VISIBILITY_NAMED.fullmatch(folded)
    if named is not None and (named["colon"] or named["v"]):
        if (found := _VISIBILITY_WORDS.get(named["v"])) is not None:
            return Options(visibility=found)
        if named["colon"]:
            raise ArgumentError(BAD_VISIBILITY, text=piece.strip())
    return None


def read_options(piece: str) -> Options | None:
    """A piece holding one option, or several separated by commas; None if it holds none."""
    whole = read_option(piece)
    if whole is not None:
        return whole
    parts = [part for part in re.split(r"[,;]", piece) if part.strip()]
    if len(parts) < 2:
        return None
    read = [read_option(part) for part in parts]
    if any(option is None for option in read):
        return None
    merged = Options()
    for option in read:
        assert option is not None
        merged = Options(option.capacity or merged.capacity, option.visibility or merged.visibility)
    return merged
