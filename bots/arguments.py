"""Argument types of the team commands: pure parsers, no I/O (a place lookup is passed in).

Each parser returns what the command needs or raises :class:`ArgumentError`, whose key and
parameters are translated like the domain's refusals.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

from bridge.domain.errors import DomainError
from bridge.domain.roles import Role
from ralliement.matrix_text import user_of_link

from .i18n import ROLE_WORDS


class ArgumentError(DomainError):
    """A command's arguments that cannot be understood (``role.usage``, ``role.who``...)."""


# --- Mentions ------------------------------------------------------------------------------

_USER_ID = re.compile(r"@[^\s:]+:[^\s]+")


class _LinkCollector(HTMLParser):
    """The ``href`` of every link of an HTML body, except inside a reply fallback."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self._in_reply = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "mx-reply":
            self._in_reply += 1
        elif tag == "a" and not self._in_reply:
            href = dict(attrs).get("href")
            if href:
                self.links.append(href)

    def handle_endtag(self, tag: str) -> None:
        if tag == "mx-reply" and self._in_reply:
            self._in_reply -= 1


def mentioned_users(content: Mapping[str, Any], *, exclude: Iterable[str] = ()) -> tuple[str, ...]:
    """The users a message mentions, in order, without duplicates or ``exclude``.

    The pills of its HTML body are taken first, since they are what the sender sees; without any,
    its ``m.mentions.user_ids`` (which a client may also fill with the sender of a replied-to
    message).
    """
    found: list[str] = []
    html = content.get("formatted_body")
    if isinstance(html, str) and content.get("format") == "org.matrix.custom.html":
        collector = _LinkCollector()
        collector.feed(html)
        collector.close()
        found = [user for link in collector.links if (user := user_of_link(link))]
    if not found:
        mentions = content.get("m.mentions")
        ids = mentions.get("user_ids") if isinstance(mentions, Mapping) else None
        if isinstance(ids, list):
            found = [user for user in ids if isinstance(user, str) and _USER_ID.fullmatch(user)]
    excluded = set(exclude)
    return tuple(dict.fromkeys(user for user in found if user not in excluded))


# --- Roles ---------------------------------------------------------------------------------


def fold(text: str) -> str:
    """Lower case, without accents, words separated by one space: for comparing what people
    type."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


_ROLE_BY_WORD: Mapping[str, Role] = {
    fold(word): role for role, words in ROLE_WORDS.items() for word in words
}


def parse_role_word(word: str) -> Role | None:
    """ "Gestionnaire", "manager" → ``Role.MANAGER``; "référente", "animateur" → referent."""
    return _ROLE_BY_WORD.get(fold(word).strip(".,;:!"))


@dataclass(frozen=True)
class RoleRequest:
    user_id: str
    role: Role


def parse_role_request(
    args: str, mentions: tuple[str, ...], names: Mapping[str, str]
) -> RoleRequest:
    """``!role`` arguments: who (an ID, a pill, a display name) and the role, in either order.

    Args:
        args: the text after the command, e.g. "@bob:example.org gestionnaire", or
            "Bob Martin manager" when "Bob Martin" is a pill.
        mentions: the users the message mentions (see :func:`mentioned_users`).
        names: the room members' display names by user ID.

    Raises:
        ArgumentError: ``role.usage``, ``role.unknown_word``, ``role.who``, ``role.who_ambiguous``.
    """
    words = args.split()
    if not words or (len(words) < 2 and not mentions):
        raise ArgumentError("role.usage")
    role = parse_role_word(words[-1])
    if role is not None:
        who = words[:-1]
    elif (role := parse_role_word(words[0])) is not None:
        who = words[1:]
    elif len(words) == 1:
        raise ArgumentError("role.usage")
    else:
        raise ArgumentError("role.unknown_word", word=words[-1])
    return RoleRequest(_find_user(" ".join(who), mentions, names), role)


def _find_user(text: str, mentions: tuple[str, ...], names: Mapping[str, str]) -> str:
    text = text.strip().rstrip(":,")
    if _USER_ID.fullmatch(text):
        return text
    if len(mentions) == 1:
        return mentions[0]
    candidates = mentions or tuple(names)
    if not text:
        raise ArgumentError("role.who")
    wanted = fold(text.removeprefix("@"))
    matches = [user for user in candidates if fold(names.get(user, "")) == wanted]
    if not matches and text.startswith("@"):
        matches = [user for user in candidates if fold(user[1:].split(":", 1)[0]) == wanted]
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise ArgumentError("role.who_ambiguous", name=text)
    raise ArgumentError("role.who")


# --- Team creation -------------------------------------------------------------------------

#: How many trailing words a commune name may have ("La Roche sur Yon", "Saint-Denis (93)").
MAX_PLACE_WORDS = 6
_POSTCODE = re.compile(r"\(?(\d{5})\)?")
_ELISION = re.compile(r"^([dlDL]['’])(.+)$")


@dataclass(frozen=True)
class TeamRequest:
    name: str
    place: str


def parse_team_request(args: str, is_place: Callable[[str], bool]) -> TeamRequest:
    """``!creer-equipe`` arguments: the team's name, then where it acts.

    Read in this order:

    1. ``name | place`` or ``name, place``: an explicit separator (for commas, the first whose
       right-hand side is a place, else the last one);
    2. a trailing postcode, which is not part of the name: ``Les Insoumis du 3e 69003``;
    3. else the whole text is the name, and the place is the longest run of words at its end
       (up to :data:`MAX_PLACE_WORDS`) that ``is_place`` accepts, an elided article put aside:
       ``Les Insoumis d'Aubervilliers`` is named so and located in Aubervilliers.

    Args:
        args: the text after the command.
        is_place: whether a text names at least one place (ambiguous names count).

    Raises:
        ArgumentError: ``team.create.missing`` (nothing, or no name) or
            ``team.create.missing_place`` (nothing at the end of the text is a place).
    """
    text = " ".join(args.split())
    if not text:
        raise ArgumentError("team.create.missing")
    if "|" in text:
        name, _, place = text.partition("|")
        return _request(name, place)
    if "," in text:
        pieces = text.split(",")
        for cut in range(1, len(pieces)):
            place = ",".join(pieces[cut:])
            if is_place(place.strip()):
                return _request(",".join(pieces[:cut]), place)
        return _request(",".join(pieces[:-1]), pieces[-1])
    words = text.split(" ")
    if postcode := _POSTCODE.fullmatch(words[-1]):
        return _request(" ".join(words[:-1]), postcode[1])
    for size in range(min(MAX_PLACE_WORDS, len(words)), 0, -1):
        run = words[-size:]
        elided = _ELISION.match(run[0])
        place = " ".join([elided[2], *run[1:]] if elided else run)
        if is_place(place):
            return _request(text, place)
    raise ArgumentError("team.create.missing_place", text=text)


def _request(name: str, place: str) -> TeamRequest:
    name, place = " ".join(name.split()), " ".join(place.split())
    if not name or not place:
        raise ArgumentError("team.create.missing")
    return TeamRequest(name, place)
