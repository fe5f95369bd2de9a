"""The welcome bot: the first conversation a supporter has with the campaign."""

from __future__ import annotations

from .commands import CommandContext, CommandRegistry, Reply
from .i18n import translate


def build_registry() -> CommandRegistry:
    registry = CommandRegistry()

    @registry.command("aide", "help", help_key="help.aide")
    async def show_help(context: CommandContext) -> Reply:
        return registry.help_text(context.language)

    return registry


def greeting(language: str) -> Reply:
    return Reply(translate("welcome.greeting", language))
