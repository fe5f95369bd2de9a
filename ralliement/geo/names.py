"""How typed place names and codes are compared: pure functions, no data.

A name's key ignores case, accents, punctuation and the ``St``/``Ste`` abbreviations, so that
"St-Étienne", "saint etienne" and "SAINT-ETIENNE" share one key. The municipal arrondissements of
Paris, Lyon and Marseille share the short key "paris 11" whichever way they are written
("Paris 11e", "Paris 11ème arr.", "Paris 11e Arrondissement").
"""

from __future__ import annotations

import re
import string
import unicodedata

_NOT_ALPHANUMERIC = re.compile(r"[^a-z0-9]+")
_ABBREVIATIONS = {"st": "saint", "ste": "sainte"}


def _ascii_table() -> dict[int, str | None]:
    """Latin letters with diacritics → ASCII, punctuation → space: one `str.translate` does most
    of `normalise`, which runs on every commune name when the gazetteer loads."""
    table: dict[int, str | None] = {}
    for code in range(0xC0, 0x250):
        stripped = unicodedata.normalize("NFKD", chr(code)).encode("ascii", "ignore").decode()
        table[code] = stripped.lower() or None
    table.update({ord("œ"): "oe", ord("æ"): "ae", ord("ß"): "ss", ord("ø"): "o", ord("ł"): "l"})
    for mark in string.punctuation + "’‘«»–—":
        table[ord(mark)] = " "
    return table


_TO_ASCII = str.maketrans(_ascii_table())
_ARRONDISSEMENT = re.compile(
    r"(paris|lyon|marseille) 0?(\d{1,2}) ?(?:er|re|e|eme|ieme|nd|d)?(?: arrondissement| arr)?"
)
_POSTCODE = re.compile(r"\d{5}")


def normalise(text: str) -> str:
    """Lower case, without accents or punctuation, words separated by one space.

    Args:
        text: a place name as typed or as officially written.

    Returns:
        The normalised text, e.g. "saint etienne" for "St-Étienne".
    """
    text = text.lower().translate(_TO_ASCII)
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
        text = _NOT_ALPHANUMERIC.sub(" ", text)
    words = text.split()
    if "st" in words or "ste" in words:
        words = [_ABBREVIATIONS.get(word, word) for word in words]
    return " ".join(words)


def name_key(text: str) -> str:
    """The key under which a commune is found by name: `normalise`, then the short form of a
    Paris/Lyon/Marseille arrondissement ("lyon 3" for "Lyon 3e Arrondissement")."""
    key = normalise(text)
    match = _ARRONDISSEMENT.fullmatch(key)
    if match:
        return f"{match.group(1)} {int(match.group(2))}"
    return key


def is_postcode(text: str) -> bool:
    """Whether text is five digits."""
    return _POSTCODE.fullmatch(text) is not None


def departement_code(text: str) -> str:
    """The canonical spelling of a département code as typed: "2a" → "2A", "06" stays "06"."""
    return text.strip().upper()


def departement_by_rule(postcode: str) -> str | None:
    """The département a postcode belongs to by the postal numbering rule, or None.

    The first two digits, except in Corsica (200xx and 201xx are Corse-du-Sud, 202xx to 206xx
    Haute-Corse) and overseas (the first three digits). Codes that are no département (00, 96,
    98, 975, 977...) are left to the caller, who knows the list.
    """
    if not is_postcode(postcode):
        return None
    if postcode.startswith("20"):
        return "2A" if postcode[2] in "01" else "2B"
    if postcode.startswith("97"):
        return postcode[:3]
    return postcode[:2]
