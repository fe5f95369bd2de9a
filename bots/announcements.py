"""Event announcements in team rooms, and RSVPs by reacting ✅ to them (the agenda bot).

The announcements the bot owes are rows of the database's outbox (:mod:`bridge.db.announcements`),
written with each creation, edit or cancellation, whatever door made it. :class:`EventAnnouncer`
sends the newest row of each event: a new event gets an encrypted message; a change replaces it
(``m.replace``); a cancellation replaces it too and tells, in a reply that mentions them, the
people who were going. Each send has a transaction id made from the row, so a crash between
sending and marking it sent never posts twice.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from html import escape
from typing import Any
from zoneinfo import ZoneInfo

from bridge.db.announcements import Announcement, AnnouncementQueue
from bridge.db.events import Event, EventStatus
from bridge.domain.errors import DomainError
from bridge.domain.events import EventService
from bridge.domain.teams import TeamService

from .client import BotClient
from .i18n import Language, format_time_range, translate
from .refusals import refusal

log = logging.getLogger("bots.announcements")

POLL_SECONDS = 1.0
#: Reactions that mean "I'm going".
GOING_KEYS = frozenset({"✅", "✔️", "✔", "☑️"})


def event_when(event: Event, language: Language) -> str:
    """When the event happens, in its own time zone."""
    return format_time_range(event.start_at, event.end_at, ZoneInfo(event.timezone), language)


def announcement_content(event: Event, language: Language) -> dict[str, Any]:
    """The announcement message: text, HTML, and the place as a location (MSC3488)."""
    cancelled = event.status is EventStatus.CANCELLED
    lines = [
        translate("announce.cancelled_title" if cancelled else "announce.title", language,
                  title=event.title),
        translate("announce.when", language, when=event_when(event, language)),
    ]  # fmt: skip
    if event.place:
        lines.append(translate("announce.where", language, place=event.place))
    if event.capacity is not None:
        lines.append(translate("announce.capacity", language, capacity=event.capacity))
    if event.description:
        lines.append(event.description)
    if not cancelled:
        lines.append(translate("announce.rsvp", language, id=event.id))
    return event_message(lines, event)


def event_message(lines: list[str], event: Event) -> dict[str, Any]:
    """A message about ``event``: its lines (the first in bold), the event's reference, and its
    place as a location (``geo_uri`` and MSC3488) when it has coordinates."""
    html_lines = [escape(line) for line in lines]
    html_lines[0] = f"<strong>{html_lines[0]}</strong>"
    content: dict[str, Any] = {
        "msgtype": "m.text",
        "body": "\n".join(lines),
        "format": "org.matrix.custom.html",
        "formatted_body": "<br>".join(html_lines),
        "org.ralliement.event": {"uid": event.id, "sequence": event.sequence},
    }
    if event.latitude is not None and event.longitude is not None:
        uri = f"geo:{event.latitude:.6f},{event.longitude:.6f}"
        content["geo_uri"] = uri
        content["org.matrix.msc3488.location"] = {"uri": uri, "description": event.place}
    return content


def replacement(original_id: str, content: dict[str, Any]) -> dict[str, Any]:
    """An edit of the message ``original_id`` whose new content is ``content``."""
    return {
        "msgtype": content["msgtype"],
        "body": "* " + content["body"],
        "m.new_content": content,
        "m.relates_to": {"rel_type": "m.replace", "event_id": original_id},
    }


@dataclass
class EventAnnouncer:
    """Sends what the announcement outbox holds, as the agenda bot (a background task)."""

    queue: AnnouncementQueue
    events: EventService
    teams: TeamService
    language: Language

    async def __call__(self, bot: BotClient) -> None:
        while True:
            for announcement in await self.queue.due():
                try:
                    await self.announce(bot, announcement)
                except Exception as error:
                    log.warning("Announcement %s failed: %s", announcement.transaction_id, error)
                    await self.queue.failed(announcement, f"{type(error).__name__}: {error}")
                    continue
                await self.queue.sent(announcement)
            await asyncio.sleep(POLL_SECONDS)

    async def announce(self, bot: BotClient, announcement: Announcement) -> None:
        event = await self.events.get_event(announcement.event_id)
        room_id = (await self.teams.get_team(event.team_id)).room_id
        if room_id is None:
            raise RuntimeError(f"team {event.team_id} has no room yet")
        content = announcement_content(event, self.language)
        key = announcement.transaction_id
        if event.announcement_id is None:
            message_id = await bot.send_message(room_id, content, key=key)
            await self.events.events.set_announcement(event.id, message_id)
        else:
            await bot.send_message(room_id, replacement(event.announcement_id, content), key=key)
        if announcement.kind == "cancelled":
            await self._tell_cancelled(bot, room_id, event, key)

    async def _tell_cancelled(self, bot: BotClient, room_id: str, event: Event, key: str) -> None:
        going = [rsvp.user_id for rsvp in await self.events.events.rsvps(event.id) if rsvp.going]
        when = event_when(event, self.language)
        body = translate("announce.cancelled_notice", self.language, title=event.title, when=when)
        pills = [
            f'<a href="https://matrix.to/#/{escape(user)}">{escape(user)}</a>' for user in going
        ]
        content: dict[str, Any] = {
            "msgtype": "m.notice",
            "body": " ".join([*going, body]) if going else body,
            "format": "org.matrix.custom.html",
            "formatted_body": " ".join([*pills, escape(body)]),
            "m.mentions": {"user_ids": going},
        }
        refreshed = await self.events.events.get(event.id)
        if refreshed is not None and refreshed.announcement_id is not None:
            content["m.relates_to"] = {"m.in_reply_to": {"event_id": refreshed.announcement_id}}
        await bot.send_message(room_id, content, key=f"{key}/notice")


@dataclass
class ReactionRsvps:
    """✅ on an announcement means "I'm going"; removing the reaction takes it back."""

    events: EventService
    language: Language

    async def reacted(
        self, bot: BotClient, room_id: str, sender: str, reaction_id: str, target: str, key: str
    ) -> None:
        if key not in GOING_KEYS:
            return
        event = await self.events.event_of_announcement(target)
        if event is None:
            return
        try:
            await self.events.rsvp(event.id, sender, going=True, reaction_id=reaction_id)
        except DomainError as error:
            reply = refusal(error, self.language)
            content = {
                "msgtype": "m.notice",
                "body": f"{sender} {reply.body}",
                "m.mentions": {"user_ids": [sender]},
                "m.relates_to": {"m.in_reply_to": {"event_id": target}},
            }
            await bot.send_message(room_id, content, key=f"reaction/{reaction_id}")

    async def redacted(self, bot: BotClient, room_id: str, sender: str, redacted: str) -> None:
        try:
            await self.events.withdraw_reaction(redacted)
        except DomainError as error:  # the event is over or cancelled: nothing to take back
            log.info("Reaction %s removed, answer kept: %r", redacted, error)
