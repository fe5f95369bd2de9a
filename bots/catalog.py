"""Which bots exist and how each is built: one place to add a bot."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from . import agenda, welcome
from .commands import CommandRegistry, Reply
from .i18n import Language


@dataclass(frozen=True)
class BotBlueprint:
    registry: Callable[[], CommandRegistry]
    greeting: Callable[[Language], Reply] | None = None


BLUEPRINTS: dict[str, BotBlueprint] = {
    "welcome": BotBlueprint(registry=welcome.build_registry, greeting=welcome.greeting),
    # No greeting: the agenda bot is joined to team rooms by the appservice, not invited to DMs.
    "agenda": BotBlueprint(registry=agenda.build_registry),
}
