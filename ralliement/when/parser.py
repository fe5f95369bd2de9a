"""The entry points: a phrase that is a date (`parse_when`), a date inside a phrase
(`find_when`). The rules of interpretation are in the package's docstring."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

from .errors import WhenError
from .lexicon import ENGLISH_WORDS, EXAMPLES, FILLERS
from .model import When
from .parts import Length
from .resolve import Resolver
from .rules import Found, scan
from .text import Folded, fold

#: Longer phrases are refused unread (a date is a few words; this bounds the work).
MAX_LENGTH = 500

_WORD = re.compile(r"[a-z0-9]+")
_TOO_LONG_QUOTE = 60


def parse_when(
    text: str, now: datetime, zone: ZoneInfo, *, language_hint: str | None = None
) -> When:
    """The moment a phrase names, in French or English.

    Every word must be understood (or be a little word such as "le", "à", "at", "the"), so that
    a typo ("smedi 10h") is refused rather than half read.

    Args:
        text: the phrase as typed, e.g. "samedi 10h-12h" or "every tuesday at 7pm".
        now: the current instant, aware (any zone).
        zone: the user's time zone: the phrase is read on its wall clock.
        language_hint: "fr" or "en" when the caller knows the user's language; it picks the
            language of the examples in a refusal (otherwise guessed from the phrase).

    Returns:
        The moment, its ``start`` aware and in ``zone``. A moment in the past is returned as
        such ("hier 18h"): whether that is allowed is the caller's business.

    Raises:
        WhenError: with the keys listed in ``ralliement.when.errors``; never anything else,
            whatever ``text`` holds.
        ValueError: ``now`` is naive (a programming error).
    """
    _check_now(now)
    folded = fold(text)
    if not _WORD.search(folded.text):
        raise WhenError("when.empty")
    if len(folded.text) > MAX_LENGTH:
        raise _unknown(folded.quote(0, _TOO_LONG_QUOTE) + "…", folded, language_hint)
    found = _scan(folded)
    unknown = [
        word for word in _leftovers(folded, found) if folded.text[slice(*word)] not in FILLERS
    ]
    if unknown or not _names_a_moment(found):
        quoted = " ".join(folded.quote(*word) for word in unknown) or text.strip()
        raise _unknown(quoted, folded, language_hint)
    return _when(folded, found, now, zone)


def find_when(text: str, now: datetime, zone: ZoneInfo) -> When | None:
    """The moment named somewhere in a longer phrase, like "appeler Marie demain à 18h".

    The understood pieces are taken in runs that only little words separate; the run with the
    most pieces wins (the first one on a tie). Weekday abbreviations ("mer", "sam", "mon"…),
    which are words too, are not read here. ``matched`` is the run as typed, little words
    before it included ("demain à 18h", "le 12/12 à 9h"), for the caller to cut it out.

    Args:
        text: the phrase as typed.
        now: the current instant, aware (any zone).
        zone: the user's time zone.

    Returns:
        The moment, or None when the phrase names none (or is longer than ``MAX_LENGTH``).

    Raises:
        WhenError: as `parse_when` for a run that contradicts itself or names an impossible date
            or time; never ``when.empty`` nor ``when.unknown``.
        ValueError: ``now`` is naive (a programming error).
    """
    _check_now(now)
    folded = fold(text)
    if len(folded.text) > MAX_LENGTH:
        return None
    found = _scan(folded, search=True)
    stops = [
        start for start, end in _leftovers(folded, found) if folded.text[start:end] not in FILLERS
    ]
    runs: list[list[Found]] = []
    for piece in found:
        if runs and not any(runs[-1][-1].end <= stop < piece.start for stop in stops):
            runs[-1].append(piece)
        else:
            runs.append([piece])
    runs = [run for run in runs if _names_a_moment(run)]
    if not runs:
        return None
    best = max(runs, key=len)  # max keeps the first of equals
    return _when(folded, best, now, zone)


def _check_now(now: datetime) -> None:
    if now.utcoffset() is None:
        raise ValueError(f"now must be an aware datetime, not {now!r}")


def _names_a_moment(found: list[Found]) -> bool:
    """Whether the pieces say when, not only how long ("pendant 2 heures")."""
    return any(not isinstance(piece.part, Length) for piece in found)


def _scan(folded: Folded, *, search: bool = False) -> list[Found]:
    try:
        return scan(folded.text, search=search)
    except WhenError as error:
        if error.key != "when.invalid_time":
            raise
        start, end = error.params.pop("span")
        raise WhenError(error.key, time=folded.quote(start, end)) from None


def _leftovers(folded: Folded, found: list[Found]) -> list[tuple[int, int]]:
    """The words of the text outside every understood piece, as (start, end)."""
    covered = [(piece.start, piece.end) for piece in found]
    return [
        word.span()
        for word in _WORD.finditer(folded.text)
        if not any(start <= word.start() and word.end() <= end for start, end in covered)
    ]


def _when(folded: Folded, found: list[Found], now: datetime, zone: ZoneInfo) -> When:
    original = folded.original.strip()
    try:
        moment = Resolver(
            found, now, zone, lambda f: folded.quote(f.start, f.end), original
        ).resolve()
    except OverflowError:
        raise WhenError("when.too_far", text=original) from None
    start = found[0].start
    # Take in the little words just before ("le 12/12", "à 18h").
    while True:
        before = folded.text[:start].rstrip(" ,")
        word = re.search(r"[a-z']+$", before)
        if word is None or word[0].rstrip("'") not in FILLERS:
            break
        start = word.start()
    return When(
        start=moment.start,
        all_day=moment.all_day,
        duration=moment.duration,
        recurrence=moment.recurrence,
        matched=folded.quote(start, max(piece.end for piece in found)),
    )


def _unknown(quoted: str, folded: Folded, language_hint: str | None) -> WhenError:
    return WhenError(
        "when.unknown", text=quoted, examples=", ".join(EXAMPLES[_language(folded, language_hint)])
    )


def _language(folded: Folded, language_hint: str | None) -> str:
    if language_hint is not None and language_hint in EXAMPLES:
        return language_hint
    words = set(_WORD.findall(folded.text))
    return "en" if words & ENGLISH_WORDS else "fr"
