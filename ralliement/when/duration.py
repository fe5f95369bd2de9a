"""Lengths of time in French and English: "1h30", "90 minutes", "2 jours", "une demi-heure"."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import timedelta
from fractions import Fraction
from types import MappingProxyType

from .errors import WhenError
from .lexicon import NUMBER_WORDS, alternation
from .text import fold

#: Phrases that work, per language, for error replies.
DURATION_EXAMPLES: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "fr": ("1h", "1h30", "30 min", "2 heures", "3 jours", "1 semaine"),
        "en": ("1h", "1h30", "30 min", "2 hours", "3 days", "1 week"),
    }
)

#: Each unit word → its length in minutes.
UNITS: Mapping[str, int] = MappingProxyType(
    {
        **dict.fromkeys(("m", "mn", "min", "mins", "minute", "minutes"), 1),
        **dict.fromkeys(("h", "hr", "hrs", "heure", "heures", "hour", "hours"), 60),
        **dict.fromkeys(("j", "jour", "jours", "d", "day", "days"), 24 * 60),
        **dict.fromkeys(
            ("sem", "semaine", "semaines", "w", "wk", "wks", "week", "weeks"), 7 * 24 * 60
        ),
    }
)
_HOUR, _DAY = 60, 24 * 60
_MAX_LENGTH = 100  # a length is a few words

_COUNTS = {word: value for word, value in NUMBER_WORDS.items() if word != "other"}
_NUMBER = rf"\d{{1,6}}(?:[.,]\d{{1,2}})?|(?:{alternation(_COUNTS)})(?![a-z])"
_UNIT = rf"(?:{alternation(UNITS)})(?![a-z])"
_HALF_HOUR = (
    r"(?:une?\s?)?demi[- ]?heure|(?:un\s)?quart\sd'\s?heure|(?:an?\s|one\s)?half\s(?:an\s)?hour"
    r"|(?:a\s)?quarter\s(?:of\s)?(?:an\s)?hour"
)
_NAMED_PIECE = re.compile(
    rf"(?P<half>{_HALF_HOUR})"
    rf"|(?P<count>{_NUMBER})\s?(?P<unit>{_UNIT})"
    rf"(?:\s?(?P<minutes>\d{{2}})(?!\d)(?!\s?{_UNIT})|\s?et\s(?P<extra>demie?|quart)(?![a-z]))?"
)
_PIECE = re.sub(r"\(\?P<\w+>", "(?:", _NAMED_PIECE.pattern)

#: A length of time in folded text: pieces joined by spaces, commas, "et" or "and".
DURATION = rf"(?:{_PIECE})(?:\s?(?:,|et|and)?\s?(?:{_PIECE}))*"
_WHOLE = re.compile(rf"(?:(?:pendant|durant|for)\s)?(?P<duration>{DURATION})")


def measure(text: str) -> tuple[timedelta, bool]:
    """The length a folded ``DURATION`` match stands for.

    Returns:
        The length, and whether it counts whole days or weeks only ("3 jours": a calendar
        step, as opposed to "72 heures" or "1,5 jour").
    """
    minutes = Fraction(0)
    calendar = True
    for piece in _NAMED_PIECE.finditer(text):
        if piece["half"] is not None:
            minutes += 15 if "quart" in piece["half"] or "quarter" in piece["half"] else 30
            calendar = False
            continue
        count_text = piece["count"].replace(",", ".")
        count = Fraction(count_text) if count_text[0].isdigit() else Fraction(_COUNTS[count_text])
        unit = UNITS[piece["unit"]]
        minutes += count * unit
        calendar = calendar and unit >= _DAY and count.denominator == 1
        if piece["minutes"] is not None or piece["extra"] is not None:
            if unit != _HOUR:
                raise ValueError(f"minutes after a unit other than hours in {text!r}")
            extra = piece["extra"]
            minutes += 30 if extra in ("demi", "demie") else 15 if extra else int(piece["minutes"])
            calendar = False
    return timedelta(minutes=round(minutes)), calendar


def parse_duration(text: str, *, language_hint: str | None = None) -> timedelta:
    """A length of time as people write it.

    Understood: "1h", "1h30", "1 h 30", "30 min", "90 minutes", "2 heures", "une heure et
    demie", "une demi-heure", "1,5 h", "2 days", "1 semaine", "1 jour et 2 heures",
    "pendant 2 heures", "for 2 hours". Fractions of a minute are rounded.

    Args:
        text: the phrase as typed.
        language_hint: "fr" or "en", the language of the examples in an error.

    Raises:
        WhenError: ``when.empty``, or ``when.duration_unknown`` (``text``, ``examples``) for
            anything else, a zero length included.
    """
    folded = fold(text).text.strip(" .")
    if not folded:
        raise WhenError("when.empty")
    match = _WHOLE.fullmatch(folded) if len(folded) <= _MAX_LENGTH else None
    length = timedelta(0)
    if match is not None:
        try:
            length, _ = measure(match["duration"])
        except ValueError:
            length = timedelta(0)
    if length <= timedelta(0):
        language = language_hint if language_hint in DURATION_EXAMPLES else None
        raise WhenError(
            "when.duration_unknown",
            text=text.strip(),
            examples=", ".join(DURATION_EXAMPLES[language or "fr"]),
        )
    return length
