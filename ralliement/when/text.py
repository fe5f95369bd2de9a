"""The text the rules read: lower case, without accents, one kind of apostrophe and dash, single
spaces; with the way back to the characters the user typed, to quote them."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

_APOSTROPHES = frozenset("’‘`´ʼ′")
_DASHES = frozenset("‐‑‒–—―−")


@dataclass(frozen=True)
class Folded:
    """``text`` folded for matching, and for each of its characters the index of the typed
    character it comes from."""

    original: str
    text: str
    origins: tuple[int, ...]

    def quote(self, start: int, end: int) -> str:
        """The typed characters behind ``text[start:end]``, trimmed."""
        if start >= end:
            return ""
        first = self.origins[start]
        last = self.origins[end - 1] + 1
        # Keep the accents that follow the last letter when the typed text was decomposed.
        while last < len(self.original) and unicodedata.combining(self.original[last]):
            last += 1
        return self.original[first:last].strip()


def fold(text: str) -> Folded:
    """Fold ``text`` for matching: "Aujourd’hui  À 18H" → "aujourd'hui a 18h"."""
    characters: list[str] = []
    origins: list[int] = []
    for index, character in enumerate(text):
        if character in _APOSTROPHES:
            pieces = "'"
        elif character in _DASHES:
            pieces = "-"
        elif character.isspace():
            pieces = " "
        else:
            decomposed = unicodedata.normalize("NFKD", character)
            pieces = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
        for piece in pieces:
            if piece == " " and (not characters or characters[-1] == " "):
                continue
            characters.append(piece)
            origins.append(index)
    if characters and characters[-1] == " ":
        characters.pop()
        origins.pop()
    return Folded(text, "".join(characters), tuple(origins))
