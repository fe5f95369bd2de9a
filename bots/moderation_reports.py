"""``!signaler [raison]`` / ``!report [reason]``: a supporter reports a message of a team room to
the campaign's moderators, by typing the command in reply to it.

The bot reads the replied-to message (decrypted: :meth:`bots.client.BotClient.read_event`) and
records the report (:meth:`bridge.db.moderation_alerts.ReportRepository.add`), which owes the
admin room a ``report`` alert in the same transaction: the moderation bot sends it there with a
link to the message, its excerpt, the reason and who reported it (only moderators read the
admin room). The reporter's command is then removed from the team room (a redaction the
appservice carries out), so that the reason does not stay in the room's history, and the bot
thanks the reporter in their DM with it, not in the room (:attr:`bots.commands.Reply.privately`;
in the room only when no DM can be had). A second report of the same message by the same person
is removed and answered the same way.

Refused in the room, with the usage and an example: a command that is not a reply, outside a
team room, about a message the bot cannot read, a bot's message, or one's own.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bridge.db.managed_rooms import ManagedKind
from bridge.db.moderation_actions import ActionKind, ActionRequest
from bridge.domain.errors import DomainError
from bridge.domain.moderation.messages import excerpt

from .commands import CommandContext, CommandRegistry, HelpEntry, Reply
from .i18n import translate
from .moderation_services import ModerationServices
from .refusals import refusal
from .services import BotServices

NOT_A_REPLY = "report.not_a_reply"
NOT_A_TEAM_ROOM = "report.not_a_team_room"
UNREADABLE = "report.unreadable"
BOT_MESSAGE = "report.bot_message"
OWN_MESSAGE = "report.own_message"
USAGE = "report.usage"
#: What the ``moderation_action`` row that removes the command says caused it.
CAUSE = "report"
#: The command's names and help line; the agenda bot shows it in its help, since in a team room
#: it is the agenda bot that answers ``!aide``.
REPORT_HELP = HelpEntry(("signaler", "report"), "help.signaler", "[raison]")


def register_report_commands(registry: CommandRegistry, services: BotServices) -> None:
    """Declare ``!signaler`` / ``!report`` on the moderation bot's ``registry``."""
    moderation = services.moderation
    if moderation is None:
        raise ValueError("!signaler needs BotServices.moderation")

    async def report(context: CommandContext) -> Reply:
        try:
            return await _report(context, moderation)
        except DomainError as error:
            return refusal(error, context.language, hint=USAGE)

    registry.command(*REPORT_HELP.names, help_key=REPORT_HELP.help_key, usage=REPORT_HELP.usage)(
        report
    )


async def _report(context: CommandContext, moderation: ModerationServices) -> Reply:
    language = context.language
    room = await moderation.rooms.get(context.room_id)
    if room is None or room.kind is not ManagedKind.TEAM:
        raise DomainError(NOT_A_TEAM_ROOM)
    if context.reply_to is None or context.read_event is None:
        raise DomainError(NOT_A_REPLY)
    replied = await context.read_event(context.reply_to)
    author = replied.get("sender") if replied is not None else None
    if replied is None or not isinstance(author, str):
        raise DomainError(UNREADABLE)
    if author in moderation.our_users:
        raise DomainError(BOT_MESSAGE)
    if author == context.sender:
        raise DomainError(OWN_MESSAGE)
    content: Mapping[str, Any] = replied.get("content") or {}
    if not content:
        raise DomainError(UNREADABLE)  # Deleted: nothing left to show the moderators.
    _, new = await moderation.reports.add(
        room_id=context.room_id,
        event_id=context.reply_to,
        reported_user=author,
        reporter=context.sender,
        reason=context.args.strip(),
        excerpt=excerpt(content),
    )
    await moderation.actions.enqueue(
        [
            ActionRequest(
                room_id=context.room_id,
                user_id=context.sender,
                kind=ActionKind.REDACT,
                reason=translate("report.command_reason", language),
                cause=CAUSE,
                requested_by=moderation.bot_user_id,
                target_event=context.event_id,
            )
        ]
    )
    if not new:
        already = Reply(translate("report.already", language))
        return Reply(already.body, privately=already)
    thanks = translate("report.sent_privately", language, author=author, room=room.name)
    return Reply(translate("report.sent", language), privately=Reply(thanks))
