"""Personal reminders against the real Synapse, checked from the receiving clients: set with
!rappel in a DM with the reminders bot, delivered encrypted exactly once, snoozed by replying;
and a batch interrupted by ``kill -9`` of the bots process, each reminder delivered once anyway.

The clock is the database's: instead of waiting, a test moves a reminder's ``due_at`` to now (and,
after the crash, the dead process's claims to their lease's end).
"""

from __future__ import annotations

import asyncio
import re
import time
from collections import Counter
from collections.abc import AsyncIterator

import pytest
from mautrix.util.async_db import Database

from bots.reminders_views import REMINDER_KEY
from bridge.db import create_database
from bridge.db.clock import now_ms
from bridge.db.reminders import LEASE_MS, Reminder, ReminderRepository
from ralliement.devstack.stack import DevStack
from tests.integration.conftest import NewUser
from tests.support.homeserver import eventually, stack_config
from tests.support.matrix_user import MatrixUser, Received

pytestmark = pytest.mark.integration


@pytest.fixture
async def db(stack: DevStack) -> AsyncIterator[Database]:
    """The stack's database, as the bots see it."""
    database = create_database(stack_config(stack).database.url, migrate=False)
    await database.start()
    yield database
    await database.stop()


def reminders_bot(stack: DevStack) -> str:
    assert stack.info is not None
    return stack.info.bots["reminders"]


async def open_dm(stack: DevStack, user: MatrixUser) -> str:
    """A DM with the reminders bot, once it has greeted."""
    bot = reminders_bot(stack)
    room_id = await user.direct_chat(bot)
    await user.wait_for(lambda m: m.sender == bot and "!rappel" in (m.body or ""), timeout=60)
    return room_id


async def say(user: MatrixUser, room_id: str, text: str) -> str:
    event_id = await user.send_text(room_id, text)
    return (await user.reply_to(event_id, timeout=60)).body or ""


def reminder_of(message: Received) -> str | None:
    marker = message.source.get("content", {}).get(REMINDER_KEY)
    return marker.get("id") if isinstance(marker, dict) else None


def delivered(user: MatrixUser) -> Counter[str]:
    """How many messages the user received for each reminder."""
    return Counter(i for m in user.received if (i := reminder_of(m)) is not None)


async def test_a_reminder_arrives_encrypted_once_and_is_snoozed_by_a_reply(
    stack: DevStack, new_user: NewUser, db: Database
) -> None:
    user = await new_user()
    room_id = await open_dm(stack, user)
    answer = await say(user, room_id, "!rappel dans 1 heure relancer la mairie")
    assert answer.startswith("⏰ C'est noté : le ") and "« relancer la mairie »" in answer
    found = re.search(r"Identifiant ([a-z0-9]{6}) ;", answer)
    assert found is not None, answer
    reminder_id = found[1]
    repository = ReminderRepository(db)
    stored = await repository.get(reminder_id)
    assert stored is not None and stored.room_id == room_id and stored.status == "scheduled"

    await repository.move(reminder_id, now_ms())  # an hour later
    message = await user.wait_for(lambda m: reminder_of(m) == reminder_id, timeout=60)
    assert message.sender == reminders_bot(stack)
    assert message.encrypted and message.decrypted
    assert (message.body or "").splitlines() == [
        "⏰ Rappel : relancer la mairie",
        "Répondez « !plus-tard 1h » pour que je vous le rappelle plus tard.",
    ]
    await eventually(lambda: repository.get(reminder_id), lambda r: r is not None
                     and r.status == "sent")  # fmt: skip
    await asyncio.sleep(3)
    assert delivered(user)[reminder_id] == 1

    # !plus-tard in reply to it: the bot reads the reminder back from the encrypted message.
    response = await user.client.room_send(
        room_id,
        "m.room.message",
        {
            "msgtype": "m.text",
            "body": "!plus-tard 2h",
            "m.relates_to": {"m.in_reply_to": {"event_id": message.event_id}},
        },
        ignore_unverified_devices=True,
    )
    snoozed = await user.reply_to(response.event_id, timeout=60)  # type: ignore[union-attr]
    assert (snoozed.body or "").startswith("⏰ D'accord, je vous le rappelle le ")
    found = re.search(r"Identifiant ([a-z0-9]{6})\.", snoozed.body or "")
    assert found is not None, snoozed.body
    again = await repository.get(found[1])
    assert again is not None
    assert (again.text, again.room_id, again.status) == ("relancer la mairie", room_id, "scheduled")
    assert abs(again.due_at - (now_ms() + 2 * 3600_000)) < 120_000

    listed = await say(user, room_id, "!rappels")
    assert f"• {again.id} — " in listed and "relancer la mairie" in listed
    assert (await say(user, room_id, f"!rappel annuler {again.id}")).startswith(
        f"🗑️ Rappel {again.id} annulé"
    )


