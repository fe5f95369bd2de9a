"""Argument types of the moderation commands: pure parsers, no I/O.

Each parser returns what the command needs or raises :class:`~bots.arguments.ArgumentError`
(a message key and its parameters, translated like the domain's refusals); the command adds its
usage with an example.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum
from urllib.parse import unquote, urlsplit

from bridge.domain.errors import DomainError
from bridge.domain.moderation.policy import USER_ID, RuleKind, kind_of_entity
from bridge.domain.moderation.protections import Protection, protection_named
from ralliement.when.duration import parse_duration

from .arguments import ArgumentError, fold

DURATION_INVALID = "moderation.duration_invalid"
DURATION_TOO_LONG = "moderation.duration_too_long"
USER_INVALID = "moderation.user_invalid"
BAN_MISSING = "moderation.ban.missing"
ENTITY_INVALID = "moderation.ban.entity_invalid"
REASON_MISSING = "moderation.ban.reason_missing"
UNBAN_MISSING = "moderation.unban.missing"
WATCH_MISSING = "moderation.watch.missing"
WATCH_INVALID = "moderation.watch.invalid"
SINCE_MISSING = "moderation.since.missing"
SINCE_ACTION_MISSING = "moderation.since.action_missing"
SINCE_DURATION_MISSING = "moderation.since.duration_missing"
PURGE_MISSING = "moderation.purge.missing"
PURGE_DURATION_MISSING = "moderation.purge.duration_missing"
ROOM_MISSING = "moderation.room_missing"
UNMUTE_MISSING = "moderation.unmute.missing"
PROTECTION_MISSING = "moderation.protection.missing"
PROTECTION_UNKNOWN = "moderation.protection.unknown"
PROTECTION_STATE_INVALID = "moderation.protection.state_invalid"

#: How far back ``!depuis`` and ``!purge`` may look.
MAX_WINDOW = timedelta(days=30)

_SECONDS = re.compile(r"(\d{1,6})\s?(?:s|sec|secs|seconde|secondes|second|seconds)")


def parse_window(text: str) -> timedelta:
    """A length of time back from now: "30s", "10m", "10 min", "2h", "1h30", "3 jours".

    Raises:
        ArgumentError: ``moderation.duration_invalid`` (``text``) or
            ``moderation.duration_too_long`` (``text``, ``days``).
    """
    typed = " ".join(text.split())
    seconds = _SECONDS.fullmatch(fold(typed))
    if seconds is not None:
        window = timedelta(seconds=int(seconds[1]))
    else:
        try:
            window = parse_duration(typed)
        except DomainError:
            raise ArgumentError(DURATION_INVALID, text=typed) from None
    if window <= timedelta(0):
        raise ArgumentError(DURATION_INVALID, text=typed)
    if window > MAX_WINDOW:
        raise ArgumentError(DURATION_TOO_LONG, text=typed, days=MAX_WINDOW.days)
    return window


def window_words(window: timedelta) -> str:
    """A window as moderators typed it, the same in French and English: "30 s", "10 min",
    "2 h", "1 h 30", "3 j"."""
    total = int(window.total_seconds())
    days, rest = divmod(total, 86_400)
    hours, rest = divmod(rest, 3_600)
    minutes, seconds = divmod(rest, 60)
    parts = [
        f"{value} {unit}"
        for value, unit in ((days, "j"), (hours, "h"), (minutes, "min"), (seconds, "s"))
        if value
    ]
    return " ".join(parts) or "0 s"


# --- Users and rules ---------------------------------------------------------------------------


@dataclass(frozen=True)
class BanRequest:
    kind: RuleKind
    entity: str
    reason: str


def parse_entity(text: str) -> tuple[RuleKind, str]:
    """What a rule names: a user (``@troll:example.org``, globs allowed: ``@*:spam.example``)
    or a server (``spam.example``, ``*.spam.example``).

    Raises:
        ArgumentError: ``moderation.ban.entity_invalid`` (``text``).
    """
    entity = text.strip().strip(",;")
    kind = kind_of_entity(entity)
    if kind is None:
        raise ArgumentError(ENTITY_INVALID, text=entity)
    return kind, entity


def _mentioned_first(
    text: str, mentions: tuple[str, ...], names: Mapping[str, str]
) -> tuple[str, str] | None:
    """(the user, the rest) when ``text`` starts with the pill of a mentioned user: its display
    name as the client wrote it, or its ID."""
    for user in mentions:
        for written in (user, names.get(user, "")):
            if written and fold(text).startswith(fold(written)):
                return user, text[len(written) :].lstrip(" :,")
    return None


def parse_ban(args: str, mentions: tuple[str, ...], names: Mapping[str, str]) -> BanRequest:
    """``!ban`` arguments: who (an ID, a pill, a glob, a server), then the reason.

    Raises:
        ArgumentError: ``moderation.ban.missing``, ``moderation.ban.entity_invalid``,
            ``moderation.ban.reason_missing``.
    """
    text = " ".join(args.split())
    if not text:
        raise ArgumentError(BAN_MISSING)
    first, _, rest = text.partition(" ")
    if kind_of_entity(first) is None and (pill := _mentioned_first(text, mentions, names)):
        first, rest = pill
    kind, entity = parse_entity(first)
    reason = rest.strip()
    if not reason:
        raise ArgumentError(REASON_MISSING, entity=entity)
    return BanRequest(kind, entity, reason)


def parse_unban(args: str, mentions: tuple[str, ...], names: Mapping[str, str]) -> str:
    """``!unban`` arguments: the rule's entity (an ID, a pill, a glob, a server)."""
    text = " ".join(args.split())
    if not text:
        raise ArgumentError(UNBAN_MISSING)
    first = text.partition(" ")[0]
    if kind_of_entity(first) is None and (pill := _mentioned_first(text, mentions, names)):
        first = pill[0]
    return parse_entity(first)[1]


