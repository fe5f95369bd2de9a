"""Running one command: its reply, a refusal in words, or an apology; never an exception."""

from __future__ import annotations

import logging

from bridge.domain.errors import DomainError

from .commands import Command, CommandContext, Reply
from .i18n import translate
from .refusals import refusal


async def run_command(command: Command, context: CommandContext, log: logging.Logger) -> Reply:
    """What ``command`` answers to ``context``; a :class:`DomainError` it raises becomes its
    :func:`refusal`, any other error an apology (and a log entry)."""
    try:
        return await command.handler(context)
    except DomainError as error:
        log.info("!%s from %s refused: %r", command.name, context.sender, error)
        return refusal(error, context.language)
    except Exception:
        log.exception("!%s from %s failed", command.name, context.sender)
        return Reply(translate("command.failed", context.language))
