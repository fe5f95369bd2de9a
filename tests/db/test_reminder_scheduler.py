"""The reminder scheduler on both engines: each reminder delivered once, across crashes, on time
or marked late, repeating ones moved to their next wall-clock time across a DST change."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from mautrix.util.async_db import Database

from bridge.db import create_database
from bridge.db.reminders import LEASE_MS, Reminder, ReminderRepository
from bridge.domain.reminders import ReminderScheduler, recurrence_json
from ralliement.when import Frequency, Recurrence

PARIS = ZoneInfo("Europe/Paris")


def ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


def reminder(number: int, due: datetime, *, recurrence: Recurrence | None = None) -> Reminder:
    return Reminder(
        id=f"r{number:05d}", user_id=f"@u{number % 7}:localhost", room_id="!dm:localhost",
        kind="personal", event_id=None, text=f"rappel {number}", due_at=ms(due),
        timezone="Europe/Paris", recurrence=recurrence_json(recurrence) if recurrence else None,
        status="scheduled", occurrence=0, claimed_at=None, sent_at=None, late=False,
        created_at=0,
    )  # fmt: skip


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[Database]:
    database = create_database(database_url)
    await database.start()
    yield database
    await database.stop()


class Outbox:
    """What a homeserver would keep: one message per transaction key."""

    def __init__(self) -> None:
        self.delivered: dict[str, bool] = {}
        self.attempts = 0

    async def send(self, item: Reminder, late: bool) -> None:
        self.attempts += 1
        self.delivered.setdefault(item.transaction_key, late)


async def always(_: Reminder) -> bool:
    return True


NOW = datetime(2026, 11, 21, 18, 0, tzinfo=PARIS)


async def test_two_schedulers_deliver_each_due_reminder_once(db: Database) -> None:
    repository = ReminderRepository(db)
    for number in range(200):
        await repository.add(reminder(number, NOW - timedelta(seconds=number % 50)))
    await repository.add(reminder(999, NOW + timedelta(hours=1)))  # not due yet
    outbox = Outbox()
    schedulers = [ReminderScheduler(repository, outbox.send, always, batch=20) for _ in range(2)]

    async def drain(scheduler: ReminderScheduler) -> None:
        while await scheduler.run_once(now=ms(NOW)):
            pass

    await asyncio.gather(*(drain(s) for s in schedulers))
    assert outbox.attempts == 200  # nobody sent a reminder another had claimed
    assert len(outbox.delivered) == 200
    assert (await repository.get("r00999")).status == "scheduled"  # type: ignore[union-attr]


async def test_a_crash_after_sending_delivers_once(db: Database) -> None:
    repository = ReminderRepository(db)
    await repository.add(reminder(1, NOW))
    outbox = Outbox()
    (claimed,) = await repository.claim_due(10, now=ms(NOW))
    await outbox.send(claimed, False)  # sent, then the process died before marking it
    assert await repository.claim_due(10, now=ms(NOW) + 1) == []  # still held by the dead claim

    later = ms(NOW) + LEASE_MS + 1
    scheduler = ReminderScheduler(repository, outbox.send, always)
    assert await scheduler.run_once(now=later) == 1
    assert outbox.attempts == 2 and len(outbox.delivered) == 1  # the same key: dropped as a repeat
    assert (await repository.get("r00001")).status == "sent"  # type: ignore[union-attr]


async def test_late_dropped_and_failed_reminders(db: Database) -> None:
    repository = ReminderRepository(db)
    await repository.add(reminder(1, NOW - timedelta(hours=2)))  # due while the bots were down
    await repository.add(reminder(2, NOW - timedelta(hours=2)))  # its event is over
    await repository.add(reminder(3, NOW))  # the homeserver refuses it once
    outbox = Outbox()
    refused: set[str] = set()

    async def send(item: Reminder, late: bool) -> None:
        if item.id == "r00003" and item.id not in refused:
            refused.add(item.id)
            raise RuntimeError("M_LIMIT_EXCEEDED")
        await outbox.send(item, late)

    async def useful(item: Reminder) -> bool:
        return item.id != "r00002"

    scheduler = ReminderScheduler(repository, send, useful)
    await scheduler.run_once(now=ms(NOW))
    assert outbox.delivered == {"reminder/r00001/0": True}
    assert (await repository.get("r00002")).status == "dropped"  # type: ignore[union-attr]
    assert (await repository.get("r00003")).status == "scheduled"  # type: ignore[union-attr]
    await scheduler.run_once(now=ms(NOW))
    assert outbox.delivered["reminder/r00003/0"] is False


async def test_a_weekly_reminder_keeps_its_wall_clock_time_across_dst(db: Database) -> None:
    repository = ReminderRepository(db)
    tuesdays = Recurrence(Frequency.WEEKLY, weekdays=(1,), at=time(19, 0))
    first = datetime(2026, 10, 20, 19, 0, tzinfo=PARIS)  # the Tuesday before the change
    await repository.add(reminder(1, first, recurrence=tuesdays))
    outbox = Outbox()
    scheduler = ReminderScheduler(repository, outbox.send, always)
    await scheduler.run_once(now=ms(first))
    moved = await repository.get("r00001")
    assert moved is not None and moved.status == "scheduled" and moved.occurrence == 1
    assert datetime.fromtimestamp(moved.due_at / 1000, PARIS) == datetime(
        2026, 10, 27, 19, 0, tzinfo=PARIS
    )  # 19:00 in Paris, now UTC+1 instead of UTC+2
    await scheduler.run_once(now=moved.due_at)
    assert set(outbox.delivered) == {"reminder/r00001/0", "reminder/r00001/1"}
