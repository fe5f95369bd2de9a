"""The bots process: every enabled bot in one asyncio program, each with its own device."""

from __future__ import annotations

import asyncio
import logging

import aiohttp

from ralliement.config import Config
from ralliement.readiness import announce_ready

from .catalog import BLUEPRINTS
from .client import BotClient, BotIdentity
from .homeserver_api import HomeserverAPI
from .session import BotFolder

log = logging.getLogger("bots")


def build_bots(config: Config, api: HomeserverAPI) -> list[BotClient]:
    bots = []
    for name, settings in config.bots.bots.items():
        if not settings.enabled:
            continue
        blueprint = BLUEPRINTS[name]
        bots.append(
            BotClient(
                BotIdentity(name, config.bot_user_id(name), settings.displayname),
                homeserver=config.homeserver.address,
                domain=config.homeserver.domain,
                api=api,
                folder=BotFolder(config.bots.store_dir / settings.localpart),
                pickle_key=config.bots.pickle_key,
                registry=blueprint.registry(),
                language=config.locale.language,
                greeting=blueprint.greeting,
            )
        )
    return bots


async def run_bots(config: Config, stop: asyncio.Event) -> None:
    """Start every enabled bot, announce readiness, run until ``stop`` is set."""
    assert config.appservice.as_token
    async with aiohttp.ClientSession() as session:
        api = HomeserverAPI(session, config.homeserver.address, config.appservice.as_token)
        bots = build_bots(config, api)
        started: list[BotClient] = []
        try:
            for bot in bots:
                await bot.start()
                started.append(bot)
            announce_ready(
                "bots",
                bots={bot.identity.name: bot.identity.user_id for bot in started},
                devices={bot.identity.name: bot.device_id for bot in started},
            )
            await stop.wait()
        finally:
            for bot in started:
                await bot.stop()
