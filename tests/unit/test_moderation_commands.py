"""The admin commands' arguments (lengths of time, users, rules, rooms, !depuis, !purge,
!protection), the rules a moderator may not write, and every refusal worded in both languages
with the command's usage."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bots import moderation_arguments as args
from bots.arguments import ArgumentError
from bots.commands import CommandRegistry
from bots.i18n import MESSAGES, translate
from bots.moderation_commands import (
    MODERATOR,
    OURS,
    OWN_SERVER,
    TOO_WIDE,
    Admin,
    check_bannable,
)
from bots.moderation_lists import UNWATCH_UNKNOWN, WATCH_NOT_FOUND, WATCH_OWN
from bots.moderation_room_commands import NOT_MUTED, NOT_MUTED_IN, ROOM_UNKNOWN
from bots.moderation_rooms import RoomPowers, powers_of_state
from bots.refusals import refusal
from bridge.domain.errors import DomainError
from bridge.domain.moderation.policy import RuleKind
from bridge.domain.moderation.protections import Protection

# --- Lengths of time ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("30s", timedelta(seconds=30)),
        ("45 secondes", timedelta(seconds=45)),
        ("10m", timedelta(minutes=10)),
        ("10 min", timedelta(minutes=10)),
        ("10 minutes", timedelta(minutes=10)),
        ("2h", timedelta(hours=2)),
        ("1h30", timedelta(minutes=90)),
        ("24h", timedelta(hours=24)),
        ("3 jours", timedelta(days=3)),
        ("2 days", timedelta(days=2)),
        ("une demi-heure", timedelta(minutes=30)),
    ],
)
def test_windows(text: str, expected: timedelta) -> None:
    assert args.parse_window(text) == expected


@pytest.mark.parametrize("text", ["", "dix", "0s", "0 min", "bientôt", "10x"])
def test_bad_windows_quote_the_text(text: str) -> None:
    with pytest.raises(ArgumentError) as refused:
        args.parse_window(text)
    assert refused.value.key in (args.DURATION_INVALID,)


def test_a_window_too_far_back() -> None:
    with pytest.raises(ArgumentError) as refused:
        args.parse_window("90 jours")
    assert refused.value.key == args.DURATION_TOO_LONG
    assert refused.value.params == {"text": "90 jours", "days": 30}


@pytest.mark.parametrize(
    ("window", "words"),
    [
        (timedelta(seconds=30), "30 s"),
        (timedelta(minutes=10), "10 min"),
        (timedelta(minutes=90), "1 h 30 min"),
        (timedelta(days=1), "1 j"),
    ],
)
def test_window_words(window: timedelta, words: str) -> None:
    assert args.window_words(window) == words


# --- Users and rules ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind", "entity", "reason"),
    [
        (
            "@troll:exemple.org insultes répétées",
            RuleKind.USER,
            "@troll:exemple.org",
            "insultes répétées",
        ),
        ("@*:spam.example spam", RuleKind.USER, "@*:spam.example", "spam"),
        ("spam.example   raid  massif", RuleKind.SERVER, "spam.example", "raid massif"),
        ("*.spam.example raid", RuleKind.SERVER, "*.spam.example", "raid"),
    ],
)
def test_ban_arguments(text: str, kind: RuleKind, entity: str, reason: str) -> None:
    assert args.parse_ban(text, (), {}) == args.BanRequest(kind, entity, reason)


def test_ban_of_a_pill_with_a_display_name() -> None:
    """Element writes a pill's display name in the body; the mention gives the user."""
    request = args.parse_ban(
        "Bob Martin: spam répété", ("@bob:localhost",), {"@bob:localhost": "Bob Martin"}
    )
    assert request == args.BanRequest(RuleKind.USER, "@bob:localhost", "spam répété")


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("", args.BAN_MISSING),
        ("   ", args.BAN_MISSING),
        ("troll insultes", args.ENTITY_INVALID),
        ("@troll:exemple.org", args.REASON_MISSING),
        ("@troll insultes", args.ENTITY_INVALID),
    ],
)
def test_bad_ban_arguments(text: str, key: str) -> None:
    with pytest.raises(ArgumentError) as refused:
        args.parse_ban(text, (), {})
    assert refused.value.key == key


