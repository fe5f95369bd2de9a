"""The moderation bot: its commands, background tasks and quick actions, gathered.

- In the admin room, moderators (power 50 or more there) run the campaign's moderation:
  :mod:`bots.moderation_commands`. Typed elsewhere in a DM, those commands say they work only
  in the admin room; in team rooms the bot stays silent about them.
- In team rooms, supporters report a message with ``!signaler`` in reply to it:
  :mod:`bots.moderation_reports` (silent in the admin room). There the agenda bot answers
  ``!aide`` and lists ``!signaler``; this bot's ``!aide`` lists only the admin commands.
- It sends the admin room its alerts and takes reactions on them as quick actions:
  :mod:`bots.moderation_alerts`.
"""

from __future__ import annotations

from .bot_hooks import BackgroundTask, CommandScope, ReactionHandler
from .commands import CommandContext, CommandRegistry, Reply
from .moderation_alerts import ModerationAlertSender, QuickActions
from .moderation_commands import Admin, register_list_commands
from .moderation_purge import register_purge_command
from .moderation_reports import REPORT_HELP, register_report_commands
from .moderation_room_commands import register_room_commands
from .moderation_services import ModerationServices
from .services import BotServices

#: The commands supporters use in team rooms (:mod:`bots.moderation_reports`).
REPORT_COMMANDS = frozenset(REPORT_HELP.names)


def moderation_of(services: BotServices) -> ModerationServices:
    if services.moderation is None:
        raise ValueError("the moderation bot needs BotServices.moderation")
    return services.moderation


def build_registry(services: BotServices) -> CommandRegistry:
    registry = CommandRegistry()
    admin = Admin(moderation_of(services), services.domain, registry)
    register_list_commands(admin)
    register_room_commands(admin)
    register_purge_command(admin)
    register_report_commands(registry, services)

    @registry.command("aide", "help", help_key="help.aide")
    async def show_help(context: CommandContext) -> Reply:
        """The admin commands only: !signaler does not work where this bot answers !aide (in a
        team room the agenda bot answers it, and lists !signaler)."""
        return registry.help_text(context.language, leave_out=REPORT_COMMANDS)

    return registry


def command_scope(services: BotServices) -> CommandScope:
    """In the admin room: the admin commands and !aide; in any other group room (team rooms):
    only the report commands."""
    moderation = moderation_of(services)

    async def answers(room_id: str, command: str) -> bool:
        if room_id == await moderation.admin_room():
            return command not in REPORT_COMMANDS
        return command in REPORT_COMMANDS

    return answers


def background_tasks(services: BotServices) -> tuple[BackgroundTask, ...]:
    """Sending the admin room its alerts."""
    return (ModerationAlertSender(moderation_of(services), services.language),)


def quick_actions(services: BotServices) -> ReactionHandler:
    """Reactions of moderators on the alerts."""
    return QuickActions(moderation_of(services), services.language)
