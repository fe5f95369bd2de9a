"""Which bots exist and how each is built: one place to add a bot."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from . import agenda, welcome
from .commands import CommandRegistry, Reply
from .i18n import Language
from .services import BotServices

RegistryFactory = Callable[[BotServices], CommandRegistry]


@dataclass(frozen=True)
class BotBlueprint:
    """How to build one bot.

    Attributes:
        registry: builds the bot's commands from the services they use.
        greeting: what the bot says when someone opens a DM with it.
        direct_only: the bot answers only in DMs; in a group room (a team room it was joined to
            with other bots) it stays silent, so that one command gets one answer.
    """

    registry: RegistryFactory
    greeting: Callable[[Language], Reply] | None = None
    direct_only: bool = False


BLUEPRINTS: dict[str, BotBlueprint] = {
    "welcome": BotBlueprint(
        registry=welcome.build_registry, greeting=welcome.greeting, direct_only=True
    ),
    # No greeting: the agenda bot is joined to team rooms by the appservice.
    "agenda": BotBlueprint(registry=agenda.build_registry),
}