def test_unban_and_purge_arguments() -> None:
    assert args.parse_unban("@troll:exemple.org", (), {}) == "@troll:exemple.org"
    assert args.parse_unban("spam.example", (), {}) == "spam.example"
    with pytest.raises(ArgumentError, match=args.UNBAN_MISSING):
        args.parse_unban("", (), {})
    assert args.parse_purge("@troll:localhost 24h", (), {}) == args.PurgeRequest(
        "@troll:localhost", timedelta(hours=24)
    )
    assert args.parse_purge(
        "Troll 2 jours", ("@troll:localhost",), {"@troll:localhost": "Troll"}
    ) == args.PurgeRequest("@troll:localhost", timedelta(days=2))
    for text, key in [
        ("", args.PURGE_MISSING),
        ("troll 24h", args.USER_INVALID),
        ("@troll:localhost", args.PURGE_DURATION_MISSING),
        ("@troll:localhost longtemps", args.DURATION_INVALID),
    ]:
        with pytest.raises(ArgumentError) as refused:
            args.parse_purge(text, (), {})
        assert refused.value.key == key, text


# --- Rooms -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("!abc:localhost", args.RoomReference(room_id="!abc:localhost")),
        ("#equipe:localhost", args.RoomReference(alias="#equipe:localhost")),
        ("equipe-croix-rousse-3fa2c1", args.RoomReference(team_id="equipe-croix-rousse-3fa2c1")),
        ("https://matrix.to/#/!abc:localhost", args.RoomReference(room_id="!abc:localhost")),
        (
            "https://matrix.to/#/!abc:localhost/$event?via=localhost",
            args.RoomReference(room_id="!abc:localhost"),
        ),
        (
            "https://matrix.to/#/%23equipe%3Alocalhost",
            args.RoomReference(alias="#equipe:localhost"),
        ),
        ("matrix:r/equipe:localhost", args.RoomReference(alias="#equipe:localhost")),
        ("matrix:roomid/abc:localhost?via=localhost", args.RoomReference(room_id="!abc:localhost")),
        ("<#equipe:localhost>", args.RoomReference(alias="#equipe:localhost")),
        # Spaces by their key: the campaign's, a département's (Corsica's in any case).
        ("root", args.RoomReference(team_id="root")),
        ("69", args.RoomReference(team_id="69")),
        ("2A", args.RoomReference(team_id="2A")),
    ],
)
def test_room_references(text: str, expected: args.RoomReference) -> None:
    assert args.parse_room(text) == expected


@pytest.mark.parametrize(
    "text", ["", "https://example.org/#/!abc:localhost", "@user:localhost", "Équipe", "#nohost"]
)
def test_not_room_references(text: str) -> None:
    assert args.parse_room(text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("@marie:localhost", args.UnmuteRequest("@marie:localhost", None)),
        ("  @marie:localhost   equipe-x  ", args.UnmuteRequest("@marie:localhost", "equipe-x")),
        (
            "Marie Curie: #equipe:localhost",
            args.UnmuteRequest("@marie:localhost", "#equipe:localhost"),
        ),
    ],
)
def test_unmute_arguments(text: str, expected: args.UnmuteRequest) -> None:
    mentions = ("@marie:localhost",)
    assert args.parse_unmute(text, mentions, {"@marie:localhost": "Marie Curie"}) == expected


@pytest.mark.parametrize(("text", "key"), [("", args.UNMUTE_MISSING), ("marie", args.USER_INVALID)])
def test_bad_unmute_arguments(text: str, key: str) -> None:
    with pytest.raises(ArgumentError) as refused:
        args.parse_unmute(text, (), {})
    assert refused.value.key == key


def test_list_rooms_are_not_teams() -> None:
    assert args.parse_list_room("#bans:matrix.org") == args.RoomReference(alias="#bans:matrix.org")
    for text, key in [("", args.WATCH_MISSING), ("bans", args.WATCH_INVALID)]:
        with pytest.raises(ArgumentError) as refused:
            args.parse_list_room(text)
        assert refused.value.key == key


# --- !depuis -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "window", "action", "rest"),
    [
        ("10m kick", timedelta(minutes=10), args.SinceAction.KICK, ""),
        ("10 min ban", timedelta(minutes=10), args.SinceAction.BAN, ""),
        (
            "2h ban #equipe:localhost spam",
            timedelta(hours=2),
            args.SinceAction.BAN,
            "#equipe:localhost spam",
        ),
        ("30s mute", timedelta(seconds=30), args.SinceAction.MUTE, ""),
        ("1h EXPULSER raid", timedelta(hours=1), args.SinceAction.KICK, "raid"),
        ("15 minutes bannir", timedelta(minutes=15), args.SinceAction.BAN, ""),
    ],
)
def test_since_arguments(text: str, window: timedelta, action: args.SinceAction, rest: str) -> None:
    assert args.parse_since(text) == args.SinceRequest(window, action, rest)


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("", args.SINCE_MISSING),
        ("10m", args.SINCE_ACTION_MISSING),
        ("kick", args.SINCE_DURATION_MISSING),
        ("longtemps kick", args.DURATION_INVALID),
        ("10 zorglubs", args.DURATION_INVALID),
        ("60 jours ban", args.DURATION_TOO_LONG),
    ],
)
def test_bad_since_arguments(text: str, key: str) -> None:
    with pytest.raises(ArgumentError) as refused:
        args.parse_since(text)
    assert refused.value.key == key


