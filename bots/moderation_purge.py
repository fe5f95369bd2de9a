"""``!purge @user <durée>`` (moderation bot, admin room): redact what an account said recently
in every room the campaign manages.

For each managed room, the appservice bot (a member of every one of them, and not rate-limited)
pages back through the room's timeline with a filter on the sender
(``GET /rooms/{id}/messages?dir=b``) until the events are older than the window. Each message,
encrypted message, sticker and reaction found (never a state event, nor one already redacted)
becomes a ``redact`` moderation action, which the appservice carries out. The answer counts
them per room. https://spec.matrix.org/v1.16/client-server-api/#get_matrixclientv3roomsroomidmessages
"""

from __future__ import annotations

import asyncio
import json
import logging
from html import escape
from typing import Any
from urllib.parse import quote

from bridge.db.moderation_actions import ActionKind, ActionRequest

from .commands import CommandContext, Reply
from .homeserver_api import HomeserverAPI, HomeserverError
from .i18n import translate, translate_count
from .moderation_arguments import parse_purge, window_words
from .moderation_commands import Admin
from .moderation_rooms import RoomPowers, room_label
from .moderation_views import Notice

log = logging.getLogger("bots.moderation.purge")

#: The events a purge redacts (messages, encrypted ones, stickers, reactions).
REDACTED_TYPES = ("m.reaction", "m.room.encrypted", "m.room.message", "m.sticker")
PAGE_SIZE = 100
#: Rooms read at once.
CONCURRENT_ROOMS = 8


def redactable(event: dict[str, Any], user_id: str) -> bool:
    """Whether a purge of ``user_id`` redacts ``event``: theirs, a message-like event, not a
    state event, not already redacted."""
    unsigned = event.get("unsigned") or {}
    return (
        event.get("sender") == user_id
        and event.get("type") in REDACTED_TYPES
        and "state_key" not in event
        and "redacted_because" not in unsigned
        and bool(event.get("content"))
    )


async def recent_events(
    api: HomeserverAPI, room_id: str, user_id: str, since_ms: int, *, page_size: int = PAGE_SIZE
) -> list[str]:
    """The events of ``user_id`` in ``room_id`` since ``since_ms`` that a purge redacts, newest
    first, read as the appservice bot."""
    timeline_filter = json.dumps(
        {"senders": [user_id], "types": list(REDACTED_TYPES)}, separators=(",", ":")
    )
    base = (
        f"/_matrix/client/v3/rooms/{quote(room_id)}/messages?dir=b&limit={page_size}"
        f"&filter={quote(timeline_filter)}"
    )
    found: list[str] = []
    token: str | None = None
    while True:
        path = base + (f"&from={quote(token)}" if token else "")
        page = await api.request("GET", path)
        chunk = page.get("chunk") or []
        for event in chunk:
            if int(event.get("origin_server_ts") or 0) < since_ms:
                return found
            if redactable(event, user_id):
                found.append(str(event["event_id"]))
        end = page.get("end")
        if not chunk or not isinstance(end, str) or end == token:
            return found
        token = end


def register_purge_command(admin: Admin) -> None:
    moderation = admin.moderation

    @admin.command(
        "purge",
        "purger",
        help_key="help.purge",
        usage_key="moderation.purge.usage",
        usage="<@compte:serveur> <durée>",
    )
    async def purge(context: CommandContext, powers: RoomPowers) -> Reply:
        language = context.language
        request = parse_purge(context.args, context.mentions, context.names)
        user, window = request.user_id, window_words(request.window)
        if user in moderation.our_users:
            return Reply(translate("moderation.purge.ours", language, user=user))
        since_ms = moderation.since(request.window.total_seconds())
        rooms = await moderation.rooms.all()
        gate = asyncio.Semaphore(CONCURRENT_ROOMS)

        async def read(room_id: str) -> list[str] | None:
            async with gate:
                try:
                    return await recent_events(moderation.api, room_id, user, since_ms)
                except HomeserverError as error:
                    log.warning("!purge %s: cannot read %s: %s", user, room_id, error)
                    return None

        found = await asyncio.gather(*(read(room.room_id) for room in rooms))
        requests = [
            ActionRequest(
                room.room_id,
                user,
                ActionKind.REDACT,
                reason="purge",
                cause="purge",
                requested_by=context.sender,
                target_event=event_id,
            )
            for room, events in zip(rooms, found, strict=True)
            for event_id in events or ()
        ]
        await moderation.actions.enqueue(requests)
        log.info("!purge %s %s by %s: %d events", user, window, context.sender, len(requests))
        pairs = list(zip(rooms, found, strict=True))
        unreadable = [room_label(room) for room, events in pairs if events is None]
        if not requests:
            notice = Notice().line(
                translate("moderation.purge.none", language, user=user, window=window)
            )
        else:
            notice = Notice().line(
                translate_count(
                    "moderation.purge.done", len(requests), language, user=user, window=window
                )
            )
            counts = sorted(
                ((room, len(events)) for room, events in pairs if events),
                key=lambda pair: -pair[1],
            )
            lines = [
                translate("moderation.purge.room", language, room=room_label(room), count=count)
                for room, count in counts
            ]
            notice.bullets([(line, escape(line)) for line in lines])
        if unreadable:
            notice.line(
                translate(
                    "moderation.purge.unreadable",
                    language,
                    count=len(unreadable),
                    rooms=", ".join(unreadable),
                )
            )
        return notice.reply()
