"""Events and RSVPs on both engines: organisers only, valid times, the last seat, cancelling."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bridge.db.announcements import AnnouncementQueue
from bridge.db.events import EventRepository, EventStatus
from bridge.db.teams import Team
from bridge.domain.errors import DomainError
from bridge.domain.events import EventChanges, EventError, EventPlace, EventService
from bridge.domain.roles import Role
from bridge.domain.teams import TeamService

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2026, 11, 19, 14, 30, tzinfo=PARIS)
SATURDAY_10H = datetime(2026, 11, 21, 10, 0, tzinfo=PARIS)
MARKET = EventPlace("Marché de la Croix-Rousse, 69004 Lyon", "Lyon 4e Arrondissement", "69004")
ALICE, BOB, CAROL, DAVE = (f"@{name}:localhost" for name in ("alice", "bob", "carol", "dave"))


@pytest.fixture
async def setup(service: TeamService) -> AsyncIterator[tuple[EventService, Team]]:
    team = await service.create_team_at("Équipe Croix-Rousse", "local", "69004", ALICE)
    for member in (BOB, CAROL):
        await service.member_joined(team.id, member)
    await service.change_role(team.id, ALICE, BOB, Role.MANAGER)
    yield EventService(EventRepository(service.repository.db), service.repository), team


async def refused(key: str, coroutine: object) -> DomainError:
    with pytest.raises(DomainError) as error:
        await coroutine  # type: ignore[misc]
    assert error.value.key == key
    return error.value


async def test_managers_and_referents_organise_members_do_not(
    setup: tuple[EventService, Team],
) -> None:
    events, team = setup
    event = await events.create_event(
        team.id, BOB, "Tractage au marché", SATURDAY_10H, MARKET, now=NOW
    )
    assert (event.status, event.organizer, event.timezone) == (
        EventStatus.CONFIRMED,
        BOB,
        "Europe/Paris",
    )
    assert event.end_at - event.start_at == 2 * 3600 * 1000  # two hours unless said otherwise
    assert event.start_at == int(
        datetime(2026, 11, 21, 9, 0, tzinfo=ZoneInfo("UTC")).timestamp() * 1000
    )
    assert len(event.id) == 6
    await refused(
        "event.organizers_only",
        events.create_event(team.id, CAROL, "Porte-à-porte", SATURDAY_10H, MARKET, now=NOW),
    )
    await refused(
        "event.organizers_only",
        events.create_event(team.id, DAVE, "Porte-à-porte", SATURDAY_10H, MARKET, now=NOW),
    )


@pytest.mark.parametrize(
    ("start", "end", "title", "key"),
    [
        (NOW - timedelta(minutes=1), None, "Tractage", "event.past"),
        (SATURDAY_10H, SATURDAY_10H - timedelta(hours=1), "Tractage", "event.end_before_start"),
        (SATURDAY_10H, SATURDAY_10H + timedelta(days=7, minutes=1), "Tractage", "event.too_long"),
        (SATURDAY_10H, None, "  ab  ", "event.title.length"),
    ],
)
async def test_invalid_events_are_refused_and_nothing_is_stored(
    setup: tuple[EventService, Team], start: datetime, end: datetime | None, title: str, key: str
) -> None:
    events, team = setup
    await refused(key, events.create_event(team.id, ALICE, title, start, MARKET, end=end, now=NOW))
    assert await events.upcoming(team.id, now=NOW) == []


async def test_two_people_for_the_last_seat_only_one_gets_it(
    setup: tuple[EventService, Team],
) -> None:
    events, team = setup
    event = await events.create_event(
        team.id, ALICE, "Réunion", SATURDAY_10H, MARKET, capacity=2, now=NOW
    )
    first = await events.rsvp(event.id, ALICE, going=True, now=NOW)
    assert first.seats_left == 1
    outcomes = await asyncio.gather(
        events.rsvp(event.id, BOB, going=True, now=NOW),
        events.rsvp(event.id, CAROL, going=True, now=NOW),
        return_exceptions=True,
    )
    refusals = [o for o in outcomes if isinstance(o, EventError)]
    assert len(refusals) == 1, outcomes
    assert refusals[0].key == "event.full" and refusals[0].params["left"] == 0
    going = [r.user_id for r in await events.events.rsvps(event.id) if r.going]
    assert len(going) == 2 and ALICE in going

    # Saying no frees the seat; the same answer twice changes nothing.
    loser = CAROL if BOB in going else BOB
    winner = BOB if loser == CAROL else CAROL
    assert (await events.rsvp(event.id, winner, going=False, now=NOW)).seats_left == 1
    assert (await events.rsvp(event.id, loser, going=True, now=NOW)).changed
    assert not (await events.rsvp(event.id, loser, going=True, now=NOW)).changed
    await refused("event.full", events.rsvp(event.id, winner, going=True, now=NOW))


async def test_guests_count_and_members_only_events(setup: tuple[EventService, Team]) -> None:
    events, team = setup
    event = await events.create_event(
        team.id, ALICE, "Réunion", SATURDAY_10H, MARKET, capacity=3, visibility="members", now=NOW
    )
    await refused("event.members_only", events.rsvp(event.id, DAVE, going=True, now=NOW))
    error = await refused("event.full", events.rsvp(event.id, BOB, going=True, guests=3, now=NOW))
    assert error.params["left"] == 3
    assert (await events.rsvp(event.id, BOB, going=True, guests=2, now=NOW)).seats_left == 0
    await refused("event.guests.invalid", events.rsvp(event.id, CAROL, going=True, guests=-1))


async def test_editing_the_time_keeps_the_duration_and_bumps_the_sequence(
    setup: tuple[EventService, Team],
) -> None:
    events, team = setup
    event = await events.create_event(
        team.id, ALICE, "Réunion", SATURDAY_10H, MARKET,
        end=SATURDAY_10H + timedelta(hours=3), capacity=5, now=NOW,
    )  # fmt: skip
    await events.rsvp(event.id, CAROL, going=True, guests=1, now=NOW)
    later = SATURDAY_10H + timedelta(days=1, hours=4)
    edited = await events.edit_event(event.id, BOB, EventChanges(start=later), now=NOW)
    assert edited.start_at == int(later.timestamp() * 1000)
    assert edited.end_at - edited.start_at == 3 * 3600 * 1000
    assert edited.sequence == event.sequence + 1
    assert (await events.get_event(event.id)).start_at == edited.start_at
    await refused(
        "event.capacity.below_taken",
        events.edit_event(event.id, BOB, EventChanges(capacity=1), now=NOW),
    )
    await refused(
        "event.past",
        events.edit_event(event.id, BOB, EventChanges(start=NOW - timedelta(hours=1)), now=NOW),
    )
    await refused(
        "event.organizers_only",
        events.edit_event(event.id, CAROL, EventChanges(title="Autre"), now=NOW),
    )


async def test_cancelling_keeps_the_event_and_names_who_was_going(
    setup: tuple[EventService, Team],
) -> None:
    events, team = setup
    event = await events.create_event(team.id, ALICE, "Réunion", SATURDAY_10H, MARKET, now=NOW)
    await events.rsvp(event.id, BOB, going=True, now=NOW)
    await events.rsvp(event.id, CAROL, going=False, now=NOW)
    await refused("event.organizers_only", events.cancel_event(event.id, CAROL))
    cancelled, going = await events.cancel_event(f" #{event.id.upper()} ", BOB)
    assert cancelled.status is EventStatus.CANCELLED and going == [BOB]
    assert [e.status for e in await events.upcoming(team.id, now=NOW)] == [EventStatus.CANCELLED]
    await refused("event.cancelled", events.cancel_event(event.id, ALICE))
    await refused("event.cancelled", events.rsvp(event.id, CAROL, going=True, now=NOW))
    await refused("event.not_found", events.rsvp("zzzzzz", CAROL, going=True, now=NOW))


async def test_an_event_over_takes_no_more_answers(setup: tuple[EventService, Team]) -> None:
    events, team = setup
    event = await events.create_event(team.id, ALICE, "Réunion", SATURDAY_10H, MARKET, now=NOW)
    after = SATURDAY_10H + timedelta(hours=3)
    await refused("event.over", events.rsvp(event.id, BOB, going=True, now=after))


async def test_announcements_are_owed_once_per_change_and_the_newest_wins(
    setup: tuple[EventService, Team],
) -> None:
    events, team = setup
    queue = AnnouncementQueue(events.events.db)
    event = await events.create_event(team.id, ALICE, "Réunion", SATURDAY_10H, MARKET, now=NOW)
    (created,) = await queue.due()
    assert (created.event_id, created.kind, created.sequence) == (event.id, "created", 0)
    await queue.sent(created)
    assert await queue.due() == []

    await events.edit_event(event.id, ALICE, EventChanges(title="Réunion publique"), now=NOW)
    await events.edit_event(event.id, ALICE, EventChanges(title="Grande réunion"), now=NOW)
    (edited,) = await queue.due()  # the first edit is superseded by the second
    assert (edited.kind, edited.sequence) == ("edited", 2)
    assert edited.transaction_id == f"ralliement-announce-{event.id}-2"
    await queue.failed(edited, "M_LIMIT_EXCEEDED")
    assert await queue.due() == []  # retried later, not at once
    await events.cancel_event(event.id, ALICE)
    (cancelled,) = await queue.due()
    assert (cancelled.kind, cancelled.sequence) == ("cancelled", 3)
    await queue.sent(cancelled)
    assert await queue.due() == []


async def test_a_reaction_answers_and_removing_it_takes_the_answer_back(
    setup: tuple[EventService, Team],
) -> None:
    events, team = setup
    event = await events.create_event(team.id, ALICE, "Réunion", SATURDAY_10H, MARKET, now=NOW)
    await events.events.set_announcement(event.id, "$announce")
    assert (await events.event_of_announcement("$announce")).id == event.id  # type: ignore[union-attr]
    await events.rsvp(event.id, CAROL, going=True, now=NOW, reaction_id="$react")
    withdrawn = await events.withdraw_reaction("$react", now=NOW)
    assert withdrawn is not None and not withdrawn.rsvp.going
    assert await events.withdraw_reaction("$react", now=NOW) is None
    assert await events.withdraw_reaction("$unknown", now=NOW) is None


async def test_the_calendar_token_is_made_once(setup: tuple[EventService, Team]) -> None:
    events, team = setup
    token = await events.teams.calendar_token(team.id)
    assert token and len(token) >= 24
    assert await events.teams.calendar_token(team.id) == token
    assert await events.teams.calendar_token("no-such-team") is None
