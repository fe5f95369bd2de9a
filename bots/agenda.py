"""The agenda bot: lives in the team rooms, where the appservice makes it join."""

from __future__ import annotations

from .commands import CommandContext, CommandRegistry, Reply


def build_registry() -> CommandRegistry:
    registry = CommandRegistry()

    @registry.command("aide", "help", help_key="help.aide")
    async def show_help(context: CommandContext) -> Reply:
        return registry.help_text(context.language)

    return registry
