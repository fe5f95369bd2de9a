"""The team role rules, as pure functions: every refusal, and invariants under any sequence."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bridge.domain.roles import (
    LAST_REFERENT,
    LEAVE_LAST_REFERENT,
    MAX_REFERENTS,
    NOT_ALLOWED,
    POWER_LEVELS,
    REFERENT_ONLY,
    SELF_CHANGE,
    TOO_MANY_REFERENTS,
    Role,
    RoleRefused,
    check_leave,
    check_role_change,
)

M, G, R = Role.MEMBER, Role.MANAGER, Role.REFERENT


def test_power_levels_follow_the_matrix_contract() -> None:
    assert dict(POWER_LEVELS) == {M: 0, G: 50, R: 100}
    assert [role.power_level for role in (M, G, R)] == [0, 50, 100]
    assert MAX_REFERENTS == 2


# actor, target, new role, referents in the team, is_self, refusal key (None: allowed)
CASES = [
    (R, M, G, 1, False, None),  # a referent promotes to manager
    (R, M, R, 1, False, None),  # ... or to referent while a slot is free
    (R, G, R, 1, False, None),
    (R, G, M, 1, False, None),  # a referent demotes a manager
    (G, M, M, 1, False, None),  # nothing changes
    (R, R, R, 2, True, None),
    (R, R, G, 2, True, None),  # a referent steps down while another remains
    (R, R, M, 2, True, None),
    (G, G, G, 1, True, None),
    (R, M, R, 2, False, TOO_MANY_REFERENTS),
    (R, G, R, 2, False, TOO_MANY_REFERENTS),
    (R, R, G, 1, True, LAST_REFERENT),
    (R, R, M, 1, True, LAST_REFERENT),
    (G, M, G, 1, False, REFERENT_ONLY),  # only a referent promotes
    (G, M, R, 1, False, REFERENT_ONLY),
    (M, M, G, 1, False, NOT_ALLOWED),  # a member changes nobody's role
    (M, M, M, 1, False, NOT_ALLOWED),
    (G, G, M, 1, False, NOT_ALLOWED),  # nobody touches someone at their own level
    (G, R, M, 1, False, NOT_ALLOWED),  # ... or above it
    (R, R, G, 2, False, NOT_ALLOWED),
    (M, M, G, 1, True, SELF_CHANGE),  # nobody promotes themselves
    (G, G, R, 1, True, SELF_CHANGE),
    (G, G, M, 1, True, SELF_CHANGE),
]


@pytest.mark.parametrize(("actor", "target", "new_role", "referents", "is_self", "key"), CASES)
def test_role_changes(
    actor: Role, target: Role, new_role: Role, referents: int, is_self: bool, key: str | None
) -> None:
    if key is None:
        check_role_change(actor, target, new_role, referents, is_self=is_self)
        return
    with pytest.raises(RoleRefused) as refused:
        check_role_change(actor, target, new_role, referents, is_self=is_self)
    assert refused.value.key == key


def test_too_many_referents_names_the_limit() -> None:
    with pytest.raises(RoleRefused) as refused:
        check_role_change(R, M, R, 2, is_self=False)
    assert refused.value.params == {"limit": 2}


@pytest.mark.parametrize(
    ("role", "referents", "key"),
    [(M, 1, None), (G, 1, None), (R, 2, None), (R, 1, LEAVE_LAST_REFERENT)],
)
def test_leaving(role: Role, referents: int, key: str | None) -> None:
    if key is None:
        check_leave(role, referents)
        return
    with pytest.raises(RoleRefused) as refused:
        check_leave(role, referents)
    assert refused.value.key == key


USERS = st.integers(min_value=0, max_value=5)
OPERATIONS = st.one_of(
    st.tuples(st.just("change"), USERS, USERS, st.sampled_from(list(Role))),
    st.tuples(st.just("leave"), USERS),
    st.tuples(st.just("join"), USERS),
)


def referents(team: dict[int, Role]) -> int:
    return sum(role is R for role in team.values())


def apply(team: dict[int, Role], operation: tuple) -> None:
    """Apply one attempted operation to the team if the rules allow it."""
    kind, user, *rest = operation
    if kind == "join":
        team.setdefault(user, M)
        return
    if user not in team:
        return
    try:
        if kind == "leave":
            check_leave(team[user], referents(team))
            del team[user]
            return
        target, new_role = rest
        if target not in team:
            return
        check_role_change(
            team[user], team[target], new_role, referents(team), is_self=user == target
        )
        team[target] = new_role
    except RoleRefused:
        pass


@given(st.lists(OPERATIONS, max_size=60))
def test_referent_invariants_hold_for_any_sequence(operations: list[tuple]) -> None:
    team = {0: R}
    for operation in operations:
        apply(team, operation)
        assert team, "the last referent can never leave, so a team is never emptied"
        assert 1 <= referents(team) <= MAX_REFERENTS
