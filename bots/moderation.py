"""The moderation bot: its commands, background tasks and quick actions, gathered.

- In the admin room, moderators (power 50 or more there) run the campaign's moderation:
  :mod:`bots.moderation_commands`.
- In team rooms, supporters report a message with ``!signaler`` in reply to it:
  :mod:`bots.moderation_reports`.
- It sends the admin room its alerts and takes reactions on them as quick actions:
  :mod:`bots.moderation_alerts`.
"""

from __future__ import annotations

from .client import BackgroundTask, ReactionHandler
from .commands import CommandContext, CommandRegistry, Reply
from .moderation_services import ModerationServices
from .services import BotServices


def moderation_of(services: BotServices) -> ModerationServices:
    if services.moderation is None:
        raise ValueError("the moderation bot needs BotServices.moderation")
    return services.moderation


def build_registry(services: BotServices) -> CommandRegistry:
    registry = CommandRegistry()
    moderation_of(services)

    @registry.command("aide", "help", help_key="help.aide")
    async def show_help(context: CommandContext) -> Reply:
        return registry.help_text(context.language)

    return registry


def background_tasks(services: BotServices) -> tuple[BackgroundTask, ...]:
    moderation_of(services)
    return ()


def quick_actions(services: BotServices) -> ReactionHandler:
    raise NotImplementedError("written with the alerts (bots.moderation_alerts)")
