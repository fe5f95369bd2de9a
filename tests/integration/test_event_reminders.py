"""Event reminders against the real Synapse, checked from the receiving client: a person going
gets the reminder encrypted in their DM with the reminders bot, at the time an edit moved it to;
a cancelled event's reminder never comes.

The clock is the database's: instead of waiting hours, the test moves a reminder's ``due_at``
to now once the domain has scheduled it.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bots.i18n import format_moment
from bots.reminders_views import REMINDER_KEY
from bridge.db.clock import now_ms
from bridge.db.events import EventRepository
from bridge.db.reminders import ReminderRepository
from bridge.domain.events import EventChanges, EventPlace, EventService
from bridge.domain.teams import TeamService
from ralliement.devstack.stack import DevStack
from tests.integration.conftest import NewUser
from tests.support.homeserver import open_team_service
from tests.support.matrix_user import MatrixUser, Received

pytestmark = pytest.mark.integration

PARIS = ZoneInfo("Europe/Paris")
PLACE = EventPlace("Place Gabriel-Péri, 69007 Lyon", "Lyon 7e Arrondissement", "69007")
HOUR_MS = 3_600_000


@pytest.fixture
async def services(stack: DevStack) -> AsyncIterator[tuple[TeamService, EventService]]:
    teams = await open_team_service(stack)
    yield teams, EventService(EventRepository(teams.repository.db), teams.repository)
    await teams.repository.db.stop()


def reminder_of(message: Received) -> str | None:
    marker = message.source.get("content", {}).get(REMINDER_KEY)
    return marker.get("id") if isinstance(marker, dict) else None


def delivered(user: MatrixUser) -> Counter[str]:
    return Counter(i for m in user.received if (i := reminder_of(m)) is not None)


async def test_going_edit_and_cancel_as_the_person_sees_them(
    stack: DevStack, services: tuple[TeamService, EventService], new_user: NewUser
) -> None:
    teams, events = services
    bot = stack.info.bots["reminders"]  # type: ignore[union-attr]
    alice, bob = await new_user(), await new_user()
    await bob.direct_chat(bot, timeout=60)  # Bob's DM with the reminders bot
    team = await teams.create_team_at("Équipe Guillotière", "local", "69007", alice.user_id)
    reminders = ReminderRepository(teams.repository.db)

    async def bobs_reminder(event_id: str) -> str:
        (only,) = [r for r in await reminders.scheduled_of(bob.user_id) if r.event_id == event_id]
        return only.id

    start = (datetime.now(PARIS) + timedelta(hours=3)).replace(second=0, microsecond=0)
    event = await events.create_event(
        team.id, alice.user_id, "Porte-à-porte Guillotière", start, PLACE
    )
    await events.rsvp(event.id, bob.user_id, going=True)
    # Three hours ahead: the 24 h reminder's time is past; the 1 h one is scheduled.
    one_hour = await bobs_reminder(event.id)
    assert one_hour.endswith("-1h")

    # The organiser moves the event two hours later: the reminder follows.
    moved = await events.edit_event(
        event.id, alice.user_id, EventChanges(start=start + timedelta(hours=2))
    )
    stored = await reminders.get(one_hour)
    assert stored is not None and stored.due_at == moved.start_at - HOUR_MS

    # Its time comes: Bob gets it once, encrypted, with the new time and the place.
    await reminders.move(one_hour, now_ms())
    message = await bob.wait_for(lambda m: reminder_of(m) == one_hour, timeout=60)
    assert message.sender == bot and message.encrypted and message.decrypted
    lines = (message.body or "").splitlines()
    assert lines[0].startswith("⏰ Rappel : « Porte-à-porte Guillotière » commence ")
    when = format_moment(moved.start_at, moved.end_at, PARIS, "fr", this_year=start.year)
    assert lines[1:3] == [f"📅 {when}", f"📍 {PLACE.text}"]

    # A cancelled event's reminder does not come, even once its time has passed; one of
    # another event, due just after it, does.
    cancelled = await events.create_event(team.id, alice.user_id, "Réunion d'équipe", start, PLACE)
    await events.rsvp(cancelled.id, bob.user_id, going=True)
    never = await bobs_reminder(cancelled.id)
    await events.cancel_event(cancelled.id, alice.user_id)
    stored = await reminders.get(never)
    assert stored is not None and stored.status == "cancelled"
    await teams.repository.db.execute(
        "UPDATE reminder SET due_at = $1 WHERE id = $2", now_ms(), never
    )
    other = await events.create_event(team.id, alice.user_id, "Tractage au marché", start, PLACE)
    await events.rsvp(other.id, bob.user_id, going=True)
    control = await bobs_reminder(other.id)
    await reminders.move(control, now_ms() + 1_000)
    await bob.wait_for(lambda m: reminder_of(m) == control, timeout=60)
    await asyncio.sleep(2)
    received = delivered(bob)
    assert received[one_hour] == 1 and received[control] == 1 and never not in received