def _user_then_rest(
    text: str, mentions: tuple[str, ...], names: Mapping[str, str]
) -> tuple[str, str]:
    """(the user, the rest) of ``text`` that starts with a user's ID or their pill.

    Raises:
        ArgumentError: ``moderation.user_invalid``.
    """
    first, _, rest = text.partition(" ")
    if USER_ID.fullmatch(first):
        return first, rest
    if pill := _mentioned_first(text, mentions, names):
        return pill
    raise ArgumentError(USER_INVALID, text=first)


def parse_user(text: str, mentions: tuple[str, ...], names: Mapping[str, str]) -> str:
    """One user: their ID, or the pill that mentions them."""
    word = text.strip().strip(",;:")
    if USER_ID.fullmatch(word):
        return word
    pill = _mentioned_first(text, mentions, names)
    if pill is not None:
        return pill[0]
    raise ArgumentError(USER_INVALID, text=word)


# --- Rooms -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RoomReference:
    """A room as a moderator names it: exactly one of its fields is set."""

    room_id: str | None = None
    alias: str | None = None
    team_id: str | None = None

    @property
    def text(self) -> str:
        return self.room_id or self.alias or self.team_id or ""


_ROOM_ID = re.compile(r"![^\s:]+:[A-Za-z0-9.\-\[\]]+(?::\d+)?")
_ALIAS = re.compile(r"#[^\s:]+:[A-Za-z0-9.\-\[\]]+(?::\d+)?")
_TEAM_ID = re.compile(r"[a-z0-9][a-z0-9\-]{0,80}")


def _link_target(text: str) -> str | None:
    """The room of a ``matrix.to`` or ``matrix:`` link (an event after it is left aside)."""
    if text.startswith("matrix:"):
        path = unquote(text[len("matrix:") :].split("?", 1)[0])
        sigil = {"roomid/": "!", "r/": "#"}
        for prefix, mark in sigil.items():
            if path.startswith(prefix):
                return mark + path[len(prefix) :].split("/", 1)[0]
        return None
    parts = urlsplit(text)
    if parts.netloc != "matrix.to":
        return None
    fragment = unquote(parts.fragment.lstrip("/").split("?", 1)[0])
    return fragment.split("/", 1)[0] or None


def parse_room(text: str) -> RoomReference | None:
    """A room reference: ``!id:server``, ``#alias:server``, a ``matrix.to`` or ``matrix:``
    link, or a key (a team's id, or a space's: ``root``, a département's code such as ``69``
    or ``2A``, any case); None when the text is none of these."""
    word = text.strip().strip("<>")
    is_link = "/" in word or word.startswith("matrix:")
    target = _link_target(word) if is_link else word
    if target is None:
        return None
    if _ROOM_ID.fullmatch(target):
        return RoomReference(room_id=target)
    if _ALIAS.fullmatch(target):
        return RoomReference(alias=target)
    if not is_link and _TEAM_ID.fullmatch(word.casefold()):
        return RoomReference(team_id=word)
    return None


def parse_list_room(args: str) -> RoomReference:
    """``!surveiller`` arguments: a room address or id (or a link to it), not a team.

    Raises:
        ArgumentError: ``moderation.watch.missing``, ``moderation.watch.invalid`` (``text``).
    """
    text = args.strip()
    if not text:
        raise ArgumentError(WATCH_MISSING)
    reference = parse_room(text.split()[0])
    if reference is None or reference.team_id is not None:
        raise ArgumentError(WATCH_INVALID, text=text.split()[0])
    return reference