# --- !protection -------------------------------------------------------------------------------


def test_protection_switches() -> None:
    assert args.parse_protection_switch("mentions off") == args.ProtectionSwitch(
        Protection.MENTIONS, False, None
    )
    assert args.parse_protection_switch("join-wave on equipe-x-123abc") == args.ProtectionSwitch(
        Protection.JOIN_WAVE, True, "equipe-x-123abc"
    )
    assert args.parse_protection_switch("words défaut") == args.ProtectionSwitch(
        Protection.WORDS, None, None
    )
    for text, key in [
        ("", args.PROTECTION_MISSING),
        ("words", args.PROTECTION_MISSING),
        ("flood on", args.PROTECTION_UNKNOWN),
        ("words peut-être", args.PROTECTION_STATE_INVALID),
    ]:
        with pytest.raises(ArgumentError) as refused:
            args.parse_protection_switch(text)
        assert refused.value.key == key, text


# --- Never a crash -----------------------------------------------------------------------------


@given(st.text(max_size=80))
def test_parsers_answer_or_refuse_in_words(text: str) -> None:
    for parse in (
        lambda: args.parse_ban(text, (), {}),
        lambda: args.parse_unban(text, (), {}),
        lambda: args.parse_purge(text, (), {}),
        lambda: args.parse_since(text),
        lambda: args.parse_protection_switch(text),
        lambda: args.parse_list_room(text),
        lambda: args.parse_room(text),
    ):
        try:
            parse()
        except ArgumentError as error:
            assert error.key in MESSAGES
            assert refusal(error, "fr").body


# --- Who may not be banned ---------------------------------------------------------------------

ADMIN_STATE = [
    {
        "type": "m.room.create",
        "state_key": "",
        "sender": "@ralliement:localhost",
        "content": {"room_version": "12"},
    },
    {
        "type": "m.room.power_levels",
        "state_key": "",
        "sender": "@ralliement:localhost",
        "content": {"users": {"@mod:localhost": 50, "@helper:localhost": 10}},
    },
]


class _Settings:
    moderators = ("@configured:elsewhere.org",)


class _Moderation:
    our_users = frozenset({"@ralliement:localhost", "@ralliement_moderation:localhost"})
    settings = _Settings()


def admin() -> Admin:
    return Admin(_Moderation(), "localhost", CommandRegistry())  # type: ignore[arg-type]


def test_powers_of_the_admin_room() -> None:
    powers = powers_of_state(ADMIN_STATE)
    assert powers.is_moderator("@mod:localhost")
    assert powers.is_moderator("@ralliement:localhost")  # the creator, in room v12
    assert not powers.is_moderator("@helper:localhost")
    assert not powers.is_moderator("@stranger:localhost")
    assert powers.moderators() == {"@mod:localhost", "@ralliement:localhost"}
    classic = powers_of_state(
        [{**ADMIN_STATE[0], "content": {"room_version": "10"}}, ADMIN_STATE[1]]
    )
    assert not classic.is_moderator("@ralliement:localhost")


@pytest.mark.parametrize(
    ("kind", "entity", "key"),
    [
        (RuleKind.USER, "@*:*", TOO_WIDE),
        (RuleKind.SERVER, "*", TOO_WIDE),
        (RuleKind.SERVER, "localhost", OWN_SERVER),
        (RuleKind.SERVER, "local*", OWN_SERVER),
        (RuleKind.USER, "@ralliement*:localhost", OURS),
        (RuleKind.USER, "@ralliement_moderation:localhost", OURS),
        (RuleKind.USER, "@mod:localhost", MODERATOR),
        (RuleKind.USER, "@m?d:*", MODERATOR),
        (RuleKind.USER, "@configured:elsewhere.org", MODERATOR),
        (RuleKind.SERVER, "elsewhere.org", MODERATOR),
    ],
)
def test_rules_a_moderator_may_not_write(kind: RuleKind, entity: str, key: str) -> None:
    with pytest.raises(DomainError) as refused:
        check_bannable(admin(), kind, entity, powers_of_state(ADMIN_STATE))
    assert refused.value.key == key


@pytest.mark.parametrize(
    ("kind", "entity"),
    [
        (RuleKind.USER, "@troll:localhost"),
        (RuleKind.USER, "@helper:localhost"),
        (RuleKind.USER, "@*:spam.example"),
        (RuleKind.SERVER, "spam.example"),
    ],
)
def test_rules_a_moderator_may_write(kind: RuleKind, entity: str) -> None:
    check_bannable(admin(), kind, entity, powers_of_state(ADMIN_STATE))


