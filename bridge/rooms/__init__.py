"""Teams as rooms: the projection of the database onto Matrix rooms and spaces.

:class:`RoomProjection` bundles the parts; the appservice builds one around its own API client,
and one-shot commands (``ralliement admin space init``, ``ralliement bridge --reconcile``) open
one with :func:`open_room_projection`.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

import aiohttp
from mautrix.appservice import AppServiceAPI
from mautrix.appservice.state_store import ASStateStore
from mautrix.client.state_store import MemoryStateStore
from mautrix.util.async_db import Database

from bridge.db import create_database
from bridge.db.events import EventRepository
from bridge.db.room_guard import RoomGuard
from bridge.db.spaces import SpaceRepository
from bridge.db.teams import TeamRepository
from ralliement.config import Config

from .matrix import RoomClient
from .projector import ProjectionSettings, TeamRoomProjector
from .spaces import SpaceDirectory

__all__ = ["RoomProjection", "build_projection", "open_room_projection"]

#: The bots that live in every team room.
TEAM_ROOM_BOTS = ("agenda", "moderation")


def departement_name(code: str) -> str | None:
    from ralliement.geo.gazetteer import gazetteer

    return gazetteer().departement_name(code)


@dataclass(frozen=True)
class RoomProjection:
    client: RoomClient
    spaces: SpaceDirectory
    projector: TeamRoomProjector
    teams: TeamRepository
    db: Database


def build_projection(config: Config, api: AppServiceAPI, db: Database) -> RoomProjection:
    """The projection for ``config``, talking to the homeserver through ``api``."""
    client = RoomClient(api, config.appservice_bot_user_id)
    room_bots = tuple(
        config.bot_user_id(name)
        for name in TEAM_ROOM_BOTS
        if name in config.bots.bots and config.bots.bots[name].enabled
    )
    spaces = SpaceDirectory(
        client,
        SpaceRepository(db),
        domain=config.homeserver.domain,
        alias_prefix=config.appservice.user_prefix,
        campaign_name=config.campaign.name,
        bots=room_bots,
        departement_name=departement_name,
    )
    teams = TeamRepository(db)
    settings = ProjectionSettings(
        domain=config.homeserver.domain,
        alias_prefix=config.appservice.user_prefix,
        allow_knock=config.campaign.allow_knock,
        room_bots=room_bots,
    )
    projector = TeamRoomProjector(
        client, teams, EventRepository(db), spaces, settings, RoomGuard(db)
    )
    return RoomProjection(client, spaces, projector, teams, db)


class _MemoryASStateStore(ASStateStore, MemoryStateStore):
    def __init__(self) -> None:
        ASStateStore.__init__(self)
        MemoryStateStore.__init__(self)


@asynccontextmanager
async def open_room_projection(config: Config) -> AsyncIterator[RoomProjection]:
    """A projection for a one-shot command: its own database connection and HTTP session."""
    assert config.appservice.as_token, "the registration (with its as_token) must be loaded"
    db = create_database(config.database.url)
    await db.start()
    try:
        async with aiohttp.ClientSession() as session:
            api = AppServiceAPI(
                base_url=config.homeserver.address,
                bot_mxid=config.appservice_bot_user_id,
                token=config.appservice.as_token,
                log=logging.getLogger("bridge.rooms.api"),  # type: ignore[arg-type]
                state_store=_MemoryASStateStore(),
                client_session=session,
            )
            yield build_projection(config, api, db)
    finally:
        await db.stop()
