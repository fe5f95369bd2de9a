"""Event reminders on both engines: what an RSVP, an edit and a cancellation leave in the
``reminder`` table (who, which kind, when, status), in Europe/Paris and across a DST change."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from zoneinfo import ZoneInfo

import pytest

from bridge.db.events import Event, EventRepository
from bridge.db.reminders import Reminder, ReminderRepository
from bridge.db.teams import Team
from bridge.domain.event_reminders import REPORT, EventReminders, person_key, still_useful
from bridge.domain.events import EventChanges, EventPlace, EventService
from bridge.domain.reminders import ReminderScheduler
from bridge.domain.roles import Role
from bridge.domain.teams import TeamService

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2026, 11, 19, 14, 30, tzinfo=PARIS)  # a Thursday
SATURDAY_10H = datetime(2026, 11, 21, 10, 0, tzinfo=PARIS)
MARKET = EventPlace("Marché de la Croix-Rousse, 69004 Lyon", "Lyon 4e Arrondissement", "69004")
ALICE, BOB, CAROL, DAVE = (f"@{name}:localhost" for name in ("alice", "bob", "carol", "dave"))


def ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


def paris(due_at: int) -> datetime:
    return datetime.fromtimestamp(due_at / 1000, PARIS)


@dataclass
class Setup:
    events: EventService
    team: Team

    async def rows(self, event: Event, *, status: str | None = "scheduled") -> dict[str, Row]:
        """The event's reminders (of ``status`` unless None), by a readable name."""
        found = await self.events.events.db.fetch(
            "SELECT id, user_id, kind, status, due_at FROM reminder WHERE event_id = $1",
            event.id,
        )
        rows = {}
        for row in found:
            if status is not None and row["status"] != status:
                continue
            who = {person_key(user): user.split(":")[0][1:] for user in (ALICE, BOB, CAROL, DAVE)}
            name = row["id"].removeprefix(f"ev-{event.id}-")
            for key, person in who.items():
                name = name.replace(key, person)
            rows[name] = Row(row["user_id"], row["kind"], row["status"], paris(row["due_at"]))
        return rows

    async def set_offsets(self, user_id: str, offsets: str) -> None:
        await self.events.events.db.execute(
            "INSERT INTO reminder_settings (user_id, offsets, updated_at) VALUES ($1, $2, 0)"
            " ON CONFLICT (user_id) DO UPDATE SET offsets = excluded.offsets",
            user_id,
            offsets,
        )

    async def saturday_market(
        self,
        start: datetime = SATURDAY_10H,
        *,
        end: datetime | None = None,
        capacity: int | None = None,
    ) -> Event:
        return await self.events.create_event(
            self.team.id, ALICE, "Tractage au marché", start, MARKET, end=end, capacity=capacity,
            now=NOW,
        )  # fmt: skip


@dataclass(frozen=True)
class Row:
    user_id: str
    kind: str
    status: str
    due: datetime


@pytest.fixture
async def setup(service: TeamService) -> AsyncIterator[Setup]:
    team = await service.create_team_at("Équipe Croix-Rousse", "local", "69004", ALICE)
    for member in (BOB, CAROL):
        await service.member_joined(team.id, member)
    await service.change_role(team.id, ALICE, BOB, Role.MANAGER)
    events = EventService(EventRepository(service.repository.db), service.repository)
    yield Setup(events, team)


async def test_going_schedules_two_reminders_and_the_event_its_room_and_report(
    setup: Setup,
) -> None:
    event = await setup.saturday_market()
    assert await setup.rows(event) == {
        "room": Row(ALICE, "event_room", "scheduled", datetime(2026, 11, 21, 9, 0, tzinfo=PARIS)),
        "report": Row(
            ALICE, "event_report", "scheduled", datetime(2026, 11, 22, 10, 0, tzinfo=PARIS)
        ),
    }
    await setup.events.rsvp(event.id, BOB, going=True, now=NOW)
    rows = await setup.rows(event)
    assert rows["bob-24h"] == Row(
        BOB, "event_attendee", "scheduled", datetime(2026, 11, 20, 10, 0, tzinfo=PARIS)
    )
    assert rows["bob-1h"] == Row(
        BOB, "event_attendee", "scheduled", datetime(2026, 11, 21, 9, 0, tzinfo=PARIS)
    )
    assert set(rows) == {"room", "report", "bob-24h", "bob-1h"}
    # The rows name the event and the kind; the bot writes the text and finds the room.
    stored = await ReminderRepository(setup.events.events.db).scheduled_of(BOB)
    assert {(r.event_id, r.text, r.room_id, r.timezone) for r in stored} == {
        (event.id, "", None, "Europe/Paris")
    }