# --- Wording -----------------------------------------------------------------------------------

#: Every refusal the admin commands can send, with its parameters, and the usage that ends it.
ADMIN_REFUSALS: list[tuple[DomainError, str | None]] = [
    (ArgumentError(args.DURATION_INVALID, text="dix"), "moderation.since.usage"),
    (ArgumentError(args.DURATION_TOO_LONG, text="90 jours", days=30), "moderation.purge.usage"),
    (ArgumentError(args.USER_INVALID, text="troll"), "moderation.purge.usage"),
    (ArgumentError(args.BAN_MISSING), "moderation.ban.usage"),
    (ArgumentError(args.ENTITY_INVALID, text="troll"), "moderation.ban.usage"),
    (ArgumentError(args.REASON_MISSING, entity="@troll:localhost"), "moderation.ban.usage"),
    (ArgumentError(args.UNBAN_MISSING), "moderation.unban.usage"),
    (ArgumentError(args.WATCH_MISSING), "moderation.watch.usage"),
    (ArgumentError(args.WATCH_INVALID, text="bans"), "moderation.watch.usage"),
    (ArgumentError(args.SINCE_MISSING), "moderation.since.usage"),
    (ArgumentError(args.SINCE_ACTION_MISSING), "moderation.since.usage"),
    (ArgumentError(args.SINCE_DURATION_MISSING), "moderation.since.usage"),
    (ArgumentError(args.PURGE_MISSING), "moderation.purge.usage"),
    (ArgumentError(args.PURGE_DURATION_MISSING), "moderation.purge.usage"),
    (ArgumentError(args.ROOM_MISSING), "moderation.lock.usage"),
    (ArgumentError(args.PROTECTION_MISSING), "moderation.protection.usage"),
    (ArgumentError(args.PROTECTION_UNKNOWN, name="flood"), "moderation.protection.usage"),
    (ArgumentError(args.PROTECTION_STATE_INVALID, text="bof"), "moderation.protection.usage"),
    (ArgumentError(ROOM_UNKNOWN, room="#x:localhost"), "moderation.unlock.usage"),
    (ArgumentError(args.UNMUTE_MISSING), "moderation.unmute.usage"),
    (ArgumentError(NOT_MUTED, user="@marie:localhost"), "moderation.unmute.usage"),
    (
        ArgumentError(NOT_MUTED_IN, user="@marie:localhost", room="Croix-Rousse (croix)"),
        "moderation.unmute.usage",
    ),
    (ArgumentError(WATCH_NOT_FOUND, text="#bans:matrix.org"), "moderation.watch.usage"),
    (ArgumentError(UNWATCH_UNKNOWN, text="#bans:matrix.org"), "moderation.unwatch.usage"),
    (DomainError(TOO_WIDE, entity="@*:*"), None),
    (DomainError(OURS, entity="@ralliement*:localhost", user="@ralliement:localhost"), None),
    (DomainError(OWN_SERVER, entity="localhost", server="localhost"), None),
    (DomainError(MODERATOR, entity="@mod:localhost", user="@mod:localhost"), None),
    (DomainError(WATCH_OWN, text="#admin:localhost"), None),
]


def declared_keys() -> set[str]:
    """Every refusal key the admin commands' modules declare."""
    from bots import moderation_commands, moderation_lists, moderation_room_commands

    return {
        value
        for module in (args, moderation_commands, moderation_lists, moderation_room_commands)
        for name, value in vars(module).items()
        if name.isupper() and isinstance(value, str) and value.startswith("moderation.")
    }


def test_every_admin_refusal_is_covered_here() -> None:
    assert declared_keys() <= {error.key for error, _ in ADMIN_REFUSALS}


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize(("error", "usage"), ADMIN_REFUSALS, ids=lambda v: repr(v))
def test_every_admin_refusal_is_worded(
    error: DomainError, usage: str | None, language: str
) -> None:
    reply = refusal(error, language, hint=usage)
    assert reply.body.strip() and "{" not in reply.body
    assert "Désolé, quelque chose s'est mal passé" not in reply.body
    if usage is not None:
        assert reply.body.splitlines()[-1] == translate(usage, language)


@pytest.mark.parametrize(
    "key", sorted(k for k in MESSAGES if k.endswith(".usage") and k.startswith("moderation."))
)
def test_usages_show_an_example(key: str) -> None:
    assert "par exemple" in translate(key, "fr")
    assert "for example" in translate(key, "en")


def test_the_powers_record_is_what_the_commands_use() -> None:
    powers = RoomPowers({"@a:localhost": 50}, 0, frozenset())
    assert powers.moderators() == {"@a:localhost"}
