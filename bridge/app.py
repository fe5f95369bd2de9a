"""The appservice program: config → database → migrations → web server → ping → inbox → ready."""

from __future__ import annotations

import asyncio
import logging

from mautrix.appservice.state_store.asyncpg import PgASStateStore
from mautrix.errors import MatrixError
from mautrix.util.async_db import Database

from ralliement.config import Config
from ralliement.readiness import announce_ready

from .appservice import DurableAppService
from .calendar import CALENDAR_PREFIX, calendar_app
from .db import create_database
from .db.events import EventRepository
from .db.inbox import InboxRepository
from .db.moderation_actions import ActionQueue
from .db.room_sync import RoomSyncQueue
from .db.teams import TeamRepository
from .domain.supporters import SupporterService
from .domain.teams import TeamService
from .handlers import InviteHandler
from .inbox import InboxProcessor
from .moderation import moderation_bot, moderation_rooms
from .moderation.joins import JoinGuard
from .moderation.policy import PolicyEnforcer
from .moderation.worker import ActionWorker
from .provisioning import PREFIX as PROVISIONING_PREFIX
from .provisioning import provisioning_app
from .rooms import RoomProjection, build_projection
from .rooms.events import TeamRoomEvents
from .rooms.worker import RoomSyncWorker

log = logging.getLogger("bridge")


class Bridge:
    """The running appservice; ``start()`` then ``stop()``."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self.db: Database = create_database(config.database.url)
        self.inbox = InboxRepository(self.db)
        self.state_store = PgASStateStore(self.db)
        self.processor = InboxProcessor(self.inbox, handlers=[])
        self.teams = TeamService(TeamRepository(self.db))
        self.room_sync = RoomSyncQueue(self.db)
        self.rooms: RoomProjection | None = None
        self.room_worker: RoomSyncWorker | None = None
        self.action_worker: ActionWorker | None = None
        self.policy: PolicyEnforcer | None = None
        appservice = config.appservice
        assert appservice.as_token and appservice.hs_token
        self.az = DurableAppService(
            server=config.homeserver.address,
            domain=config.homeserver.domain,
            as_token=appservice.as_token,
            hs_token=appservice.hs_token,
            bot_localpart=appservice.bot_localpart,
            id=appservice.id,
            state_store=self.state_store,
            log=logging.getLogger("bridge.as"),
            inbox=self.inbox,
            on_stored=self.processor.wake,
        )
        if config.provisioning.shared_secret:
            # Mounted before the server starts: aiohttp freezes the router then.
            self.az.app.add_subapp(
                PROVISIONING_PREFIX,
                provisioning_app(
                    self.teams,
                    SupporterService.on_database(self.db),
                    config.provisioning.shared_secret,
                ),
            )
        self.az.app.add_subapp(
            CALENDAR_PREFIX,
            calendar_app(
                self.teams.repository,
                EventRepository(self.db),
                config.homeserver.domain,
                timezone=config.locale.timezone,
            ),
        )

    async def start(self) -> None:
        await self.db.start()
        await self.state_store.upgrade_table.upgrade(self.db)
        await self.az.start(host=self.config.appservice.hostname, port=self.config.appservice.port)
        self.rooms = build_projection(self.config, self.az.intent.api, self.db)
        self.room_worker = RoomSyncWorker(self.room_sync, self.rooms.projector)
        self.action_worker = ActionWorker(ActionQueue(self.db), self.rooms.client)
        self.processor.handlers.extend(
            [
                self.state_store.update_state,
                InviteHandler(self.az.intent, self.config.homeserver.domain),
                TeamRoomEvents(
                    self.teams,
                    self.rooms.projector,
                    self.rooms.client,
                    ignored_users=self._our_users(),
                    wake=self.room_worker.wake,
                ),
            ]
        )
        if (bot := moderation_bot(self.config)) is not None:
            self.policy = PolicyEnforcer(
                self.db,
                self.rooms.client,
                moderation_bot=bot,
                our_users=self._our_users(),
                wake=self.action_worker.wake,
            )
            joins = JoinGuard(
                self.db,
                self.policy,
                self.rooms.spaces,
                settings=self.config.moderation,
                appservice_bot=self.config.appservice_bot_user_id,
                our_users=self._our_users(),
                wake_actions=self.action_worker.wake,
                wake_rooms=self.room_worker.wake,
            )
            self.processor.handlers.extend([self.policy, joins])
        await self._wait_for_homeserver()
        await self.az.intent.ensure_registered()
        # A cheap reconcile on every start: each room is read once and repaired if it drifted.
        checked = await self.room_sync.request_all()
        log.info("Checking the rooms of %d teams against the database", checked)
        self.room_worker.start()
        self.action_worker.start()
        await self._moderation_rooms()
        self.processor.start()
        self.az.ready = True
        log.info(
            "Appservice ready on %s:%d",
            self.config.appservice.hostname,
            self.config.appservice.port,
        )

    async def _moderation_rooms(self) -> None:
        """The admin room and the policy list, created the first time (moderation bot on)."""
        assert self.rooms is not None
        rooms = moderation_rooms(self.config, self.rooms.client, self.db)
        if rooms is None:
            return
        admin, policy = await rooms.ensure()
        log.info("Moderation: admin room %s, policy list %s", admin, policy)
        if self.policy is not None:
            # Rules added or removed while the appservice was down.
            await self.policy.sync_all()

    def _our_users(self) -> frozenset[str]:
        bots = {self.config.bot_user_id(name) for name in self.config.bots.bots}
        return frozenset({self.config.appservice_bot_user_id, *bots})

    async def _wait_for_homeserver(self, timeout: float = 60.0) -> None:
        """Ping the homeserver through the appservice ping API until it answers.

        A successful ping also makes Synapse retry pending transactions at once instead of after
        its back-off. https://spec.matrix.org/v1.16/application-service-api/#pinging
        """
        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            try:
                duration = await self.az.ping_self()
                log.info("Homeserver reached the appservice in %d ms", duration)
                return
            except (MatrixError, OSError) as error:
                if asyncio.get_running_loop().time() > deadline:
                    raise RuntimeError(
                        f"The homeserver at {self.config.homeserver.address} could not reach the "
                        f"appservice at {self.config.appservice.address}: {error}"
                    ) from error
                log.warning("Homeserver ping failed (%s), retrying", error)
                await asyncio.sleep(1)

    async def stop(self) -> None:
        await self.processor.stop()
        if self.room_worker is not None:
            await self.room_worker.stop()
        if self.action_worker is not None:
            await self.action_worker.stop()
        await self.az.stop()
        await self.db.stop()


async def run_bridge(config: Config, stop: asyncio.Event) -> None:
    """Run the appservice until ``stop`` is set."""
    bridge = Bridge(config)
    await bridge.start()
    announce_ready("bridge", bot=bridge.az.bot_mxid, address=config.appservice.address)
    try:
        await stop.wait()
    finally:
        await bridge.stop()