async def test_times_across_the_change_to_winter_time(setup: Setup) -> None:
    """Paris goes from UTC+2 to UTC+1 on Sunday 25 October 2026 at 03:00."""
    sunday = datetime(2026, 10, 25, 10, 0, tzinfo=PARIS)
    created = datetime(2026, 10, 20, 12, 0, tzinfo=PARIS)
    event = await setup.events.create_event(
        setup.team.id, ALICE, "Porte-à-porte", sunday, MARKET, now=created
    )
    await setup.events.rsvp(event.id, BOB, going=True, now=created)
    rows = await setup.rows(event)
    # 24 hours before, not "the same time the day before": the clocks went back in between.
    assert rows["bob-24h"].due == datetime(2026, 10, 24, 11, 0, tzinfo=PARIS)
    assert ms(rows["bob-24h"].due) == ms(sunday) - 24 * 3600 * 1000
    assert rows["bob-1h"].due == datetime(2026, 10, 25, 9, 0, tzinfo=PARIS)
    assert rows["report"].due == datetime(2026, 10, 26, 10, 0, tzinfo=PARIS)

    # An evening the day before the change: the report is at 10:00 on the new (winter) clock.
    saturday = datetime(2026, 10, 24, 20, 0, tzinfo=PARIS)
    evening = await setup.events.create_event(
        setup.team.id, ALICE, "Réunion publique", saturday, MARKET, now=created
    )
    report = (await setup.rows(evening))["report"].due
    assert report == datetime(2026, 10, 25, 10, 0, tzinfo=PARIS)
    assert report.utcoffset() == timedelta(hours=1)


async def test_the_report_waits_for_the_morning_after_the_end(setup: Setup) -> None:
    late = datetime(2026, 11, 21, 22, 0, tzinfo=PARIS)
    overnight = await setup.saturday_market(late, end=late + timedelta(hours=4))
    assert (await setup.rows(overnight))["report"].due == datetime(
        2026, 11, 22, 10, 0, tzinfo=PARIS
    )
    weekend = await setup.saturday_market(end=SATURDAY_10H + timedelta(days=1, hours=2))
    assert (await setup.rows(weekend))["report"].due == datetime(2026, 11, 23, 10, 0, tzinfo=PARIS)


async def test_each_person_s_own_offsets_or_none(setup: Setup) -> None:
    await setup.set_offsets(CAROL, "48h,2h, 30min")
    await setup.set_offsets(DAVE, "off")
    await setup.set_offsets(ALICE, "n'importe quoi")  # unreadable: the default applies
    event = await setup.saturday_market()
    for person in (ALICE, BOB, CAROL, DAVE):
        await setup.events.rsvp(event.id, person, going=True, now=NOW)
    rows = await setup.rows(event)
    attendees = {name: row.due for name, row in rows.items() if row.kind == "event_attendee"}
    assert attendees == {
        "alice-24h": datetime(2026, 11, 20, 10, 0, tzinfo=PARIS),
        "alice-1h": datetime(2026, 11, 21, 9, 0, tzinfo=PARIS),
        "bob-24h": datetime(2026, 11, 20, 10, 0, tzinfo=PARIS),
        "bob-1h": datetime(2026, 11, 21, 9, 0, tzinfo=PARIS),
        # 48 h before is Thursday 10:00, already past when Carol answers: not scheduled.
        "carol-2h": datetime(2026, 11, 21, 8, 0, tzinfo=PARIS),
        "carol-30min": datetime(2026, 11, 21, 9, 30, tzinfo=PARIS),
    }


async def test_changing_one_s_offsets_moves_one_s_reminders(setup: Setup) -> None:
    event = await setup.saturday_market()
    other = await setup.saturday_market(SATURDAY_10H + timedelta(days=1))
    for each in (event, other):
        await setup.events.rsvp(each.id, BOB, going=True, now=NOW)
    await setup.set_offsets(BOB, "3h")
    await setup.events.reminders.offsets_changed(setup.events.events, BOB, now=ms(NOW))
    for each in (event, other):
        rows = await setup.rows(each)
        assert {name for name in rows if name.startswith("bob")} == {"bob-3h"}
        assert rows["bob-3h"].due == paris(each.start_at) - timedelta(hours=3)
    await setup.set_offsets(BOB, "off")
    await setup.events.reminders.offsets_changed(setup.events.events, BOB, now=ms(NOW))
    assert not {name for name in await setup.rows(event) if name.startswith("bob")}


