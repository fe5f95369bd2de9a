"""The reminders bot's scheduler loop: delivers every due reminder, exactly once, across restarts.

:class:`ReminderSender` is a background task of the reminders bot. Once the bot's first sync
is in (so it knows its rooms and which are encrypted), it runs
:meth:`~bridge.domain.reminders.ReminderScheduler.run_once` in a loop: a full batch is followed
at once by the next; otherwise it waits :data:`POLL_SECONDS` (a reminder is sent within about a
second of its time). Nothing is kept in memory: the rows say what is owed, and each message is
sent with a transaction ID made from the reminder's
:attr:`~bridge.db.reminders.Reminder.transaction_key` (and its room), so a reminder sent again
after a crash (a claim whose lease expired) is dropped by the homeserver as a repeat. A
reminder more than ``reminders.late_after_minutes`` late (the bots were stopped) says so.

Where each kind goes:

- ``personal``: the room where it was set; if the bot or the person is no longer there, the
  person's DM with the bot.
- ``event_attendee`` (a person going) and ``event_report`` (the organiser's nudge): the
  person's DM with the reminders bot, found or created by the DM finder the alerts use
  (:meth:`bots.alerts.AlertSender.direct_room`, ``direct_room`` table). A DM just created is
  not synced yet: the reminder waits for the next round.
- ``event_room``: the event's team room (its current room: a room upgrade needs no change).

Before sending, a reminder is checked (``still_useful``): personal ones always are; an event's
follow :func:`bridge.domain.event_reminders.still_useful` (the event is not cancelled, not yet
started for a person's or the room's reminder). The others are dropped, not sent.

A send that fails (the homeserver refused, a network error) puts the reminder back (it is due
again at once) and the loop slows down (:data:`RETRY_MAX_S` at most) until a round goes well.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from typing import Any

from bridge.db.events import Event
from bridge.db.reminders import Reminder
from bridge.domain import event_reminders
from bridge.domain.events import EventService
from bridge.domain.reminders import ReminderScheduler
from bridge.domain.teams import TeamService

from .alerts import AlertSender
from .bot_hooks import DirectRoomFinder
from .client import BotClient
from .i18n import Language
from .reminders_services import ReminderServices
from .reminders_views import event_content, personal_content, report_content
from .services import BotServices

log = logging.getLogger("bots.reminders")

POLL_SECONDS = 1.0
RETRY_BASE_S = 1.0
RETRY_MAX_S = 30.0
PERSONAL = "personal"
TO_THE_PERSON = frozenset({event_reminders.ATTENDEE, event_reminders.REPORT})


class NotYet(Exception):
    """The reminder cannot go yet (its DM is being made, its team has no room yet)."""


@dataclass
class ReminderSender:
    """Delivers the due reminders, as the reminders bot (a background task)."""

    reminders: ReminderServices
    events: EventService
    teams: TeamService
    direct_rooms: DirectRoomFinder | None
    language: Language
    clock: Callable[[], datetime]
    _failed_rounds: int = field(default=0, init=False)
    _failures: int = field(default=0, init=False)

    @classmethod
    def of(cls, services: BotServices) -> ReminderSender | None:
        """The sender over the bots' services; None when reminders are not set up."""
        if services.reminders is None:
            return None
        return cls(
            services.reminders,
            services.events,
            services.teams,
            AlertSender.of(services),
            services.language,
            services.clock,
        )

    def now_ms(self) -> int:
        return int(self.clock().timestamp() * 1000)

    def scheduler(self, bot: BotClient) -> ReminderScheduler:
        settings = self.reminders.settings
        return ReminderScheduler(
            self.reminders.repository,
            partial(self.send, bot),
            self.still_useful,
            late_after=settings.late_after,
            batch=settings.batch,
        )

    async def __call__(self, bot: BotClient) -> None:
        await self.wait_for_first_sync(bot)
        scheduler = self.scheduler(bot)
        while True:
            self._failures = 0
            handled = await scheduler.run_once(now=self.now_ms())
            if self._failures:
                self._failed_rounds += 1
                delay = min(RETRY_BASE_S * 2**self._failed_rounds, RETRY_MAX_S)
                log.info("%d reminder(s) failed; next round in %.0f s", self._failures, delay)
                await asyncio.sleep(delay)
                continue
            self._failed_rounds = 0
            if handled < scheduler.batch:
                await asyncio.sleep(POLL_SECONDS)

    @staticmethod
    async def wait_for_first_sync(bot: BotClient) -> None:
        """After a restart the bot knows its rooms (and their encryption) only once synced."""
        client = bot.client
        assert client is not None
        if client.rooms:
            return
        await client.synced.wait()

    async def still_useful(self, reminder: Reminder) -> bool:
        if reminder.kind == PERSONAL:
            return True
        return await event_reminders.still_useful(self.reminders.db, reminder, now=self.now_ms())

    async def send(self, bot: BotClient, reminder: Reminder, late: bool) -> None:
        """Deliver one reminder with its stable transaction key (the scheduler marks it)."""
        try:
            target = await self.message(bot, reminder, late)
            if target is None:
                return  # undeliverable, said in the log: marked as handled
            room_id, content = target
            event_id = await bot.send_message(room_id, content, key=reminder.transaction_key)
        except NotYet:
            raise
        except Exception:
            self._failures += 1
            raise
        log.info("Reminder %s (%s) sent to %s in %s as %s%s", reminder.transaction_key,
                 reminder.kind, reminder.user_id, room_id, event_id,
                 " (late)" if late else "")  # fmt: skip

    async def message(
        self, bot: BotClient, reminder: Reminder, late: bool
    ) -> tuple[str, dict[str, Any]] | None:
        """Where a reminder goes and what it says; None if it can go nowhere."""
        if reminder.kind == PERSONAL:
            room_id = await self.personal_room(bot, reminder)
            if room_id is None:
                return None
            group = self._member_count(bot, room_id) > 2
            return room_id, personal_content(reminder, late, self.language, group_room=group)
        event = await self._event(reminder)
        if event is None:
            log.warning("Reminder %s: its event is gone; not sent", reminder.id)
            return None
        now = self.clock()
        if reminder.kind == event_reminders.ROOM:
            team = await self.teams.get_team(event.team_id)
            if team.room_id is None:
                raise NotYet(f"the team {team.id} has no room yet")
            return team.room_id, event_content(reminder, event, late, now, self.language)
        if reminder.kind not in TO_THE_PERSON:
            log.warning("Reminder %s of unknown kind %r; not sent", reminder.id, reminder.kind)
            return None
        room_id = await self.dm(bot, reminder.user_id)
        if room_id is None:
            return None
        if reminder.kind == event_reminders.REPORT:
            team = await self.teams.get_team(event.team_id)
            content = report_content(reminder, event, team.name, late, now, self.language)
        else:
            content = event_content(reminder, event, late, now, self.language)
        return room_id, content

    async def personal_room(self, bot: BotClient, reminder: Reminder) -> str | None:
        """The room the reminder was set in, if the bot and the person are still there; else
        their DM."""
        client = bot.client
        assert client is not None
        room = client.rooms.get(reminder.room_id or "")
        if room is not None and {bot.identity.user_id, reminder.user_id} <= set(room.users):
            return room.room_id
        log.info("Reminder %s: %s no longer shared with %s; sending in their DM",
                 reminder.id, reminder.room_id, reminder.user_id)  # fmt: skip
        return await self.dm(bot, reminder.user_id)

    async def dm(self, bot: BotClient, user_id: str) -> str | None:
        """The person's DM with the bot; NotYet while a new one is not synced."""
        if self.direct_rooms is None:
            log.warning("No DM finder: a reminder for %s cannot be sent", user_id)
            return None
        room_id = await self.direct_rooms.direct_room(bot, user_id)
        if room_id is None:
            raise NotYet(f"the DM with {user_id} is being made")
        return room_id

    async def _event(self, reminder: Reminder) -> Event | None:
        if reminder.event_id is None:
            return None
        return await self.events.events.get(reminder.event_id)

    @staticmethod
    def _member_count(bot: BotClient, room_id: str) -> int:
        assert bot.client is not None
        room = bot.client.rooms.get(room_id)
        return room.member_count if room is not None else 2
