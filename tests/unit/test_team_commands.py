"""Reading the team commands' arguments, and the refusals' wording: what a user types and reads."""

from __future__ import annotations

import contextlib
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bots.arguments import (
    ArgumentError,
    RoleRequest,
    mentioned_users,
    parse_role_request,
    parse_role_word,
    parse_team_request,
)
from bots.i18n import format_date
from bots.refusals import refusal
from bots.team_views import display_name
from bridge.domain import places, roles, teams
from bridge.domain.errors import DomainError
from bridge.domain.roles import Role

BOT = "@ralliement_agenda:localhost"
BOB = "@bob:localhost"
CAROL = "@carol:localhost"
NAMES = {
    "@alice:localhost": "Alice",
    BOB: "Bob Martin",
    CAROL: "Carole",
    "@carol2:localhost": "Caro",
    "@caro3:localhost": "Caro",
}


def pill(user_id: str, name: str, encoded: bool = False) -> str:
    target = user_id.replace("@", "%40").replace(":", "%3A") if encoded else user_id
    return f'<a href="https://matrix.to/#/{target}">{name}</a>'


def html(formatted: str, **extra: Any) -> dict[str, Any]:
    return {"format": "org.matrix.custom.html", "formatted_body": formatted, **extra}


# --- Mentions --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "mentions"),
    [
        (html(f"!role {pill(BOB, 'Bob Martin')} gestionnaire"), (BOB,)),
        (html(f"!role {pill(BOB, 'Bob', encoded=True)} manager"), (BOB,)),
        (html('!role <a href="matrix:u/bob:localhost?action=chat">Bob</a> x'), (BOB,)),
        (html(f"{pill(BOB, 'B')} {pill(CAROL, 'C')} {pill(BOB, 'B')}"), (BOB, CAROL)),
        # The bot itself and links that are not users are left out.
        (html(f"{pill(BOT, 'Agenda')} {pill(CAROL, 'C')}"), (CAROL,)),
        (html('<a href="https://matrix.to/#/!room:localhost">salon</a>'), ()),
        (html('<a href="https://example.org/#/@bob:localhost">Bob</a>'), ()),
        # A reply fallback quotes someone: not a mention.
        (html(f"<mx-reply><blockquote>{pill(CAROL, 'C')}</blockquote></mx-reply>!role"), ()),
        # Without pills, m.mentions counts.
        ({"body": "!role Bob x", "m.mentions": {"user_ids": [BOB, BOT]}}, (BOB,)),
        ({"body": "!role", "m.mentions": {"user_ids": "nope"}}, ()),
        ({"body": "!role"}, ()),
        (html(pill(CAROL, "C"), **{"m.mentions": {"user_ids": [BOB]}}), (CAROL,)),
    ],
)
def test_mentioned_users(content: dict[str, Any], mentions: tuple[str, ...]) -> None:
    assert mentioned_users(content, exclude=[BOT]) == mentions


# --- Roles -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "role"),
    [
        ("membre", Role.MEMBER),
        ("Member", Role.MEMBER),
        ("gestionnaire", Role.MANAGER),
        ("GESTIONNAIRE", Role.MANAGER),
        ("manager", Role.MANAGER),
        ("référent", Role.REFERENT),
        ("Referente", Role.REFERENT),
        ("REFERENT", Role.REFERENT),
        ("animateur", Role.REFERENT),
        ("Animatrice", Role.REFERENT),
        ("référent.", Role.REFERENT),
        ("chef", None),
        ("", None),
    ],
)
def test_role_words_in_french_and_english(word: str, role: Role | None) -> None:
    assert parse_role_word(word) is role


@pytest.mark.parametrize(
    ("args", "mentions", "expected"),
    [
        ("@bob:localhost gestionnaire", (), RoleRequest(BOB, Role.MANAGER)),
        ("gestionnaire @bob:localhost", (), RoleRequest(BOB, Role.MANAGER)),
        ("@bob:localhost: Référente", (), RoleRequest(BOB, Role.REFERENT)),
        # An Element pill: the body holds the display name, the mention says who.
        ("Bob Martin manager", (BOB,), RoleRequest(BOB, Role.MANAGER)),
        ("Someone Else membre", (BOB,), RoleRequest(BOB, Role.MEMBER)),
        # Several pills: the text says which one.
        ("Carole gestionnaire", (BOB, CAROL), RoleRequest(CAROL, Role.MANAGER)),
        # No pill: a display name of the room, or a localpart.
        ("bob martin membre", (), RoleRequest(BOB, Role.MEMBER)),
        ("CAROLE animatrice", (), RoleRequest(CAROL, Role.REFERENT)),
        ("@carol gestionnaire", (), RoleRequest(CAROL, Role.MANAGER)),
        # An ID typed in full wins over a mention (a reply may mention its sender).
        ("@carol:localhost membre", (BOB,), RoleRequest(CAROL, Role.MEMBER)),
    ],
)
def test_role_requests(args: str, mentions: tuple[str, ...], expected: RoleRequest) -> None:
    assert parse_role_request(args, mentions, NAMES) == expected


