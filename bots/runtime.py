"""The bots process: config → database (the appservice's, not migrated here) → services → every
enabled bot, each with its own device → ready → shutdown."""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta

import aiohttp
from mautrix.util.async_db import Database

from bridge.calendar.links import public_base_url
from bridge.db.joining import JoiningRepository
from bridge.db.spaces import SpaceRepository
from bridge.db.teams import TeamRepository
from bridge.db.verification import VerificationRepository
from bridge.domain.supporters import SupporterService
from bridge.domain.teams import TeamService
from bridge.domain.verification import VerificationService, VerificationSettings
from ralliement.config import Config
from ralliement.geo.geocoding import Geocoder, geocoder_from_config
from ralliement.mail.factory import mailer_from_config
from ralliement.readiness import announce_ready

from .bot_hooks import BotIdentity
from .catalog import BLUEPRINTS
from .client import BotClient
from .database import DatabaseNotReady, open_shared_database
from .discovery_services import DiscoveryServices, DiscoverySettings
from .homeserver_api import HomeserverAPI
from .joining import JoiningFlow
from .membership import CampaignMembership
from .moderation_services import ModerationServices
from .reminders_services import DeliverySettings, ReminderServices
from .services import BotServices
from .session import BotFolder

log = logging.getLogger("bots")


def build_bots(config: Config, api: HomeserverAPI, services: BotServices) -> list[BotClient]:
    enabled = [name for name, settings in config.bots.bots.items() if settings.enabled]
    registries = {name: BLUEPRINTS[name].registry(services) for name in enabled}
    bots = []
    for name in enabled:
        settings = config.bots.bots[name]
        blueprint = BLUEPRINTS[name]
        # Commands of the other bots living in the same team rooms: not "unknown" there.
        others_commands = frozenset(
            command_name
            for other in enabled
            if other != name and blueprint.group_rooms and BLUEPRINTS[other].group_rooms
            for command in registries[other].commands
            for command_name in command.names
        )
        bots.append(
            BotClient(
                BotIdentity(name, config.bot_user_id(name), settings.displayname),
                homeserver=config.homeserver.address,
                domain=config.homeserver.domain,
                api=api,
                folder=BotFolder(config.bots.store_dir / settings.localpart),
                pickle_key=config.bots.pickle_key,
                registry=registries[name],
                language=config.locale.language,
                greeting=blueprint.greeting,
                direct_only=blueprint.direct_only,
                quiet_in_groups=blueprint.quiet_in_groups,
                reactions=blueprint.reactions(services) if blueprint.reactions else None,
                background=blueprint.background(services),
                conversation=blueprint.conversation(services) if blueprint.conversation else None,
                watcher=blueprint.watcher(services) if blueprint.watcher else None,
                command_scope=blueprint.command_scope(services)
                if blueprint.command_scope
                else None,
                others_commands=others_commands,
                direct_rooms=blueprint.direct_rooms(services) if blueprint.direct_rooms else None,
            )
        )
    return bots


async def run_bots(config: Config, stop: asyncio.Event) -> None:
    """Start every enabled bot, announce readiness, run until ``stop`` is set."""
    assert config.appservice.as_token
    try:
        db = await open_shared_database(config.database.url)
    except DatabaseNotReady as error:
        log.error("%s", error)
        raise SystemExit(1) from None
    geocoder = geocoder_from_config(config, db)
    try:
        async with aiohttp.ClientSession() as session:
            api = HomeserverAPI(session, config.homeserver.address, config.appservice.as_token)
            services = BotServices.on_database(
                db,
                domain=config.homeserver.domain,
                zone=config.locale.zone,
                language=config.locale.language,
                calendar_base_url=public_base_url(config.appservice),
                joining=build_joining(config, db, api),
                discovery=build_discovery(config, db, geocoder),
                reminders=build_reminders(config, db),
                moderation=build_moderation(config, db, api),
            )
            await _run(build_bots(config, api, services), stop)
    finally:
        await geocoder.close()
        await db.stop()


def build_discovery(config: Config, db: Database, geocoder: Geocoder) -> DiscoveryServices:
    """The agenda bot's searches and alerts: places located by the configured geocoder, the
    configured default radius and daily cap of alerts."""
    welcome = config.bots.bots.get("welcome")
    return DiscoveryServices.on_database(
        db,
        geocoder=geocoder,
        settings=DiscoverySettings(
            default_radius_km=config.discovery.default_radius_km,
            max_alerts_per_day=config.discovery.max_alerts_per_day,
        ),
        welcome_bot=config.bot_user_id("welcome") if welcome and welcome.enabled else None,
    )


def build_moderation(config: Config, db: Database, api: HomeserverAPI) -> ModerationServices | None:
    """The moderation bot's services; None when the moderation bot is off."""
    bot = config.bots.bots.get("moderation")
    if bot is None or not bot.enabled:
        return None
    bots = {config.bot_user_id(name) for name in config.bots.bots}
    return ModerationServices.on_database(
        db,
        settings=config.moderation,
        api=api,
        bot_user_id=config.bot_user_id("moderation"),
        our_users=frozenset({config.appservice_bot_user_id, *bots}),
        allow_knock=config.campaign.allow_knock,
    )


def build_reminders(config: Config, db: Database) -> ReminderServices:
    """The reminders bot's services, with the configured lateness, offsets and batch."""
    section = config.reminders
    return ReminderServices.on_database(
        db,
        zone=config.locale.zone,
        settings=DeliverySettings(
            late_after=timedelta(minutes=section.late_after_minutes),
            default_offsets=section.default_offsets,
            batch=section.batch,
        ),
    )


def build_joining(config: Config, db: Database, api: HomeserverAPI) -> JoiningFlow:
    """The joining conversation over the shared database, sending codes as configured."""
    return JoiningFlow(
        conversations=JoiningRepository(db),
        supporters=SupporterService.on_database(db),
        verification=VerificationService(
            VerificationRepository(db),
            mailer_from_config(config),
            VerificationSettings.from_config(config.joining),
        ),
        teams=TeamService(TeamRepository(db)),
        membership=CampaignMembership(api, SpaceRepository(db)),
        open_joining=config.joining.open,
    )


async def _run(bots: list[BotClient], stop: asyncio.Event) -> None:
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
