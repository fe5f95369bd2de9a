"""What a bot is made of besides its client: its identity, and the hooks a blueprint gives it
(reactions, conversation, background tasks, command scope, message watcher, DM finder).

Kept apart from :mod:`bots.client` so that the modules implementing a hook need not import the
client itself.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from nio import MatrixRoom

from .commands import CommandContext, Reply

if TYPE_CHECKING:
    from .client import BotClient


class ReactionHandler(Protocol):
    """What a bot does with reactions and their removal (redactions) in its rooms."""

    async def reacted(
        self, bot: BotClient, room_id: str, sender: str, reaction_id: str, target: str, key: str
    ) -> None: ...

    async def redacted(self, bot: BotClient, room_id: str, sender: str, redacted: str) -> None: ...


#: Answers a message that is not a command (a step of a conversation, e.g. an email address, or
#: a shared location as its ``geo:`` URI); None when no conversation is going on.
ConversationHandler = Callable[[CommandContext, str], Awaitable[Reply | None]]

#: A task that lives as long as the bot (e.g. sending what an outbox holds).
BackgroundTask = Callable[["BotClient"], Awaitable[None]]


class DirectRoomFinder(Protocol):
    """Finds or makes the DM of a bot with a person (:meth:`bots.alerts.AlertSender.direct_room`):
    its room id, or None while a new one is not synced yet."""

    async def direct_room(self, bot: BotClient, user_id: str) -> str | None: ...


#: Whether the bot answers ``command`` (a normalised name) in the group room ``room_id``; when
#: not, it stays silent there (e.g. the moderation bot's admin commands in a team room).
CommandScope = Callable[[str, str], Awaitable[bool]]


class MessageWatcher(Protocol):
    """What a bot does with everything said and every membership change in its rooms (not only
    commands): e.g. the moderation bot's protections. Events come as their (decrypted) source."""

    async def message(self, bot: BotClient, room: MatrixRoom, event: dict[str, Any]) -> None: ...

    async def member(self, bot: BotClient, room: MatrixRoom, event: dict[str, Any]) -> None: ...


def replied_event(content: dict[str, Any]) -> str | None:
    """The event a message replies to (``m.relates_to.m.in_reply_to``), if any."""
    relates = content.get("m.relates_to")
    reply = relates.get("m.in_reply_to") if isinstance(relates, dict) else None
    event_id = reply.get("event_id") if isinstance(reply, dict) else None
    return event_id if isinstance(event_id, str) else None


@dataclass(frozen=True)
class BotIdentity:
    name: str
    user_id: str
    displayname: str
