"""Events published as room state, read back as a member's client sees them."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bridge.db.events import EventRepository
from bridge.domain.events import EventChanges, EventPlace, EventService
from bridge.domain.teams import TeamService
from ralliement.devstack.stack import DevStack
from tests.integration.conftest import NewUser
from tests.integration.test_team_rooms import as_user, joined_member
from tests.support.homeserver import eventually, open_team_service

EVENT_STATE = "org.ralliement.event"
PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture
async def services(stack: DevStack) -> AsyncIterator[tuple[TeamService, EventService]]:
    teams = await open_team_service(stack)
    yield teams, EventService(EventRepository(teams.repository.db), teams.repository)
    await teams.repository.db.stop()


async def test_events_are_room_state_and_members_only_ones_hide_the_address(
    services: tuple[TeamService, EventService], new_user: NewUser
) -> None:
    teams, events = services
    alice = await new_user()
    team = await teams.create_team_at("Équipe Vaise", "local", "69009", alice.user_id)
    room_id = await joined_member(teams, team, alice)
    start = (datetime.now(PARIS) + timedelta(days=10)).replace(
        hour=10, minute=0, second=0, microsecond=0
    )
    market = EventPlace(
        "Place de Paris, 69009 Lyon", "Lyon 9e Arrondissement", "69009", 45.7742, 4.8049, "street"
    )
    public = await events.create_event(team.id, alice.user_id, "Tractage au marché", start, market)
    secret = EventPlace(
        "12 rue Secrète, 69009 Lyon", "Lyon 9e Arrondissement", "69009", 45.77421, 4.80493
    )
    private = await events.create_event(
        team.id, alice.user_id, "Réunion d'équipe", start + timedelta(days=1), secret,
        visibility="members",
    )  # fmt: skip

    state = await eventually(
        lambda: as_user(alice).state(room_id),
        lambda s: (EVENT_STATE, public.id) in s and (EVENT_STATE, private.id) in s,
    )
    published = state[(EVENT_STATE, public.id)]
    utc_hour = start.astimezone(ZoneInfo("UTC")).hour
    assert published["start"] == {
        "utc": start.astimezone(ZoneInfo("UTC")).strftime(f"%Y-%m-%dT{utc_hour:02d}:00:00Z"),
        "localtime": start.strftime("%Y-%m-%dT10:00:00"),
        "timezone": "Europe/Paris",
    }
    assert published["status"] == "confirmed" and published["kind"] == "action"
    assert published["location"] == {
        "name": "Place de Paris, 69009 Lyon",
        "uri": "geo:45.774200,4.804900",
    }
    hidden = state[(EVENT_STATE, private.id)]
    assert hidden["location"] == {"name": "Lyon 9e Arrondissement", "uri": "geo:45.77,4.80"}
    assert "Secrète" not in str(hidden)

    # Editing and cancelling update the same state; a cancelled event stays, marked.
    await events.edit_event(
        public.id, alice.user_id, EventChanges(start=start + timedelta(hours=2))
    )
    await events.cancel_event(private.id, alice.user_id)
    state = await eventually(
        lambda: as_user(alice).state(room_id),
        lambda s: (
            s[(EVENT_STATE, private.id)]["status"] == "cancelled"
            and s[(EVENT_STATE, public.id)]["start"]["localtime"].endswith("T12:00:00")
        ),
    )
    assert state[(EVENT_STATE, public.id)]["sequence"] == 1