async def test_not_going_cancels_and_going_again_brings_them_back(setup: Setup) -> None:
    event = await setup.saturday_market()
    await setup.events.rsvp(event.id, BOB, going=True, now=NOW)
    await setup.events.rsvp(event.id, CAROL, going=True, now=NOW)
    await setup.events.rsvp(event.id, BOB, going=False, now=NOW)
    cancelled = await setup.rows(event, status="cancelled")
    assert set(cancelled) == {"bob-24h", "bob-1h"}
    assert set(await setup.rows(event)) == {"room", "report", "carol-24h", "carol-1h"}

    later = NOW + timedelta(days=1, hours=2)  # Friday 16:30: the 24 h reminder's time is past
    await setup.events.rsvp(event.id, BOB, going=True, now=later)
    assert set(await setup.rows(event)) == {"room", "report", "carol-24h", "carol-1h", "bob-1h"}
    assert set(await setup.rows(event, status="cancelled")) == {"bob-24h"}


async def test_a_withdrawn_reaction_cancels(setup: Setup) -> None:
    event = await setup.saturday_market()
    await setup.events.rsvp(event.id, BOB, going=True, now=NOW, reaction_id="$check")
    await setup.events.withdraw_reaction("$check", now=NOW)
    assert set(await setup.rows(event, status="cancelled")) == {"bob-24h", "bob-1h"}


async def test_answering_again_adds_nothing(setup: Setup) -> None:
    event = await setup.saturday_market(capacity=10)
    for guests in (0, 0, 2, 2):
        await setup.events.rsvp(event.id, BOB, going=True, guests=guests, now=NOW)
    count = await setup.events.events.db.fetchval(
        "SELECT COUNT(*) FROM reminder WHERE event_id = $1", event.id
    )
    assert count == 4
    assert set(await setup.rows(event)) == {"room", "report", "bob-24h", "bob-1h"}


async def test_an_event_half_an_hour_away_gets_only_its_report(setup: Setup) -> None:
    soon = await setup.saturday_market(NOW + timedelta(minutes=30))
    await setup.events.rsvp(soon.id, BOB, going=True, now=NOW)
    assert set(await setup.rows(soon, status=None)) == {"report"}


async def test_moving_the_event_moves_every_reminder_still_to_send(setup: Setup) -> None:
    event = await setup.saturday_market()
    for person in (BOB, CAROL):
        await setup.events.rsvp(event.id, person, going=True, now=NOW)
    await setup.events.rsvp(event.id, DAVE, going=True, now=NOW)
    await setup.events.rsvp(event.id, DAVE, going=False, now=NOW)
    # Carol's 24 h reminder went out already (Friday 10:00); then the event moves to Sunday 15:00.
    reminders = ReminderRepository(setup.events.events.db)
    friday = ms(datetime(2026, 11, 20, 10, 0, tzinfo=PARIS))
    sent = [r for r in await reminders.claim_due(10, now=friday) if r.user_id == CAROL]
    for reminder in sent:
        await reminders.mark_sent(reminder, late=False, now=friday)
    await reminders.db.execute("UPDATE reminder SET status = 'scheduled' WHERE status = 'sending'")

    sunday = datetime(2026, 11, 22, 15, 0, tzinfo=PARIS)
    friday_noon = datetime(2026, 11, 20, 12, 0, tzinfo=PARIS)
    await setup.events.edit_event(event.id, ALICE, EventChanges(start=sunday), now=friday_noon)
    assert {name: row.due for name, row in (await setup.rows(event)).items()} == {
        "room": datetime(2026, 11, 22, 14, 0, tzinfo=PARIS),
        "report": datetime(2026, 11, 23, 10, 0, tzinfo=PARIS),
        "bob-24h": datetime(2026, 11, 21, 15, 0, tzinfo=PARIS),
        "bob-1h": datetime(2026, 11, 22, 14, 0, tzinfo=PARIS),
        "carol-1h": datetime(2026, 11, 22, 14, 0, tzinfo=PARIS),
    }
    # Carol's sent reminder stays sent, at its old time: it is not sent a second time.
    assert {name: row.due for name, row in (await setup.rows(event, status="sent")).items()} == {
        "carol-24h": datetime(2026, 11, 20, 10, 0, tzinfo=PARIS)
    }
    # Dave said no: his cancelled reminders do not come back with the move.
    assert set(await setup.rows(event, status="cancelled")) == {"dave-24h", "dave-1h"}


