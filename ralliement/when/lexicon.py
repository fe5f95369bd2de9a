"""Words of dates and times in French and English, as folded by ``text.fold`` (no accents)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import MappingProxyType

#: Phrases that work, per language, for error replies (each one is checked by the tests).
EXAMPLES: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "fr": (
            "demain 18h30",
            "samedi 10h",
            "le 12/12 à 9h",
            "dans 2 heures",
            "samedi 10h-12h",
            "tous les mardis à 19h",
        ),
        "en": (
            "tomorrow 6pm",
            "saturday 10am",
            "dec 12 9am",
            "in 2 hours",
            "6pm to 8pm saturday",
            "every tuesday at 7pm",
        ),
    }
)

#: Day names and their abbreviations → 0 (Monday) … 6 (Sunday).
WEEKDAYS: Mapping[str, int] = MappingProxyType(
    {
        **dict.fromkeys(("lundi", "lun", "monday", "mon"), 0),
        **dict.fromkeys(("mardi", "mar", "tuesday", "tues", "tue"), 1),
        **dict.fromkeys(("mercredi", "mer", "wednesday", "wed"), 2),
        **dict.fromkeys(("jeudi", "jeu", "thursday", "thurs", "thur", "thu"), 3),
        **dict.fromkeys(("vendredi", "ven", "friday", "fri"), 4),
        **dict.fromkeys(("samedi", "sam", "saturday", "sat"), 5),
        **dict.fromkeys(("dimanche", "dim", "sunday", "sun"), 6),
    }
)

#: Full day names (the only ones that take a plural "s": "tous les mardis", "on tuesdays").
FULL_WEEKDAYS = (
    "lundi",
    "mardi",
    "mercredi",
    "jeudi",
    "vendredi",
    "samedi",
    "dimanche",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
)

#: Month names and their abbreviations → 1 … 12.
MONTHS: Mapping[str, int] = MappingProxyType(
    {
        **dict.fromkeys(("janvier", "janv", "january", "jan"), 1),
        **dict.fromkeys(("fevrier", "fevr", "fev", "february", "feb"), 2),
        **dict.fromkeys(("mars", "march", "mar"), 3),
        **dict.fromkeys(("avril", "avr", "april", "apr"), 4),
        **dict.fromkeys(("mai", "may"), 5),
        **dict.fromkeys(("juin", "june", "jun"), 6),
        **dict.fromkeys(("juillet", "juil", "july", "jul"), 7),
        **dict.fromkeys(("aout", "august", "aug"), 8),
        **dict.fromkeys(("septembre", "sept", "september", "sep"), 9),
        **dict.fromkeys(("octobre", "october", "oct"), 10),
        **dict.fromkeys(("novembre", "november", "nov"), 11),
        **dict.fromkeys(("decembre", "december", "dec"), 12),
    }
)

#: Numbers written as words, for counts ("dans deux heures", "every other week").
NUMBER_WORDS: Mapping[str, int] = MappingProxyType(
    {
        **dict.fromkeys(("un", "une", "a", "an", "one"), 1),
        **dict.fromkeys(("deux", "two", "other"), 2),
        **dict.fromkeys(("trois", "three"), 3),
        **dict.fromkeys(("quatre", "four"), 4),
        **dict.fromkeys(("cinq", "five"), 5),
        **dict.fromkeys(("six",), 6),
        **dict.fromkeys(("sept", "seven"), 7),
        **dict.fromkeys(("huit", "eight"), 8),
        **dict.fromkeys(("neuf", "nine"), 9),
        **dict.fromkeys(("dix", "ten"), 10),
        **dict.fromkeys(("onze", "eleven"), 11),
        **dict.fromkeys(("douze", "twelve"), 12),
        **dict.fromkeys(("quinze", "fifteen"), 15),
        **dict.fromkeys(("vingt", "twenty"), 20),
        **dict.fromkeys(("trente", "thirty"), 30),
    }
)

#: Words that carry no meaning of their own around a date ("le", "à", "at", "on the"…).
FILLERS = frozenset(
    [
        "le",
        "la",
        "les",
        "l",
        "a",
        "au",
        "aux",
        "de",
        "du",
        "des",
        "d",
        "en",
        "et",
        "vers",
        "environ",
        "pour",
        "partir",
        "at",
        "on",
        "the",
        "of",
        "in",
        "from",
        "around",
        "about",
        "starting",
        "by",
        "for",
    ]
)

#: Words only English uses here, to pick the language of the examples in an error reply.
ENGLISH_WORDS = frozenset(
    [
        "at",
        "on",
        "the",
        "of",
        "in",
        "from",
        "around",
        "about",
        "starting",
        "every",
        "each",
        "daily",
        "weekly",
        "monthly",
        "today",
        "tonight",
        "tomorrow",
        "next",
        "noon",
        "midnight",
        "morning",
        "afternoon",
        "evening",
        "night",
        "am",
        "pm",
        "week",
        "weeks",
        "day",
        "days",
        "hour",
        "hours",
        "minutes",
    ]
)


def alternation(words: Iterable[str]) -> str:
    """A regex alternation of ``words``, longest first so that "mardi" wins over "mar"."""
    return "|".join(sorted(set(words), key=lambda word: (-len(word), word)))


def number(word: str) -> int:
    """A count written in digits or words: "3" → 3, "trois" → 3."""
    return int(word) if word.isdigit() else NUMBER_WORDS[word]
