"""Policy lists as the Matrix ecosystem writes them, and which users a rule bans.

A policy list is a room whose state holds rules: ``m.policy.rule.user`` / ``.server`` / ``.room``
with ``entity`` (a glob: ``*`` any run of characters, ``?`` one character), ``recommendation``
and ``reason``. Draupnir, Mjolnir and Meowlnir read and write the same events, and older lists
still use the legacy types below. Spec:
https://spec.matrix.org/v1.16/client-server-api/#moderation-policy-lists
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from typing import Any

#: A Matrix user ID as people type it (the spec's historical grammar, loosely).
USER_ID = re.compile(r"@[^\s:]+:[A-Za-z0-9.\-\[\]]+(?::\d+)?")
#: A server name as a rule may name it (a glob is allowed there too).
SERVER_GLOB = re.compile(r"[A-Za-z0-9.\-\[\]:*?]+")

BAN = "m.ban"
#: Other tools' spellings of ``m.ban``.
BAN_SYNONYMS = frozenset({BAN, "org.matrix.mjolnir.ban"})


class RuleKind(StrEnum):
    USER = "user"
    SERVER = "server"
    ROOM = "room"


#: Every state event type of a rule, with the kind of entity it names.
RULE_TYPES: dict[str, RuleKind] = {
    "m.policy.rule.user": RuleKind.USER,
    "m.policy.rule.server": RuleKind.SERVER,
    "m.policy.rule.room": RuleKind.ROOM,
    "m.room.rule.user": RuleKind.USER,
    "m.room.rule.server": RuleKind.SERVER,
    "m.room.rule.room": RuleKind.ROOM,
    "org.matrix.mjolnir.rule.user": RuleKind.USER,
    "org.matrix.mjolnir.rule.server": RuleKind.SERVER,
    "org.matrix.mjolnir.rule.room": RuleKind.ROOM,
}

#: The type the campaign writes its own rules with.
WRITE_TYPES: dict[RuleKind, str] = {
    RuleKind.USER: "m.policy.rule.user",
    RuleKind.SERVER: "m.policy.rule.server",
    RuleKind.ROOM: "m.policy.rule.room",
}


@dataclass(frozen=True)
class RuleKey:
    """Where a rule lives: its list, its state event type and state key."""

    list_room_id: str
    event_type: str
    state_key: str


@dataclass(frozen=True)
class PolicyRule:
    key: RuleKey
    kind: RuleKind
    entity: str
    recommendation: str
    reason: str
    sender: str
    set_at: int

    @property
    def bans(self) -> bool:
        return self.recommendation in BAN_SYNONYMS

    def matches_user(self, user_id: str) -> bool:
        """Whether this rule names ``user_id`` (a user rule by glob, a server rule by its
        server). Rules of rooms name no user."""
        if self.kind is RuleKind.USER:
            return glob_matches(self.entity, user_id)
        if self.kind is RuleKind.SERVER:
            return glob_matches(self.entity, server_of(user_id))
        return False

    @property
    def names_one_user(self) -> bool:
        """A user rule without wildcards names exactly one user, who can be banned before they
        ever join (the homeserver then refuses the join)."""
        return self.kind is RuleKind.USER and not has_wildcards(self.entity)


def parse_rule(
    list_room_id: str,
    event_type: str,
    state_key: str,
    content: dict[str, Any],
    *,
    sender: str,
    set_at: int,
) -> PolicyRule | None:
    """The rule a policy state event holds; None for a removed rule (empty content), a type that
    is not a rule, or a rule without an entity."""
    kind = RULE_TYPES.get(event_type)
    if kind is None:
        return None
    entity = content.get("entity")
    recommendation = content.get("recommendation")
    if not isinstance(entity, str) or not entity.strip() or not isinstance(recommendation, str):
        return None
    reason = content.get("reason")
    return PolicyRule(
        key=RuleKey(list_room_id, event_type, state_key),
        kind=kind,
        entity=entity.strip(),
        recommendation=recommendation,
        reason=reason if isinstance(reason, str) else "",
        sender=sender,
        set_at=set_at,
    )


def rule_content(entity: str, reason: str) -> dict[str, str]:
    """The content of a ban rule the campaign writes."""
    return {"entity": entity, "recommendation": BAN, "reason": reason}


def rule_state_key(entity: str) -> str:
    """The state key the campaign writes a rule under (Draupnir's convention)."""
    return f"rule:{entity}"


def kind_of_entity(entity: str) -> RuleKind | None:
    """What a typed entity names: a user (``@...``, globs allowed), a server; None: neither."""
    if entity.startswith("@"):
        return RuleKind.USER if ":" in entity and not any(c.isspace() for c in entity) else None
    if SERVER_GLOB.fullmatch(entity) and ("." in entity or "*" in entity or entity == "localhost"):
        return RuleKind.SERVER
    return None


def is_too_wide(entity: str) -> bool:
    """A rule that would ban everyone (``*``, ``@*:*``, ``@*``...): refused when typed."""
    stripped = entity.replace("@", "").replace(":", "").replace("*", "").replace("?", "")
    return not stripped


def has_wildcards(entity: str) -> bool:
    return "*" in entity or "?" in entity


@lru_cache(maxsize=4096)
def _glob_pattern(glob: str) -> re.Pattern[str]:
    pattern = "".join(
        ".*" if char == "*" else "." if char == "?" else re.escape(char) for char in glob
    )
    return re.compile(pattern, re.DOTALL | re.IGNORECASE)


def glob_matches(glob: str, value: str) -> bool:
    """Whether ``value`` matches the glob ``glob`` (``*``, ``?``), ignoring case, whole."""
    return _glob_pattern(glob).fullmatch(value) is not None


def server_of(user_id: str) -> str:
    return user_id.split(":", 1)[1] if ":" in user_id else ""