@pytest.mark.parametrize(
    ("args", "mentions", "key"),
    [
        ("", (), "role.usage"),
        ("gestionnaire", (), "role.usage"),
        ("@bob:localhost", (), "role.usage"),
        ("@bob:localhost chef", (), "role.unknown_word"),
        ("Inconnu gestionnaire", (), "role.who"),
        ("Caro gestionnaire", (), "role.who_ambiguous"),
        ("Quelqu'un gestionnaire", (BOB, CAROL), "role.who"),
    ],
)
def test_role_requests_that_cannot_be_understood(
    args: str, mentions: tuple[str, ...], key: str
) -> None:
    with pytest.raises(ArgumentError) as error:
        parse_role_request(args, mentions, NAMES)
    assert error.value.key == key


@given(st.text(), st.lists(st.sampled_from([BOB, CAROL]), max_size=3))
def test_role_parsing_answers_anything(args: str, mentions: list[str]) -> None:
    with contextlib.suppress(ArgumentError):
        parse_role_request(args, tuple(mentions), NAMES)


# --- Team creation ---------------------------------------------------------------------------

KNOWN_PLACES = {
    "69003",
    "13015",
    "villeurbanne",
    "lyon",
    "lyon 4e",
    "saint-denis",
    "saint-denis (93)",
    "la roche sur yon",
    "aubervilliers",
    "marseille 13015",
    "paris 11e",
}


def known(text: str) -> bool:
    return text.casefold() in KNOWN_PLACES


@pytest.mark.parametrize(
    ("args", "name", "place"),
    [
        ("Les Insoumis du 3e 69003", "Les Insoumis du 3e", "69003"),
        ("Les Insoumis du 3e (69003)", "Les Insoumis du 3e", "69003"),
        ("  Les   Insoumis du 3e   69003 ", "Les Insoumis du 3e", "69003"),
        # A postcode unknown to the gazetteer is still the place: its refusal comes later.
        ("Équipe Nulle Part 99999", "Équipe Nulle Part", "99999"),
        # A trailing commune stays in the name.
        ("Les Insoumis de Villeurbanne", "Les Insoumis de Villeurbanne", "Villeurbanne"),
        ("Insoumis Croix-Rousse Lyon 4e", "Insoumis Croix-Rousse Lyon 4e", "Lyon 4e"),
        ("Équipe La Roche sur Yon", "Équipe La Roche sur Yon", "La Roche sur Yon"),
        ("Insoumis Saint-Denis (93)", "Insoumis Saint-Denis (93)", "Saint-Denis (93)"),
        ("Les Insoumis d'Aubervilliers", "Les Insoumis d'Aubervilliers", "Aubervilliers"),
        ("Les Insoumis d’Aubervilliers", "Les Insoumis d’Aubervilliers", "Aubervilliers"),
        ("Villeurbanne", "Villeurbanne", "Villeurbanne"),
        # Explicit separators.
        ("Quartiers Nord, Marseille 13015", "Quartiers Nord", "Marseille 13015"),
        ("Nous, les Insoumis, Lyon", "Nous, les Insoumis", "Lyon"),
        ("Nous, Inconnue", "Nous", "Inconnue"),
        ("Insoumis 11e | Paris 11e", "Insoumis 11e", "Paris 11e"),
        ("Le Groupe | Saint-Denis (93)", "Le Groupe", "Saint-Denis (93)"),
    ],
)
def test_team_requests(args: str, name: str, place: str) -> None:
    request = parse_team_request(args, known)
    assert (request.name, request.place) == (name, place)


@pytest.mark.parametrize(
    ("args", "key"),
    [
        ("", "team.create.missing"),
        ("   ", "team.create.missing"),
        ("69003", "team.create.missing"),
        ("Insoumis |", "team.create.missing"),
        ("| Lyon", "team.create.missing"),
        (", Lyon", "team.create.missing"),
        ("Les Verts", "team.create.missing_place"),
    ],
)
def test_team_requests_without_name_or_place(args: str, key: str) -> None:
    with pytest.raises(ArgumentError) as error:
        parse_team_request(args, known)
    assert error.value.key == key


@given(st.text())
def test_team_request_parsing_answers_anything(args: str) -> None:
    try:
        request = parse_team_request(args, known)
    except ArgumentError:
        return
    assert request.name and request.place


# --- Wording ---------------------------------------------------------------------------------

