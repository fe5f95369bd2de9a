"""The agenda bot's alert sender on both engines, with a stand-in for the Matrix side: the DM it
finds or makes, the transaction key that makes a repeat after a crash harmless, and the alerts
it drops. (Against the real Synapse: tests/integration/test_discovery.py.)"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import pytest
from nio import MatrixRoom, RoomCreateResponse

from bots.alerts import AlertSender, alert_key
from bots.bot_hooks import BotIdentity
from bridge.db.alerts import AlertRepository
from bridge.db.direct_rooms import DirectRoomRepository
from tests.db.test_alerts import PARIS, World, later
from tests.db.test_alerts import world as world  # the fixture

BOT = "@ralliement_agenda:localhost"
NEAR = "@near:localhost"


@dataclass
class FakeClient:
    """What the sender uses of a matrix-nio client: the synced rooms, creating and leaving."""

    rooms: dict[str, MatrixRoom] = field(default_factory=dict)
    created: list[dict[str, Any]] = field(default_factory=list)
    left: list[str] = field(default_factory=list)

    async def room_create(self, **options: Any) -> RoomCreateResponse:
        self.created.append(options)
        return RoomCreateResponse(f"!dm{len(self.created)}:localhost")

    async def room_leave(self, room_id: str) -> None:
        self.left.append(room_id)

    def sync_room(self, room_id: str, user_id: str, *, invited: bool) -> MatrixRoom:
        """The bot's sync learns the room: encrypted, the bot joined, the person too or
        invited."""
        room = MatrixRoom(room_id, BOT, encrypted=True)
        room.join_rule = "invite"
        room.add_member(BOT, None, None)
        room.add_member(user_id, None, None, invited=invited)
        self.rooms[room_id] = room
        return room


@dataclass
class FakeBot:
    identity: BotIdentity = field(default_factory=lambda: BotIdentity("agenda", BOT, "Agenda"))
    client: FakeClient = field(default_factory=FakeClient)
    sent: list[tuple[str, str, dict[str, Any]]] = field(default_factory=list)

    async def send_message(
        self, room_id: str, content: dict[str, Any], *, key: str, event_type: str = "m.room.message"
    ) -> str:
        self.sent.append((room_id, key, content))
        return f"$sent{len(self.sent)}"


def sender(world: World) -> AlertSender:
    """A new sender (as after a restart) over the world's database."""
    return AlertSender(
        world.matcher(),
        AlertRepository(world.db),
        world.events,
        world.teams,
        world.supporters,
        DirectRoomRepository(world.db),
        PARIS,
        "fr",
        lambda: datetime.now(PARIS),
    )


@pytest.fixture
async def ready(world: World) -> AsyncIterator[World]:
    await world.matcher().step()
    await world.subscriber(NEAR, "Villeurbanne", 10)
    yield world


async def test_a_new_dm_then_the_alert_once_even_after_a_crash(ready: World) -> None:
    world, bot = ready, FakeBot()
    event = await world.event("Tractage au marché")
    await world.matcher().step(now=later())

    # No DM yet: one is created (direct, encrypted, the person invited); the alert waits for it.
    first = sender(world)
    await first.round(bot)  # type: ignore[arg-type]
    [options] = bot.client.created
    assert options["is_direct"] is True and options["invite"] == [NEAR]
    states = {state["type"]: state["content"] for state in options["initial_state"]}
    assert states["m.room.encryption"] == {"algorithm": "m.megolm.v1.aes-sha2"}
    assert states["m.room.history_visibility"] == {"history_visibility": "invited"}
    assert bot.sent == []
    await first.round(bot)  # type: ignore[arg-type]
    assert bot.sent == [] and len(bot.client.created) == 1  # not synced yet: no second DM

    # Synced, the person only invited: sent; then the bot "crashes" before marking it sent.
    bot.client.sync_room("!dm1:localhost", NEAR, invited=True)

    async def crash(*_: object) -> None:
        raise RuntimeError("killed")

    first.alerts.mark_sent = crash  # type: ignore[method-assign]
    await first.round(bot)  # type: ignore[arg-type]
    [(room_id, key, content)] = bot.sent
    assert (room_id, key) == ("!dm1:localhost", f"alert/{event.id}/{NEAR}")
    assert content["msgtype"] == "m.text"
    assert content["body"].startswith("🔔 Nouvel événement près de chez vous (")
    assert f"!jyvais {event.id}" in content["body"]
    assert [d.status for d in await world.alerts.deliveries()] == ["pending"]

    # After the restart it is sent again with the same key (so the same transaction id, which
    # the homeserver drops), then marked sent; nothing more afterwards.
    restarted = sender(world)
    await restarted.round(bot)  # type: ignore[arg-type]
    assert [(room, key) for room, key, _ in bot.sent] == [("!dm1:localhost", key)] * 2
    [delivery] = await world.alerts.deliveries()
    assert delivery.status == "sent" and alert_key(delivery) == key
    await restarted.round(bot)  # type: ignore[arg-type]
    assert len(bot.sent) == 2


async def test_an_existing_dm_is_used_and_a_left_one_replaced(ready: World) -> None:
    world, bot = ready, FakeBot()
    bot.client.sync_room("!talk:localhost", NEAR, invited=False)  # a DM the person opened
    team_room = bot.client.sync_room("!team:localhost", NEAR, invited=False)
    team_room.join_rule = "restricted"  # a team room with only them is no DM
    await world.event("Première")
    await world.matcher().step(now=later())
    alerts = sender(world)
    await alerts.round(bot)  # type: ignore[arg-type]
    assert [room for room, _, _ in bot.sent] == ["!talk:localhost"] and not bot.client.created

    # The person leaves that DM: the next alert makes a new one.
    bot.client.rooms["!talk:localhost"].remove_member(NEAR)
    await world.event("Deuxième")
    await world.matcher().step(now=later())
    await alerts.round(bot)  # type: ignore[arg-type]
    assert bot.client.left == ["!talk:localhost"] and len(bot.client.created) == 1
    bot.client.sync_room("!dm1:localhost", NEAR, invited=True)
    await alerts.round(bot)  # type: ignore[arg-type]
    assert [room for room, _, _ in bot.sent] == ["!talk:localhost", "!dm1:localhost"]


async def test_alerts_that_no_longer_apply_are_dropped(ready: World) -> None:
    world, bot = ready, FakeBot()
    bot.client.sync_room("!talk:localhost", NEAR, invited=False)
    cancelled = await world.event("Annulée ensuite")
    await world.matcher().step(now=later())
    await world.events.cancel_event(cancelled.id, "@organiser:localhost")
    await sender(world).round(bot)  # type: ignore[arg-type]
    assert bot.sent == [] and await world.alerts.deliveries() == []
