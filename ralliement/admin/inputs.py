"""Checks of what admins type that the domain does not make: Matrix user IDs, kind aliases."""

from __future__ import annotations

import re

from bridge.db.teams import TeamKind

USER_ID_MAX = 255
EXAMPLE_USER = "@alice:example.org"
# https://spec.matrix.org/v1.16/appendices/#user-identifiers: historical user IDs may use any
# printable ASCII character but ':' in their localpart; new ones only a-z 0-9 . _ = - / +.
_HISTORICAL_LOCALPART = re.compile(r"[\x21-\x39\x3b-\x7e]+")
_SERVER_NAME = re.compile(r"(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(:[0-9]{1,5})?")

#: The words accepted for each kind of team (French words too: files come from French admins).
KIND_WORDS: dict[str, TeamKind] = {
    "local": TeamKind.LOCAL,
    "locale": TeamKind.LOCAL,
    "thematic": TeamKind.THEMATIC,
    "thematique": TeamKind.THEMATIC,
    "thématique": TeamKind.THEMATIC,
}


def user_id_problem(text: str) -> str | None:
    """What is wrong with ``text`` as a Matrix user ID, with the fix; None if it is one.

    Upper case letters are refused although historical IDs may have them: homeservers create
    lower-case IDs, so an upper-case letter in an admin's file is a typo.
    """
    if not text:
        return f"is empty: write a Matrix user ID, e.g. {EXAMPLE_USER}"
    if any(char.isspace() for char in text):
        return f"contains a space ({text!r}): a Matrix user ID has none, e.g. {EXAMPLE_USER}"
    if not text.startswith("@"):
        hint = f"@{text}" if ":" in text else f"@{text}:example.org"
        return f"must start with @ ({text!r}): write it like {hint}"
    localpart, colon, server = text[1:].partition(":")
    if not colon or not server:
        return f"has no server name ({text!r}): write it like {text.rstrip(':')}:example.org"
    if not localpart:
        return f"has no user name before the ':' ({text!r}): write it like {EXAMPLE_USER}"
    if localpart != localpart.lower():
        return f"must be lower case ({text!r}): write {'@' + localpart.lower() + ':' + server}"
    if not _HISTORICAL_LOCALPART.fullmatch(localpart) or not _SERVER_NAME.fullmatch(server):
        return f"is not a valid Matrix user ID ({text!r}): write it like {EXAMPLE_USER}"
    if len(text) > USER_ID_MAX:
        return f"is longer than {USER_ID_MAX} characters: check the cell"
    return None


def kind_from_word(word: str) -> str:
    """The kind named by ``word`` ("Thématique" → "thematic"); other words are left for the
    domain to refuse with ``team.kind.invalid``."""
    cleaned = word.strip().casefold()
    kind = KIND_WORDS.get(cleaned)
    return kind.value if kind else word.strip()
