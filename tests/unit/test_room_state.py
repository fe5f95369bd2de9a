"""The projection's pure parts: what a team room's state should hold."""

from __future__ import annotations

from bridge.db.teams import Member, Team, TeamKind
from bridge.domain.roles import Role
from bridge.rooms import state

TEAM = Team(
    id="gerland-a1b2c3",
    name="Équipe Gerland",
    kind=TeamKind.LOCAL,
    description="Les insoumis du 7e",
    commune="Lyon 7e Arrondissement",
    postcode="69007",
    departement="69",
    latitude=45.7324,
    longitude=4.8384,
    room_id=None,
    created_at=1_790_000_000_000,
    archived_at=None,
)


def member(user_id: str, role: Role) -> Member:
    return Member(TEAM.id, user_id, role, joined_at=0)


def test_team_state_is_commune_level_only() -> None:
    content = state.team_state(TEAM)
    assert content["location"] == {"name": "Lyon 7e Arrondissement", "uri": "geo:45.73,4.84"}
    assert "archived_at" not in content
    assert state.topic(TEAM) == "Les insoumis du 7e — Lyon 7e Arrondissement (69007)"


def test_power_levels_come_from_roles_and_drop_hand_made_levels() -> None:
    current = {
        "users": {"@intruder:localhost": 100, "@alice:localhost": 0},
        "events": {"m.room.name": 0, "im.vector.modular.widgets": 50},
        "notifications": {"room": 50},
    }
    members = [member("@alice:localhost", Role.REFERENT), member("@bob:localhost", Role.MEMBER)]
    levels = state.power_levels(members, ["@ralliement_agenda:localhost"], current)
    assert levels["users"] == {"@alice:localhost": 100, "@ralliement_agenda:localhost": 50}
    assert levels["events"]["im.vector.modular.widgets"] == 50  # not ours: kept
    assert levels["events"]["m.room.name"] == 50  # ours: put back
    assert levels["events"][state.TEAM_STATE] == state.APPSERVICE_ONLY
    assert levels["notifications"] == {"room": 50}
    assert levels["users_default"] == 0


def test_join_rules_restricted_knock_and_archived() -> None:
    allow = [{"type": "m.room_membership", "room_id": "!space:localhost"}]
    assert state.join_rules("!space:localhost", allow_knock=False, archived=False) == {
        "join_rule": "restricted",
        "allow": allow,
    }
    assert state.join_rules("!space:localhost", allow_knock=True, archived=False) == {
        "join_rule": "knock_restricted",
        "allow": allow,
    }
    assert state.join_rules("!space:localhost", allow_knock=True, archived=True) == {
        "join_rule": "invite"
    }