def parse_room_argument(args: str) -> str:
    """``!verrouiller`` arguments: the room as typed (resolved by the command)."""
    text = args.strip()
    if not text:
        raise ArgumentError(ROOM_MISSING)
    return text.split()[0]


# --- !depuis -----------------------------------------------------------------------------------


class SinceAction(StrEnum):
    BAN = "ban"
    KICK = "kick"
    MUTE = "mute"


#: The words of each action, compared folded.
SINCE_WORDS: Mapping[str, SinceAction] = {
    **dict.fromkeys(("ban", "bannir", "bannis", "bans"), SinceAction.BAN),
    **dict.fromkeys(("kick", "expulser", "expulse", "kicks", "virer"), SinceAction.KICK),
    **dict.fromkeys(("mute", "muet", "muets", "sourdine", "taire"), SinceAction.MUTE),
}


@dataclass(frozen=True)
class SinceRequest:
    """``!depuis``: who joined within ``window``, and what to do; ``rest`` is an optional room
    (first word) and reason, which the command tells apart."""

    window: timedelta
    action: SinceAction
    rest: str


def parse_since(args: str) -> SinceRequest:
    """``!depuis 10m kick [room] [reason]``: the window, then the action.

    Raises:
        ArgumentError: ``moderation.since.missing``, ``moderation.since.action_missing``,
            ``moderation.since.duration_missing``, or the window's refusals.
    """
    words = args.split()
    if not words:
        raise ArgumentError(SINCE_MISSING)
    at = next((i for i, word in enumerate(words) if fold(word) in SINCE_WORDS), None)
    if at is None:
        parse_window(" ".join(words))  # says what is wrong with the length, if anything
        raise ArgumentError(SINCE_ACTION_MISSING)
    if at == 0:
        raise ArgumentError(SINCE_DURATION_MISSING)
    window = parse_window(" ".join(words[:at]))
    return SinceRequest(window, SINCE_WORDS[fold(words[at])], " ".join(words[at + 1 :]))


# --- !purge ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PurgeRequest:
    user_id: str
    window: timedelta


def parse_purge(args: str, mentions: tuple[str, ...], names: Mapping[str, str]) -> PurgeRequest:
    """``!purge @user 24h``: the user (ID or pill), then the window.

    Raises:
        ArgumentError: ``moderation.purge.missing``, ``moderation.user_invalid``,
            ``moderation.purge.duration_missing``, or the window's refusals.
    """
    text = " ".join(args.split())
    if not text:
        raise ArgumentError(PURGE_MISSING)
    user, rest = _user_then_rest(text, mentions, names)
    if not rest.strip():
        raise ArgumentError(PURGE_DURATION_MISSING)
    return PurgeRequest(user, parse_window(rest))


# --- !demute ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class UnmuteRequest:
    """``!demute``: who, and the room as typed (None: every room where they are muted)."""

    user_id: str
    room: str | None


def parse_unmute(args: str, mentions: tuple[str, ...], names: Mapping[str, str]) -> UnmuteRequest:
    """``!demute @user [room]``: the user (ID or pill), then an optional room.

    Raises:
        ArgumentError: ``moderation.unmute.missing``, ``moderation.user_invalid``.
    """
    text = " ".join(args.split())
    if not text:
        raise ArgumentError(UNMUTE_MISSING)
    user, rest = _user_then_rest(text, mentions, names)
    words = rest.split()
    return UnmuteRequest(user, words[0] if words else None)


# --- !protection -------------------------------------------------------------------------------

_ON = frozenset({"on", "oui", "yes", "active", "activer", "activee", "marche", "true"})
_OFF = frozenset({"off", "non", "no", "desactive", "desactiver", "desactivee", "arret", "false"})
_DEFAULT = frozenset({"defaut", "default", "reset", "auto", "config"})


@dataclass(frozen=True)
class ProtectionSwitch:
    """``enabled`` None: back to the default (the global switch, else the configuration)."""

    protection: Protection
    enabled: bool | None
    room: str | None


def parse_protection_switch(args: str) -> ProtectionSwitch:
    """``!protection mentions off [room]``.

    Raises:
        ArgumentError: ``moderation.protection.missing``, ``moderation.protection.unknown``
            (``name``), ``moderation.protection.state_invalid`` (``text``).
    """
    words = args.split()
    if len(words) < 2:
        raise ArgumentError(PROTECTION_MISSING)
    protection = protection_named(words[0])
    if protection is None:
        raise ArgumentError(PROTECTION_UNKNOWN, name=words[0])
    state = fold(words[1])
    if state in _ON:
        enabled: bool | None = True
    elif state in _OFF:
        enabled = False
    elif state in _DEFAULT:
        enabled = None
    else:
        raise ArgumentError(PROTECTION_STATE_INVALID, text=words[1])
    return ProtectionSwitch(protection, enabled, words[2] if len(words) > 2 else None)
