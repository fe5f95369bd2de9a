"""What a bot's client sends where, with a stand-in for matrix-nio's client: an answer meant to
be private goes to the sender's DM with the bot and nothing to the room (the room gets it only
when no DM can be had); a message it cannot decrypt is explained once in a room several bots
share (by the bot that is not quiet there), and still in a room where the quiet bot answers
!aide (the moderation bot's admin room)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from nio import MatrixRoom, RoomMessageText

from bots import client as client_module
from bots.bot_hooks import BotIdentity, CommandScope, DirectRoomFinder
from bots.client import BotClient
from bots.commands import CommandContext, CommandRegistry, Reply
from bots.session import BotFolder

BOT = "@ralliement_moderation:localhost"


class FakeNio:
    """matrix-nio's client as ``BotClient`` calls it here: key requests."""

    def __init__(self) -> None:
        self.key_requests: list[str] = []

    async def request_room_key(self, event: Any) -> None:
        self.key_requests.append(event.event_id)


def bot(
    tmp_path: Path,
    *,
    quiet_in_groups: bool,
    command_scope: CommandScope | None = None,
    direct_rooms: DirectRoomFinder | None = None,
) -> tuple[BotClient, list[tuple[str, str]]]:
    registry = CommandRegistry()

    async def show_help(context: CommandContext) -> Reply:
        return registry.help_text(context.language)

    async def report(context: CommandContext) -> Reply:
        return Reply("Merci (dans le salon).", privately=Reply("Merci, en privé."))

    registry.command("aide", "help", help_key="help.aide")(show_help)
    registry.command("signaler", help_key="help.signaler")(report)
    client = BotClient(
        BotIdentity("moderation", BOT, "Modération"),
        homeserver="http://localhost",
        domain="localhost",
        api=None,  # type: ignore[arg-type]
        folder=BotFolder(tmp_path),
        pickle_key="key",
        registry=registry,
        language="fr",
        quiet_in_groups=quiet_in_groups,
        command_scope=command_scope,
        direct_rooms=direct_rooms,
    )
    client.client = FakeNio()  # type: ignore[assignment]
    sent: list[tuple[str, str]] = []

    async def send_message(room_id: str, content: dict[str, Any], *, key: str) -> str:
        sent.append((room_id, content["body"]))
        return "$sent"

    client.send_message = send_message  # type: ignore[method-assign,assignment]
    return client, sent


def room(*members: str) -> MatrixRoom:
    matrix_room = MatrixRoom("!team:localhost", BOT, encrypted=True)
    for member in (BOT, *members):
        matrix_room.add_member(member, None, None)
    return matrix_room


UNREADABLE = SimpleNamespace(event_id="$secret", sender="@alice:localhost", session_id="s1")


async def test_a_quiet_bot_asks_for_the_key_but_leaves_the_explanation_to_the_other_bot(
    tmp_path: Path,
) -> None:
    team_room = room("@alice:localhost", "@ralliement_agenda:localhost")
    quiet, sent = bot(tmp_path, quiet_in_groups=True)
    await quiet._explain_undecryptable(team_room, UNREADABLE)  # type: ignore[arg-type]
    assert sent == []
    assert quiet.client.key_requests == ["$secret"]  # type: ignore[union-attr]

    # In a DM the quiet bot explains; a bot that is not quiet explains in a group room too.
    await quiet._explain_undecryptable(room("@alice:localhost"), UNREADABLE)  # type: ignore[arg-type]
    talking, said = bot(tmp_path, quiet_in_groups=False)
    await talking._explain_undecryptable(team_room, UNREADABLE)  # type: ignore[arg-type]
    for replies in (sent, said):
        [(room_id, body)] = replies
        assert room_id == "!team:localhost"
        assert body.startswith("🔒 Je n'ai pas pu déchiffrer votre message")


async def test_a_quiet_bot_explains_where_it_answers_help(tmp_path: Path) -> None:
    async def scope(room_id: str, command: str) -> bool:
        return room_id == "!admin:localhost" and command == "aide"

    quiet, sent = bot(tmp_path, quiet_in_groups=True, command_scope=scope)
    admin_room = MatrixRoom("!admin:localhost", BOT, encrypted=True)
    for member in (BOT, "@mod:localhost", "@mod2:localhost"):
        admin_room.add_member(member, None, None)
    await quiet._explain_undecryptable(admin_room, UNREADABLE)  # type: ignore[arg-type]
    await quiet._explain_undecryptable(room("@a:localhost", "@b:localhost"), UNREADABLE)  # type: ignore[arg-type]
    assert [room_id for room_id, _ in sent] == ["!admin:localhost"]


@dataclass
class FakeDirectRooms:
    """The DM finder: None (being made) ``pending`` times, then the DM; or it fails."""

    pending: int = 0
    fail: bool = False
    asked: list[str] = field(default_factory=list)

    async def direct_room(self, bot: BotClient, user_id: str) -> str | None:
        self.asked.append(user_id)
        if self.fail:
            raise RuntimeError("homeserver unreachable")
        if len(self.asked) <= self.pending:
            return None
        return "!dm:localhost"


def command(body: str) -> RoomMessageText:
    event = RoomMessageText.from_dict(
        {
            "event_id": "$report",
            "sender": "@alice:localhost",
            "origin_server_ts": 0,
            "type": "m.room.message",
            "content": {"msgtype": "m.text", "body": body},
        }
    )
    assert isinstance(event, RoomMessageText)
    return event


async def answered(client: BotClient, matrix_room: MatrixRoom, body: str) -> None:
    """Answer ``body`` as the worker would: the command, its background work, then the sends."""
    await client._answer(matrix_room, command(body))
    while client._follow_ups:
        await asyncio.gather(*client._follow_ups)
    while not client._work.empty():
        await client._work.get_nowait()()


@pytest.fixture(autouse=True)
def quick_direct_rooms(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(client_module, "DIRECT_ROOM_WAIT_S", 0.3)
    monkeypatch.setattr(client_module, "DIRECT_ROOM_POLL_S", 0.05)


async def test_a_private_answer_goes_to_the_dm_and_nothing_to_the_room(tmp_path: Path) -> None:
    finder = FakeDirectRooms(pending=2)  # a new DM, synced at the third look
    private, sent = bot(tmp_path, quiet_in_groups=True, direct_rooms=finder)
    await answered(private, room("@alice:localhost", "@bob:localhost"), "!signaler")
    assert sent == [("!dm:localhost", "Merci, en privé.")]
    assert finder.asked == ["@alice:localhost"] * 3


@pytest.mark.parametrize("finder", [FakeDirectRooms(pending=1000), FakeDirectRooms(fail=True)])
async def test_without_a_dm_the_room_gets_the_answer(
    tmp_path: Path, finder: FakeDirectRooms
) -> None:
    client, sent = bot(tmp_path, quiet_in_groups=True, direct_rooms=finder)
    await answered(client, room("@alice:localhost", "@bob:localhost"), "!signaler")
    assert sent == [("!team:localhost", "Merci (dans le salon).")]


async def test_in_a_dm_the_private_answer_is_given_there(tmp_path: Path) -> None:
    finder = FakeDirectRooms()
    client, sent = bot(tmp_path, quiet_in_groups=True, direct_rooms=finder)
    await answered(client, room("@alice:localhost"), "!signaler")
    assert sent == [("!team:localhost", "Merci, en privé.")]
    assert finder.asked == []