async def test_moving_it_closer_drops_the_past_ones_and_back_brings_them(setup: Setup) -> None:
    event = await setup.saturday_market()
    await setup.events.rsvp(event.id, BOB, going=True, now=NOW)
    in_ninety_minutes = NOW + timedelta(minutes=90)
    await setup.events.edit_event(event.id, ALICE, EventChanges(start=in_ninety_minutes), now=NOW)
    assert {name: row.due for name, row in (await setup.rows(event, status=None)).items()} == {
        "room": datetime(2026, 11, 19, 15, 0, tzinfo=PARIS),
        "report": datetime(2026, 11, 20, 10, 0, tzinfo=PARIS),
        "bob-1h": datetime(2026, 11, 19, 15, 0, tzinfo=PARIS),
    }
    await setup.events.edit_event(event.id, ALICE, EventChanges(start=SATURDAY_10H), now=NOW)
    assert set(await setup.rows(event)) == {"room", "report", "bob-24h", "bob-1h"}


async def test_an_edit_of_the_title_only_changes_no_reminder(setup: Setup) -> None:
    event = await setup.saturday_market()
    await setup.events.rsvp(event.id, BOB, going=True, now=NOW)
    before = await setup.rows(event)
    await setup.events.edit_event(event.id, ALICE, EventChanges(title="Tractage"), now=NOW)
    assert await setup.rows(event) == before


async def test_cancelling_cancels_them_all(setup: Setup) -> None:
    event = await setup.saturday_market()
    for person in (BOB, CAROL):
        await setup.events.rsvp(event.id, person, going=True, now=NOW)
    await setup.events.cancel_event(event.id, ALICE)
    assert await setup.rows(event) == {}
    assert set(await setup.rows(event, status="cancelled")) == {
        "room",
        "report",
        "bob-24h",
        "bob-1h",
        "carol-24h",
        "carol-1h",
    }


class Failing(EventReminders):
    async def rsvp_changed(self, *args: object, **options: object) -> None:
        await super().rsvp_changed(*args, **options)  # type: ignore[arg-type]
        raise RuntimeError("the database went away")


async def test_a_failure_leaves_neither_the_answer_nor_its_reminders(setup: Setup) -> None:
    event = await setup.saturday_market()
    failing = EventService(setup.events.events, setup.events.teams, Failing())
    with pytest.raises(RuntimeError):
        await failing.rsvp(event.id, BOB, going=True, now=NOW)
    assert await setup.events.events.rsvps(event.id) == []
    assert set(await setup.rows(event)) == {"room", "report"}


async def test_the_scheduler_sends_them_when_due_and_drops_pointless_ones(setup: Setup) -> None:
    db = setup.events.events.db
    event = await setup.saturday_market()
    for person in (BOB, CAROL):
        await setup.events.rsvp(event.id, person, going=True, now=NOW)
    sent: list[tuple[str, str]] = []

    async def send(reminder: Reminder, late: bool) -> None:
        sent.append((reminder.user_id, reminder.kind))

    scheduler = ReminderScheduler(
        ReminderRepository(db), send, partial(still_useful, db, now=ms(SATURDAY_10H) - 1)
    )
    friday = ms(datetime(2026, 11, 20, 10, 0, tzinfo=PARIS))
    assert await scheduler.run_once(now=friday) == 2
    assert sorted(sent) == [(BOB, "event_attendee"), (CAROL, "event_attendee")]

    # Carol says no after her first reminder: her 1 h one is not sent.
    await setup.events.rsvp(event.id, CAROL, going=False, now=NOW)
    await db.execute(
        "UPDATE reminder SET status = 'scheduled' WHERE user_id = $1 AND status = 'cancelled'",
        CAROL,
    )  # as if her answer came while the scheduler held the row
    sent.clear()
    assert await scheduler.run_once(now=ms(SATURDAY_10H) - 1) == 3
    assert sorted(sent) == [(ALICE, "event_room"), (BOB, "event_attendee")]
    assert set(await setup.rows(event, status="dropped")) == {"carol-1h"}


async def test_still_useful_follows_the_event(setup: Setup) -> None:
    db = setup.events.events.db
    event = await setup.saturday_market()
    await setup.events.rsvp(event.id, BOB, going=True, now=NOW)
    reminders = {r.kind: r for r in await ReminderRepository(db).scheduled_of(BOB)}
    report = next(r for r in await ReminderRepository(db).scheduled_of(ALICE) if r.kind == REPORT)
    attendee = reminders["event_attendee"]
    assert await still_useful(db, attendee, now=ms(NOW))
    assert not await still_useful(db, attendee, now=event.start_at)  # too late: it has begun
    await setup.events.cancel_event(event.id, ALICE)
    assert not await still_useful(db, attendee, now=ms(NOW))
    assert not await still_useful(db, report, now=ms(NOW))
