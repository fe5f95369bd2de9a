"""Forbidden words: does a text contain one, and which.

The configured list (``moderation.words``) holds words or phrases, matched as whole words, and
regular expressions prefixed with ``re:``. A word is found:

- whatever its case and accents ("Connard", "CONNÂRD");
- with its letters repeated ("connnnard") — repeated letters count once, in the text as in the
  list, so a word written with a double letter is found with a single one too;
- written with digits or symbols for letters inside a word ("c0nn4rd", "s@lope"): 0→o, 1→i or
  l, 3→e, 4→a, 5→s, 7→t, @→a, $→s; a number alone stays a number;
- spelt out letter by letter ("c o n n a r d", "c.o.n.n.a.r.d");
- in the plural ("connards": a final s or x is also read without it);
- a phrase ("fils de pute") as its words in a row, whatever separates them.

Never inside a longer word: "con" is not found in "conseil" nor "déconfiner". Regular
expressions are searched as written (ignoring case) in the text and in the text without
accents; they decide their own boundaries.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

#: The prefix of a regular expression in the list.
PATTERN_PREFIX = "re:"

# A word of the text: letters and digits, and the symbols that stand for letters.
_TOKEN = re.compile(r"(?:[^\W_]|[@$])+")
_REPEATS = re.compile(r"(.)\1+")
_LEET = str.maketrans({"0": "o", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s"})
_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "ø": "o", "ł": "l", "đ": "d"})
#: A word longer than this ending in s or x is also read without it (a plural).
_PLURAL_MIN = 3
#: Letters spelt out one by one count as a word from this many on.
_SPELT_OUT_MIN = 3


@dataclass(frozen=True)
class WordMatch:
    """What was found.

    Attributes:
        entry: the entry of the list that matched, as configured (a word, a phrase or
            ``re:…``).
        found: the text that matched, as written.
    """

    entry: str
    found: str


def fold(text: str) -> str:
    """``text`` without case or accents: "Déjà VU" → "deja vu"."""
    return without_accents(text.casefold().translate(_LIGATURES))


def without_accents(text: str) -> str:
    """``text`` without accents: "Déjà VU" → "Deja VU"."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _clean(text: str) -> str:
    """``text`` composed (an accent is part of its letter) and without invisible characters
    (zero-width spaces and joiners slipped inside a word)."""
    composed = unicodedata.normalize("NFC", text)
    return "".join(c for c in composed if unicodedata.category(c) != "Cf")


def _squeeze(word: str) -> str:
    """Repeated letters once: "connnnard" → "conard"."""
    return _REPEATS.sub(r"\1", word)


def _readings(token: str) -> frozenset[str]:
    """The ways a word of the text can be read: as written, and with digits and symbols as
    letters when it mixes them with letters (a number alone is not read as a word)."""
    folded = fold(token)
    readings = {_squeeze(folded)}
    if any(c.isalpha() for c in folded) and any(not c.isalpha() for c in folded):
        mapped = folded.translate(_LEET)
        readings.update(_squeeze(mapped.replace("1", letter)) for letter in "il")
    # The plural of a word is that word: "connards", "salauds", "animaux" → "animau".
    readings.update([r[:-1] for r in readings if len(r) > _PLURAL_MIN and r[-1] in "sx"])
    return frozenset(readings)


@dataclass(frozen=True)
class _Token:
    start: int
    end: int
    readings: frozenset[str]
    single_letter: bool


def _tokens(text: str) -> list[_Token]:
    return [
        _Token(m.start(), m.end(), _readings(m[0]), len(m[0]) == 1 and m[0].isalpha())
        for m in _TOKEN.finditer(text)
    ]


def _entry_words(entry: str) -> tuple[str, ...]:
    return tuple(_squeeze(fold(m[0])) for m in _TOKEN.finditer(entry))


class WordList:
    """The forbidden words and patterns, prepared once.

    Args:
        entries: words, phrases, and regular expressions prefixed with ``re:`` (already
            checked when the configuration was loaded; one that does not compile is ignored).
    """

    def __init__(self, entries: Iterable[str]) -> None:
        self._words: dict[str, str] = {}
        self._phrases: list[tuple[tuple[str, ...], str]] = []
        self._patterns: list[tuple[re.Pattern[str], str]] = []
        for entry in entries:
            if entry.startswith(PATTERN_PREFIX):
                try:
                    pattern = re.compile(entry[len(PATTERN_PREFIX) :], re.IGNORECASE)
                except re.error:
                    continue
                self._patterns.append((pattern, entry))
                continue
            words = _entry_words(entry)
            if len(words) == 1:
                self._words.setdefault(words[0], entry)
            elif words:
                self._phrases.append((words, entry))

    def __bool__(self) -> bool:
        return bool(self._words or self._phrases or self._patterns)

    def find(self, text: str) -> WordMatch | None:
        """The first forbidden word or pattern of ``text``, or None."""
        if not text or not self:
            return None
        text = _clean(text)
        tokens = _tokens(text)
        for token in tokens:
            for reading in token.readings:
                if reading in self._words:
                    return WordMatch(self._words[reading], text[token.start : token.end])
        for words, entry in self._phrases:
            found = _find_phrase(tokens, words)
            if found is not None:
                return WordMatch(entry, text[found[0] : found[1]])
        if self._words:
            for start, end, joined in _spelt_out(text, tokens):
                if joined in self._words:
                    return WordMatch(self._words[joined], text[start:end])
        for pattern, entry in self._patterns:
            match = pattern.search(text) or pattern.search(without_accents(text))
            if match is not None:
                return WordMatch(entry, match[0])
        return None

    def find_in(self, texts: Iterable[str]) -> WordMatch | None:
        """The first forbidden word or pattern of any of ``texts``."""
        for text in texts:
            found = self.find(text)
            if found is not None:
                return found
        return None


def _find_phrase(tokens: list[_Token], words: tuple[str, ...]) -> tuple[int, int] | None:
    size = len(words)
    for first in range(len(tokens) - size + 1):
        window = tokens[first : first + size]
        if all(word in token.readings for word, token in zip(words, window, strict=True)):
            return window[0].start, window[-1].end
    return None


def _spelt_out(text: str, tokens: list[_Token]) -> Iterable[tuple[int, int, str]]:
    """Runs of letters written one by one ("c o n", "c.o.n"), as one word each: (start, end,
    the word squeezed)."""
    run: list[_Token] = []
    for token in [*tokens, None]:
        if token is not None and token.single_letter:
            separated_by_one = not run or token.start - run[-1].end <= 1
            if separated_by_one:
                run.append(token)
                continue
        if len(run) >= _SPELT_OUT_MIN:
            joined = _squeeze(fold("".join(text[t.start : t.end] for t in run)))
            yield run[0].start, run[-1].end, joined
        run = [token] if token is not None and token.single_letter else []
