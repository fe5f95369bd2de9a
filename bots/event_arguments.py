"""Arguments of the event commands: pure parsers, no I/O (the clock and zone are passed in).

``!action`` (and ``!reunion``, ``!en-ligne``) reads fields separated by ``|``::

    !action <titre> | <date et heure> | <lieu> [| <description>] [| <option>]...

- The date is read by :func:`ralliement.when.parse_when` ("samedi 10h", "demain 18h30",
  "12/12 à 9h", "2026-12-12 09:00", "in 2 days at 6pm"); a range ("samedi 10h-12h") gives the
  end. A day without a time is refused (an action needs a time), and so is a repetition.
- Date and place given the wrong way round are swapped when only the place reads as a date.
- Without any ``|``, a date found inside the text splits it: what comes before is the title, what
  comes after the place ("!action Tractage samedi 10h Marché de la Croix-Rousse").
- After the place, each piece is an option when it reads as one (:mod:`bots.event_options`:
  ``places: 20``, ``membres``...; several in one piece if separated by commas), else it is (part
  of) the description.

``!jyvais <id> [+N]`` reads the number of guests as ``+2``, ``2``, ``avec 2`` or ``with 2``;
``!modifier`` is read by :mod:`bots.event_fields`.

Every refusal is an :class:`~bots.arguments.ArgumentError` whose key is worded in ``bots.i18n``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from bridge.db.events import Visibility
from bridge.domain.events import normalise_event_id
from ralliement.when import WhenError, find_when, parse_when

from .arguments import ArgumentError
from .event_options import MAX_DIGITS, Capacity, clean_word, read_options

FIELDS_MISSING = "event.action.fields"
NO_TITLE = "event.action.no_title"
NO_PLACE = "event.action.no_place"
ALL_DAY = "event.when.all_day"
RECURRING = "event.when.recurring"
ID_MISSING = "event.id.missing"
BAD_GUESTS = "event.rsvp.guests"

# --- Dates -------------------------------------------------------------------------------------


def read_start(
    text: str, now: datetime, zone: ZoneInfo, language: str
) -> tuple[datetime, datetime | None]:
    """The start of an event, and its end when a range gives one.

    Raises:
        WhenError: the parser's refusals (``when.unknown``...).
        ArgumentError: ``event.when.all_day`` (a day without a time), ``event.when.recurring``.
    """
    when = parse_when(text, now, zone, language_hint=language)
    if when.recurrence is not None:
        raise ArgumentError(RECURRING, text=text.strip())
    if when.all_day:
        raise ArgumentError(ALL_DAY, text=text.strip())
    return when.start, when.end


# --- !action -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ActionRequest:
    """What ``!action`` asks for, read but not yet checked by the domain."""

    title: str
    start: datetime
    end: datetime | None
    place: str
    description: str = ""
    capacity: int | None = None
    visibility: Visibility = Visibility.PUBLIC


def parse_action(
    args: str, now: datetime, zone: ZoneInfo, language: str, *, place_optional: bool = False
) -> ActionRequest:
    """The fields of ``!action`` (see the module's docstring for the grammar).

    Args:
        args: the text after the command.
        now: the current instant (aware); zone: the user's time zone.
        language: the user's language, for the examples of a date refusal.
        place_optional: an online event may leave the place out (two fields).

    Raises:
        ArgumentError: the keys of this module.
        WhenError: the date's refusals.
    """
    text = args.strip()
    if "|" in text:
        fields = [field.strip() for field in text.split("|")]
        while len(fields) > 2 and not fields[-1]:
            fields.pop()
    else:
        fields = _split_around_date(text, now, zone)
    if len(fields) < 2 or (len(fields) < 3 and not place_optional):
        raise ArgumentError(FIELDS_MISSING)
    title, when_text, *rest = fields
    title = " ".join(title.split())
    if not title:
        raise ArgumentError(NO_TITLE)
    try:
        start, end = read_start(when_text, now, zone, language)
    except WhenError as error:
        swapped = _as_date(rest[0], now, zone, language) if rest else None
        if error.key != "when.unknown" or swapped is None:
            raise
        (start, end), rest = swapped, [when_text, *rest[1:]]
    place = " ".join(rest[0].split()) if rest else ""
    if not place and not place_optional:
        raise ArgumentError(NO_PLACE)
    capacity: Capacity | None = None
    visibility = Visibility.PUBLIC
    description: list[str] = []
    for piece in rest[1:]:
        options = read_options(piece)
        if options is None:
            if piece.strip():
                description.append(piece.strip())
            continue
        capacity = options.capacity or capacity
        visibility = options.visibility or visibility
    return ActionRequest(
        title=title,
        start=start,
        end=end,
        place=place,
        description=" | ".join(description),
        capacity=None if capacity is None else capacity.seats,
        visibility=visibility,
    )


def _as_date(
    text: str, now: datetime, zone: ZoneInfo, language: str
) -> tuple[datetime, datetime | None] | None:
    try:
        return read_start(text, now, zone, language)
    except (WhenError, ArgumentError):
        return None


def _split_around_date(text: str, now: datetime, zone: ZoneInfo) -> list[str]:
    """Title, date, place of a text without ``|``: the date is found inside it."""
    when = find_when(text, now, zone) if text else None
    if when is None or not when.matched:
        return [text] if text else []
    index = text.find(when.matched)
    if index < 0:  # the parser quotes what was typed; be safe all the same
        return [text]
    before = text[:index].strip(" ,;:-–—")
    after = text[index + len(when.matched) :].strip(" ,;:-–—")
    return [before, when.matched, after] if after else [before, when.matched]


# --- Ids and RSVPs -----------------------------------------------------------------------------


def parse_event_id(args: str) -> str:
    """The event id at the start of ``args`` ("#K3F9Q2" → "k3f9q2").

    Raises:
        ArgumentError: ``event.id.missing``.
    """
    first = args.strip().split(maxsplit=1)[0] if args.strip() else ""
    event_id = normalise_event_id(first)
    if not event_id:
        raise ArgumentError(ID_MISSING)
    return event_id


_GUESTS = re.compile(
    r"(?:\+|avec|with|plus|et)? ?(?P<count>\d+)"
    r"(?: ?(?:personnes?|people|persons?|invites?|guests?|accompagnants?|amis?|friends?))?"
)


_LEADING_GUESTS = re.compile(r"\+\s*(?P<count>\d+)\s+(?P<rest>.+)", re.DOTALL)


@dataclass(frozen=True)
class RsvpRequest:
    event_id: str
    guests: int = 0


def parse_rsvp(args: str) -> RsvpRequest:
    """``<id> [+N]``: the event and the number of guests (people coming along).

    ``k3f9q2+2`` and ``+2 k3f9q2`` are understood too.

    Raises:
        ArgumentError: ``event.id.missing``, ``event.rsvp.guests`` (``text``).
    """
    text = args.strip()
    if (leading := _LEADING_GUESTS.fullmatch(text)) is not None:
        text = f"{leading['rest']} +{leading['count']}"
    words = text.replace("+", " +").split()
    if not words or words[0].startswith("+"):
        raise ArgumentError(ID_MISSING)
    event_id = parse_event_id(words[0])
    rest = " ".join(words[1:])
    if not rest:
        return RsvpRequest(event_id)
    match = _GUESTS.fullmatch(clean_word(rest).replace("+ ", "+"))
    if match is None or len(match["count"]) > MAX_DIGITS:
        raise ArgumentError(BAD_GUESTS, text=rest)
    return RsvpRequest(event_id, int(match["count"]))