# Every refusal the domain can send to a bot user, with the parameters it carries.
DOMAIN_REFUSALS = [
    teams.TeamError(teams.NAME_LENGTH, min=3, max=80),
    teams.TeamError(teams.KIND_INVALID, kind="party"),
    teams.TeamError(teams.AVATAR_INVALID, url="https://example.org/a.png"),
    teams.TeamError(teams.PLACE_REQUIRED),
    teams.TeamError(teams.NOT_FOUND, team="t-1"),
    teams.TeamError(teams.ARCHIVED, team="t-1"),
    teams.TeamError(teams.NOT_MEMBER, team="t-1"),
    teams.TeamError(teams.TARGET_NOT_MEMBER, team="t-1", user=BOB),
    teams.TeamError(teams.NO_TEAM_HERE),
    teams.TeamError("team.create.quota", limit=3, hours=24),
    roles.RoleRefused(roles.NOT_ALLOWED),
    roles.RoleRefused(roles.SELF_CHANGE),
    roles.RoleRefused(roles.REFERENT_ONLY, role="manager"),
    roles.RoleRefused(roles.TOO_MANY_REFERENTS, limit=2),
    roles.RoleRefused(roles.LAST_REFERENT),
    roles.RoleRefused(roles.LEAVE_LAST_REFERENT),
    places.PlaceError(places.PLACE_UNKNOWN, place="Marseile", suggestions=["Marseille (13001)"]),
    places.PlaceError(places.PLACE_UNKNOWN, place="Zzz", suggestions=[]),
    places.PlaceError(
        places.PLACE_AMBIGUOUS,
        place="Saint-Denis",
        candidates=["Saint-Denis (93200)", "Saint-Denis (97400)"],
    ),
]


def domain_keys() -> set[str]:
    """Every message key the domain modules declare."""
    return {
        value
        for module in (teams, roles, places)
        for name, value in vars(module).items()
        if name.isupper() and isinstance(value, str) and value.startswith(("team.", "place."))
    }


def test_every_domain_refusal_is_covered_here() -> None:
    assert domain_keys() <= {error.key for error in DOMAIN_REFUSALS}


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("error", DOMAIN_REFUSALS, ids=repr)
def test_every_refusal_is_worded(error: DomainError, language: str) -> None:
    reply = refusal(error, language)
    assert reply.body.strip() and "{" not in reply.body
    assert reply.html and "{" not in reply.html
    assert "Désolé, quelque chose s'est mal passé" not in reply.body


def test_refusal_wording_with_its_parameters() -> None:
    only = refusal(roles.RoleRefused(roles.REFERENT_ONLY, role="manager"), "fr")
    assert only.body == "Seul un référent de l'équipe peut nommer quelqu'un gestionnaire."
    english = refusal(roles.RoleRefused(roles.REFERENT_ONLY, role="referent"), "en")
    assert english.body == "Only a referent of the team can make someone referent."
    ambiguous = refusal(DOMAIN_REFUSALS[-1], "fr", hint="team.create.usage")
    lines = ambiguous.body.splitlines()
    assert (
        lines[0] == "Plusieurs communes s'appellent « Saint-Denis » : précisez avec le code postal."
    )
    assert lines[1:4] == [
        "Par exemple :",
        "• Saint-Denis (93200) — Seine-Saint-Denis",
        "• Saint-Denis (97400) — La Réunion",
    ]
    assert lines[4].startswith("Écrivez : !creer-equipe <nom> <code postal ou commune>")
    assert ambiguous.html is not None
    assert "<li>Saint-Denis (97400) — La Réunion</li>" in ambiguous.html
    nothing = refusal(places.PlaceError(places.PLACE_UNKNOWN, place="<b>", suggestions=[]), "en")
    assert nothing.body == "I know no commune or postcode “<b>”."
    assert nothing.html == "<p>I know no commune or postcode “&lt;b&gt;”.</p>"


def test_an_unknown_key_is_an_apology_not_a_crash() -> None:
    reply = refusal(DomainError("team.something.new"), "fr")
    assert reply.body.startswith("Désolé, quelque chose s'est mal passé")


@pytest.mark.parametrize(
    ("timestamp_ms", "language", "text"),
    [
        (1_772_319_600_000, "fr", "1er mars 2026"),  # 2026-02-28T23:00Z is 1 March in Paris
        (1_772_319_600_000, "en", "1 March 2026"),
        (1_786_000_000_000, "fr", "6 août 2026"),
        (1_786_000_000_000, "en", "6 August 2026"),
    ],
)
def test_dates_in_the_configured_zone(timestamp_ms: int, language: str, text: str) -> None:
    assert format_date(timestamp_ms, ZoneInfo("Europe/Paris"), language) == text


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("Alice", "Alice"),
        ("  Alice \n Dupont ", "Alice Dupont"),
        ("alice@example.org", None),
        ("Alice <alice.d@mail.fr>", None),
        ("@alice:localhost", None),
        ("", None),
        ("x" * 100, "x" * 59 + "…"),
    ],
)
def test_display_names_shown_never_an_email(name: str, shown: str | None) -> None:
    assert display_name("@alice:localhost", {"@alice:localhost": name}) == shown
