"""Alerts about new events near home, sent by the agenda bot in an encrypted DM (a background
task, like :mod:`bots.announcements`).

Each round, :class:`~bridge.domain.alerts.AlertMatcher` goes through the events created since its
persisted cursor and records the deliveries (``pending``, or ``capped`` beyond the daily cap);
then each pending delivery is sent and marked ``sent``. The send's transaction id is made from
``alert/<event>/<user>`` and the DM, so if the bot dies between sending and marking, the next
round sends again with the same transaction id and the homeserver drops the repeat (Synapse
keeps transaction ids for about half an hour, longer than a restart takes).

The DM: the one remembered in ``direct_room``; else a DM the person already has with the bot
(encrypted, just the two of them); else a new one, created with ``is_direct``, encryption and
history visible from the invitation, inviting the person. The alert waits until the bot's sync
knows the new room (its encryption and the invitation), then is sent at once: matrix-nio shares
the room key with the devices of every member in ``room.users``, which holds the *invited*
members too (``OlmMachine.share_group_session_parallel`` over ``room.users``; their devices are
queried as soon as the room is seen as encrypted), so the person reads it when they accept the
invitation, without the alert waiting for them to join. A person who left the DM (or refused the
invitation) gets a new one with the next alert.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from nio import MatrixRoom, RoomCreateResponse

from bridge.db.alerts import AlertRepository, Delivery
from bridge.db.clock import now_ms
from bridge.db.direct_rooms import DirectRoomRepository
from bridge.db.events import EventStatus
from bridge.domain.alerts import AlertMatcher
from bridge.domain.events import EventService
from bridge.domain.supporters import SupporterService
from bridge.domain.teams import TeamService, distance_km

from .client import BotClient
from .discovery_views import alert_content
from .i18n import Language
from .services import BotServices

log = logging.getLogger("bots.alerts")

POLL_SECONDS = 2.0
#: A DM the bot created and its sync still does not show after this long is created again.
ROOM_WAIT_MS = 120_000
RETRY_BASE_S = 2.0
RETRY_MAX_S = 300.0


def alert_key(delivery: Delivery) -> str:
    """What names a delivery's message: its transaction id is made from it (and the room)."""
    return f"alert/{delivery.event_id}/{delivery.user_id}"


def is_direct_with(room: MatrixRoom, bot_user_id: str, user_id: str) -> bool:
    """Whether ``room`` is an encrypted DM of the bot with ``user_id`` (both joined, alone)."""
    return (
        room.encrypted
        and room.join_rule == "invite"
        and set(room.users) == {bot_user_id, user_id}
        and user_id not in room.invited_users
    )


@dataclass
class AlertSender:
    """Records and sends the alerts, as the agenda bot (a background task)."""

    matcher: AlertMatcher
    alerts: AlertRepository
    events: EventService
    teams: TeamService
    supporters: SupporterService
    direct_rooms: DirectRoomRepository
    zone: ZoneInfo
    language: Language
    now: Callable[[], datetime]
    _retry: dict[tuple[str, str], tuple[float, int]] = field(default_factory=dict)

    @classmethod
    def of(cls, services: BotServices) -> AlertSender | None:
        discovery = services.discovery
        if discovery is None:
            return None
        matcher = AlertMatcher(
            discovery.alert_repository, services.zone, discovery.settings.max_alerts_per_day
        )
        return cls(
            matcher,
            discovery.alert_repository,
            services.events,
            services.teams,
            discovery.supporters,
            discovery.direct_rooms,
            services.zone,
            services.language,
            services.now,
        )

    async def __call__(self, bot: BotClient) -> None:
        while True:
            await self.round(bot)
            await asyncio.sleep(POLL_SECONDS)

    async def round(self, bot: BotClient) -> None:
        """Record the deliveries of the new events, then send what is pending."""
        try:
            await self.matcher.step()
        except Exception:
            log.exception("Matching new events to alerts failed")
        for delivery in await self.alerts.pending():
            key = (delivery.event_id, delivery.user_id)
            if self._retry.get(key, (0.0, 0))[0] > time.monotonic():
                continue
            try:
                await self.deliver(bot, delivery)
            except Exception as error:
                attempts = self._retry.get(key, (0.0, 0))[1] + 1
                delay = min(RETRY_BASE_S * 2**attempts, RETRY_MAX_S)
                self._retry[key] = (time.monotonic() + delay, attempts)
                log.warning("Alert %s failed (retry in %.0f s): %s", alert_key(delivery), delay,
                            error)  # fmt: skip
            else:
                self._retry.pop(key, None)

    async def deliver(self, bot: BotClient, delivery: Delivery) -> None:
        """Send one alert, or drop it if it no longer applies, or leave it pending while its DM
        is being made."""
        event = await self.events.events.get(delivery.event_id)
        subscription = await self.alerts.subscription(delivery.user_id)
        supporter = await self.supporters.by_user(delivery.user_id)
        if (
            event is None
            or subscription is None
            or supporter is None
            or event.status is EventStatus.CANCELLED
            or event.start_at <= now_ms()
        ):
            await self.alerts.drop(delivery)
            return
        room_id = await self.direct_room(bot, delivery.user_id)
        if room_id is None:
            return
        team = await self.teams.get_team(event.team_id)
        distance = 0.0
        home = (supporter.home_latitude, supporter.home_longitude)
        if home[0] is not None and home[1] is not None and event.latitude is not None:
            assert event.longitude is not None
            distance = distance_km(home[0], home[1], event.latitude, event.longitude)
        language = supporter.language or self.language
        content = alert_content(event, team, distance, self.zone, language, self.now())
        await bot.send_message(room_id, content, key=alert_key(delivery))
        await self.alerts.mark_sent(delivery)
        log.info("Alert about %s sent to %s", delivery.event_id, delivery.user_id)

    async def direct_room(self, bot: BotClient, user_id: str) -> str | None:
        """The bot's DM with ``user_id`` (for alerts, reminders, a report's thanks); None while a
        new one is not synced yet."""
        client = bot.client
        if client is None:
            return None
        bot_user = bot.identity.user_id
        known = await self.direct_rooms.get(bot_user, user_id)
        if known is not None:
            room = client.rooms.get(known.room_id)
            if room is None:
                if now_ms() - known.created_at < ROOM_WAIT_MS:
                    return None  # created, not synced yet
                log.info("DM %s with %s is unknown to the sync: making another", known.room_id,
                         user_id)  # fmt: skip
            elif user_id in room.users:  # joined, or invited
                return known.room_id if room.encrypted else None
            else:
                log.info("%s left the DM %s: making another", user_id, known.room_id)
                with contextlib.suppress(Exception):
                    await client.room_leave(known.room_id)
            await self.direct_rooms.forget(bot_user, user_id, known.room_id)
        for room in client.rooms.values():
            if is_direct_with(room, bot_user, user_id):
                await self.direct_rooms.save(bot_user, user_id, room.room_id)
                return room.room_id
        response = await client.room_create(
            is_direct=True,
            invite=[user_id],
            initial_state=[
                {
                    "type": "m.room.encryption",
                    "state_key": "",
                    "content": {"algorithm": "m.megolm.v1.aes-sha2"},
                },
                {
                    "type": "m.room.history_visibility",
                    "state_key": "",
                    "content": {"history_visibility": "invited"},
                },
            ],
        )
        if not isinstance(response, RoomCreateResponse):
            raise RuntimeError(f"creating a DM with {user_id} failed: {response}")
        await self.direct_rooms.save(bot_user, user_id, response.room_id)
        log.info("Created the DM %s of %s with %s", response.room_id, bot_user, user_id)
        return None
