"""Declared bot commands: names (French first, then aliases), help line, handler.

Help and "did you mean" suggestions are generated from the declarations; no command is parsed in an
if-chain. Argument types come with later commands.
"""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Awaitable, Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .i18n import Language, translate

PREFIX = "!"


@dataclass(frozen=True)
class Reply:
    """What a bot answers: plain text, optionally HTML.

    Attributes:
        follow_up: Work that finishes later (e.g. waiting for a room to be created): the bot runs
            it in the background after sending this reply, and sends what it returns, if anything.
        privately: What to tell the sender in their DM with the bot instead, when the command
            came in a group room (e.g. a report's thanks, which must not show who reported):
            the room then gets nothing. This reply itself is the room's answer only when no DM
            can be had (see :meth:`bots.client.BotClient.answer_privately`).
    """

    body: str
    html: str | None = None
    follow_up: Callable[[], Awaitable[Reply | None]] | None = field(default=None, compare=False)
    privately: Reply | None = None


@dataclass(frozen=True)
class CommandContext:
    """Who asked what, where, in which language.

    Attributes:
        mentions: The users the message mentions, in order: its pills (``matrix.to`` links in the
            HTML body) or else its ``m.mentions.user_ids``; never the bot itself.
        names: The display names of the room's members, by user ID (only those that have one).
        reply_to: The event the message replies to (``m.in_reply_to``), if it is a reply.
        read_event: Reads an event of the room by its ID, decrypted: ``{"sender", "content"}``,
            or None when it cannot be read (e.g. ``reply_to``'s, for ``!plus-tard``).
    """

    sender: str
    room_id: str
    event_id: str
    args: str
    language: Language
    mentions: tuple[str, ...] = ()
    names: Mapping[str, str] = field(default_factory=dict)
    reply_to: str | None = None
    read_event: Callable[[str], Awaitable[dict[str, Any] | None]] | None = field(
        default=None, compare=False
    )


Handler = Callable[[CommandContext], Awaitable[Reply]]


@dataclass(frozen=True)
class Command:
    names: tuple[str, ...]
    help_key: str
    handler: Handler
    usage: str = ""

    @property
    def name(self) -> str:
        return self.names[0]


@dataclass(frozen=True)
class HelpEntry:
    """A help line for a command another bot answers in the same rooms (e.g. the moderation
    bot's ``!signaler`` in the agenda bot's help of a team room)."""

    names: tuple[str, ...]
    help_key: str
    usage: str = ""


@dataclass(frozen=True)
class ParsedCommand:
    name: str
    args: str


def normalise_name(name: str) -> str:
    """Case- and accent-insensitive command names: ``!Créer`` finds ``!creer``."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def parse_command(body: str) -> ParsedCommand | None:
    """``"!aide  foo"`` → ("aide", "foo"); None when the text is not a command."""
    text = body.strip()
    if not text.startswith(PREFIX):
        return None
    name, _, args = text[len(PREFIX) :].strip().partition(" ")
    return ParsedCommand(normalise_name(name), args.strip())


@dataclass
class CommandRegistry:
    """The commands one bot answers."""

    commands: list[Command] = field(default_factory=list)

    def command(self, *names: str, help_key: str, usage: str = "") -> Callable[[Handler], Handler]:
        """Declare a command: ``@registry.command("aide", "help", help_key="help.aide")``."""

        def declare(handler: Handler) -> Handler:
            normalised = tuple(normalise_name(n) for n in names)
            clash = {n for n in normalised if self.find(n)}
            if clash:
                raise ValueError(f"command name(s) declared twice: {sorted(clash)}")
            self.commands.append(Command(normalised, help_key, handler, usage))
            return handler

        return declare

    def find(self, name: str) -> Command | None:
        return next((c for c in self.commands if name in c.names), None)

    def suggestion(self, name: str) -> str | None:
        """The closest known command name, for a typo."""
        known = [n for c in self.commands for n in c.names]
        close = difflib.get_close_matches(name, known, n=1, cutoff=0.7)
        return PREFIX + close[0] if close else None

    def help_text(
        self,
        language: Language,
        *,
        leave_out: Collection[str] = (),
        others: Sequence[HelpEntry] = (),
    ) -> Reply:
        """The declared commands, one line each, but those named in ``leave_out`` (commands
        that do not work where the help is asked); then ``others``, another bot's commands."""
        lines = [translate("help.header", language)]
        html = [f"<p>{translate('help.header', language)}</p><ul>"]
        shown = [c for c in self.commands if c.name not in leave_out]
        entries = [HelpEntry(c.names, c.help_key, c.usage) for c in shown] + list(others)
        for entry in entries:
            aliases = " / ".join(PREFIX + n for n in entry.names)
            usage = f" {entry.usage}" if entry.usage else ""
            description = translate(entry.help_key, language)
            lines.append(f"• {aliases}{usage} — {description}")
            html.append(f"<li><code>{aliases}{usage}</code> — {description}</li>")
        example = PREFIX + entries[0].names[0] if entries else PREFIX
        footer = translate("help.footer", language, example=example)
        lines.append(footer)
        html.append(f"</ul><p>{footer}</p>")
        return Reply("\n".join(lines), "".join(html))

    def unknown(self, name: str, language: Language) -> Reply:
        if not name:
            return Reply(translate("command.empty", language))
        shown = PREFIX + name
        suggestion = self.suggestion(name)
        if suggestion:
            return Reply(
                translate("command.unknown_suggest", language, command=shown, suggestion=suggestion)
            )
        return Reply(translate("command.unknown", language, command=shown))
