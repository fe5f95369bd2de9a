"""What admins read: refusal texts for every domain key, user ID checks, the admin role rule."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bridge.domain import places, roles, supporter_input, supporters, teams
from bridge.domain.errors import DomainError
from bridge.domain.roles import Role, RoleRefused, check_admin_role_change
from ralliement.admin.inputs import kind_from_word, user_id_problem
from ralliement.admin.messages import MESSAGES, admin_message


def domain_keys() -> set[str]:
    return {
        value
        for module in (teams, roles, places, supporters, supporter_input)
        for name, value in vars(module).items()
        if name.isupper()
        and isinstance(value, str)
        and value.startswith(("team.", "place.", "supporter."))
    }


def test_every_domain_refusal_has_an_admin_text() -> None:
    assert {"team.role.last_referent", "supporter.linked_elsewhere"} <= domain_keys()
    assert domain_keys() <= set(MESSAGES)
    for key in domain_keys():
        assert admin_message(DomainError(key)) and "{" not in admin_message(DomainError(key))


def test_texts_carry_the_parameters_and_unknown_keys_still_say_something() -> None:
    unknown = DomainError("place.unknown", place="Lyonn", suggestions=["Lyon (69001)"])
    assert admin_message(unknown) == (
        "no commune matches 'Lyonn' (did you mean: Lyon (69001)?); write a postcode such as 69003"
        " or the commune's exact name"
    )
    assert admin_message(DomainError("agenda.full", limit=3)) == "refused (agenda.full: limit=3)"


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", "is empty: write a Matrix user ID, e.g. @alice:example.org"),
        ("alice", "must start with @ ('alice'): write it like @alice:example.org"),
        ("bob:ex.org", "must start with @ ('bob:ex.org'): write it like @bob:ex.org"),
        ("@alice", "has no server name ('@alice'): write it like @alice:example.org"),
        ("@alice:", "has no server name ('@alice:'): write it like @alice:example.org"),
        ("@:ex.org", "has no user name before the ':' ('@:ex.org'): write it like @alice:"),
        ("@Alice:ex.org", "must be lower case ('@Alice:ex.org'): write @alice:ex.org"),
        ("@al ice:ex.org", "contains a space ('@al ice:ex.org'): a Matrix user ID has none"),
        ("@alice:ex org", "contains a space ('@alice:ex org'): a Matrix user ID has none"),
        ("@alice:http://x", "is not a valid Matrix user ID ('@alice:http://x'): write it like"),
        ("@" + "a" * 250 + ":example.org", "is longer than 255 characters: check the cell"),
    ],
)
def test_user_ids_that_are_wrong_say_how_to_write_them(text: str, problem: str) -> None:
    assert (user_id_problem(text) or "").startswith(problem)


@pytest.mark.parametrize(
    "text", ["@alice:example.org", "@a.b_c=d-e/f+g:matrix.example.org:8448", "@bob:[::1]:8448"]
)
def test_user_ids(text: str) -> None:
    assert user_id_problem(text) is None


@given(st.text())
def test_any_text_gets_an_answer_about_being_a_user_id(text: str) -> None:
    problem = user_id_problem(text)
    assert problem is None or problem.strip()


def test_kind_words_in_french_and_english() -> None:
    assert [kind_from_word(w) for w in ("Locale", " thématique", "THEMATIC", "party")] == [
        "local",
        "thematic",
        "thematic",
        "party",
    ]


def test_an_admin_may_set_any_role_within_the_referent_limits() -> None:
    check_admin_role_change(Role.MEMBER, Role.REFERENT, referents=1)
    check_admin_role_change(Role.REFERENT, Role.MEMBER, referents=2)
    check_admin_role_change(Role.REFERENT, Role.REFERENT, referents=2)
    check_admin_role_change(Role.MANAGER, Role.MEMBER, referents=1)
    with pytest.raises(RoleRefused) as too_many:
        check_admin_role_change(Role.MANAGER, Role.REFERENT, referents=2)
    assert (too_many.value.key, too_many.value.params) == (roles.TOO_MANY_REFERENTS, {"limit": 2})
    with pytest.raises(RoleRefused) as last:
        check_admin_role_change(Role.REFERENT, Role.MANAGER, referents=1)
    assert last.value.key == roles.LAST_REFERENT