PER_USER = 12


def due_now(number: int, user_id: str, room_id: str, moment: int) -> Reminder:
    return Reminder(
        id=f"crash{number:03d}", user_id=user_id, room_id=room_id, kind="personal",
        event_id=None, text=f"rappel numéro {number}", due_at=moment, timezone="Europe/Paris",
        recurrence=None, status="scheduled", occurrence=0, claimed_at=None, sent_at=None,
        late=False, created_at=moment,
    )  # fmt: skip


async def sent_count(db: Database, ids: list[str]) -> int:
    rows = await db.fetch("SELECT id, status FROM reminder WHERE id LIKE 'crash%'")
    return sum(1 for row in rows if row["id"] in ids and row["status"] == "sent")


async def test_a_crash_in_the_middle_of_a_batch_delivers_each_reminder_once(
    stack: DevStack, new_user: NewUser, db: Database
) -> None:
    users = [await new_user() for _ in range(3)]
    rooms = [await open_dm(stack, user) for user in users]
    repository = ReminderRepository(db)
    await db.execute("DELETE FROM reminder WHERE id LIKE 'crash%'")  # a rerun on the same stack
    moment = now_ms()
    reminders = [
        due_now(index * PER_USER + n, user.user_id, room, moment)
        for index, (user, room) in enumerate(zip(users, rooms, strict=True))
        for n in range(PER_USER)
    ]
    ids = [reminder.id for reminder in reminders]
    for reminder in reminders:  # all due at once: one batch
        assert await repository.add(reminder)

    deadline = time.monotonic() + 60
    while (sent := await sent_count(db, ids)) < 3:
        assert time.monotonic() < deadline, "the batch never started"
        await asyncio.sleep(0.01)
    await stack.restart("bots", crash=True)  # kill -9 while the batch is being sent
    assert 0 < sent < len(ids), f"{sent} sent before the crash: not in the middle of the batch"

    # The dead process's claims are let go when their lease ends: move them there.
    await db.execute(
        "UPDATE reminder SET claimed_at = claimed_at - $1 WHERE id LIKE 'crash%'"
        " AND status = 'sending'",
        LEASE_MS + 1,
    )
    await eventually(lambda: sent_count(db, ids), lambda count: count == len(ids), timeout=120)
    for user, own in zip(users, [ids[i : i + PER_USER] for i in range(0, len(ids), PER_USER)],
                         strict=True):  # fmt: skip
        await user.wait_until(lambda u=user, o=own: set(o) <= set(delivered(u)), timeout=60)
    await asyncio.sleep(5)  # time for a duplicate to show up

    for user, room in zip(users, rooms, strict=True):
        counts = delivered(user)
        own = {r.id for r in reminders if r.user_id == user.user_id}
        assert set(counts) == own
        assert all(count == 1 for count in counts.values()), counts
        messages = [m for m in user.received if reminder_of(m) in own]
        assert all(m.decrypted for m in messages)
        assert {m.body.splitlines()[0] for m in messages if m.body} == {
            f"⏰ Rappel : {r.text}" for r in reminders if r.room_id == room
        }
