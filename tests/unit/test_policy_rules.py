"""Policy rules as other tools write them, who they name, and what moderation projects on rooms."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from mautrix.errors import MatrixUnknownRequestError

from bridge.db.moderation_actions import Action, ActionKind
from bridge.db.teams import Member
from bridge.domain.moderation.policy import (
    PolicyRule,
    RuleKind,
    glob_matches,
    is_too_wide,
    kind_of_entity,
    parse_rule,
)
from bridge.domain.roles import Role
from bridge.moderation.joins import is_new_join, is_wave
from bridge.moderation.policy import same_rule
from bridge.moderation.worker import _outcome_of
from bridge.rooms import state


def user_rule(
    entity: str, recommendation: str = "m.ban", event_type: str = "m.policy.rule.user"
) -> PolicyRule | None:
    return parse_rule(
        "!list:s",
        event_type,
        f"rule:{entity}",
        {"entity": entity, "recommendation": recommendation, "reason": "spam"},
        sender="@mod:s",
        set_at=1,
    )


@pytest.mark.parametrize(
    ("glob", "value", "matches"),
    [
        ("@raid*:localhost", "@raid42:localhost", True),
        ("@raid*:localhost", "@RAID42:localhost", True),
        ("@raid*:localhost", "@raid42:example.org", False),
        ("@raid*:localhost", "@xraid:localhost", False),
        ("@raid?:localhost", "@raid4:localhost", True),
        ("@raid?:localhost", "@raid42:localhost", False),
        ("*.spam.example", "evil.spam.example", True),
        ("*.spam.example", "spam.example", False),
        ("@a.b:s", "@aXb:s", False),  # a dot is a dot, not "any character"
        ("@[x]:s", "@[x]:s", True),
    ],
)
def test_glob_matching_is_whole_and_ignores_case(glob: str, value: str, matches: bool) -> None:
    assert glob_matches(glob, value) is matches


@given(st.text(max_size=30), st.text(max_size=30))
def test_any_glob_and_value_answer_without_raising(glob: str, value: str) -> None:
    assert isinstance(glob_matches(glob, value), bool)
    assert glob_matches(
        glob.replace("*", "").replace("?", ""), glob.replace("*", "").replace("?", "")
    )


def test_rules_of_every_type_and_what_they_name() -> None:
    literal = user_rule("@mallory:s")
    assert literal is not None and literal.kind is RuleKind.USER and literal.bans
    assert literal.names_one_user and literal.matches_user("@mallory:s")
    assert not literal.matches_user("@mallory2:s")

    legacy = user_rule("@raid*:s", "org.matrix.mjolnir.ban", "org.matrix.mjolnir.rule.user")
    assert legacy is not None and legacy.bans and not legacy.names_one_user
    assert legacy.matches_user("@raid1:s") and not legacy.matches_user("@raid1:t")

    server = parse_rule(
        "!l",
        "m.policy.rule.server",
        "k",
        {"entity": "*.evil.org", "recommendation": "m.ban"},
        sender="@m:s",
        set_at=1,
    )
    assert server is not None and server.kind is RuleKind.SERVER and server.reason == ""
    assert server.matches_user("@bob:chat.evil.org") and not server.matches_user("@bob:evil.org")

    room = parse_rule(
        "!l",
        "m.policy.rule.room",
        "k",
        {"entity": "!r:s", "recommendation": "m.ban"},
        sender="@m:s",
        set_at=1,
    )
    assert room is not None and not room.matches_user("!r:s")

    advice = user_rule("@mallory:s", "org.example.watch")
    assert advice is not None and not advice.bans


@pytest.mark.parametrize(
    "content",
    [
        {},
        {"entity": "", "recommendation": "m.ban"},
        {"entity": "@x:s"},
        {"entity": 3, "recommendation": "m.ban"},
    ],
)
def test_an_empty_or_broken_rule_is_no_rule(content: dict[str, object]) -> None:
    assert parse_rule("!l", "m.policy.rule.user", "k", content, sender="@m:s", set_at=1) is None
    assert (
        parse_rule(
            "!l",
            "m.room.message",
            "k",
            {"entity": "@x:s", "recommendation": "m.ban"},
            sender="@m:s",
            set_at=1,
        )
        is None
    )


@pytest.mark.parametrize("entity", ["*", "@*:*", "@*", "*:*", "@?*:*", "**"])
def test_rules_that_would_ban_everyone_are_too_wide(entity: str) -> None:
    assert is_too_wide(entity)


@pytest.mark.parametrize("entity", ["@raid*:localhost", "*.evil.org", "@a:s"])
def test_narrower_rules_are_not_too_wide(entity: str) -> None:
    assert not is_too_wide(entity)


def test_kind_of_what_a_moderator_types() -> None:
    assert kind_of_entity("@raid*:localhost") is RuleKind.USER
    assert kind_of_entity("evil.org") is RuleKind.SERVER
    assert kind_of_entity("*.evil.org") is RuleKind.SERVER
    assert kind_of_entity("hello world") is None
    assert kind_of_entity("@nocolon") is None


def test_the_same_rule_rewritten_by_someone_else_changes_nothing() -> None:
    first, again = user_rule("@m:s"), user_rule("@m:s")
    assert same_rule(first, again) and same_rule(None, None)
    assert not same_rule(first, None) and not same_rule(first, user_rule("@m:s", "m.watch"))


def test_a_profile_change_is_not_a_join() -> None:
    join = {"content": {"membership": "join"}}
    assert is_new_join(join)
    assert is_new_join({**join, "unsigned": {"prev_content": {"membership": "invite"}}})
    assert not is_new_join({**join, "unsigned": {"prev_content": {"membership": "join"}}})
    assert not is_new_join({"content": {"membership": "leave"}})


def test_a_wave_is_more_than_the_configured_joins() -> None:
    assert not is_wave(10, 10) and is_wave(11, 10)


def test_a_locked_team_room_lets_people_knock_or_be_invited_only() -> None:
    open_rule = state.join_rules("!space", allow_knock=False, archived=False)
    assert open_rule["join_rule"] == "restricted"
    assert state.join_rules("!space", allow_knock=False, archived=False, locked=True) == {
        "join_rule": "invite"
    }
    assert state.join_rules("!space", allow_knock=True, archived=False, locked=True) == {
        "join_rule": "knock"
    }
    assert state.join_rules("!space", allow_knock=True, archived=True, locked=True) == {
        "join_rule": "invite"
    }
    assert state.space_join_rules(None) == {"join_rule": "invite"}
    assert state.space_join_rules("!root", locked=True) == {"join_rule": "invite"}
    assert state.space_join_rules("!root")["join_rule"] == "restricted"


def test_a_muted_member_is_below_the_level_to_speak() -> None:
    members = [Member("t", "@ref:s", Role.REFERENT, 0), Member("t", "@bob:s", Role.MEMBER, 0)]
    levels = state.power_levels(members, ["@bot:s"], muted={"@bob:s", "@bot:s", "@ref:s"})
    assert levels["users"] == {"@bob:s": -1, "@bot:s": 50, "@ref:s": -1}
    assert levels["events_default"] == 0
    assert state.power_levels(members, ["@bot:s"])["users"] == {"@bot:s": 50, "@ref:s": 100}


def action(kind: ActionKind) -> Action:
    return Action(1, "!r", "@u:s", kind, None, "", "", None, 0, 0, None, None, None)


@pytest.mark.parametrize(
    ("kind", "status", "errcode", "message", "done", "permanent"),
    [
        (ActionKind.UNBAN, 403, "M_BAD_STATE", "Cannot unban user who was not banned", True, False),
        (ActionKind.KICK, 403, "M_FORBIDDEN", "The target user is not in the room", True, False),
        (ActionKind.KICK, 403, "M_BAD_STATE", "Cannot kick user who was banned", True, False),
        (ActionKind.BAN, 403, "M_FORBIDDEN", "You cannot ban user with higher power", False, True),
        (ActionKind.REDACT, 404, "M_NOT_FOUND", "Event not found", False, True),
        (ActionKind.BAN, 429, "M_LIMIT_EXCEEDED", "Too many requests", False, False),
        (ActionKind.BAN, 502, "M_UNKNOWN", "Bad gateway", False, False),
    ],
)
def test_a_refusal_is_done_given_up_or_retried(
    kind: ActionKind, status: int, errcode: str, message: str, done: bool, permanent: bool
) -> None:
    error = MatrixUnknownRequestError(status, message, errcode, message)
    outcome = _outcome_of(action(kind), error)
    assert (outcome.done, outcome.permanent) == (done, permanent)
