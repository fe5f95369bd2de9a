"""What the appservice does with the events it receives (processed from the durable inbox)."""

from __future__ import annotations

import logging

from mautrix.appservice import IntentAPI
from mautrix.types import Event, EventType, Membership, StateEvent, UserID

log = logging.getLogger("bridge.handlers")


class InviteHandler:
    """The appservice bot accepts invites from people on its own homeserver.

    Joining is idempotent, so processing the same invite twice (after a crash) changes nothing.
    """

    def __init__(self, intent: IntentAPI, domain: str) -> None:
        self.intent = intent
        self.domain = domain

    async def __call__(self, event: Event) -> None:
        if event.type != EventType.ROOM_MEMBER or not isinstance(event, StateEvent):
            return
        if event.state_key != self.intent.mxid or event.content.membership != Membership.INVITE:
            return
        if _server_of(event.sender) != self.domain:
            log.info("Ignoring invite to %s from remote user %s", event.room_id, event.sender)
            return
        log.info("Invited to %s by %s: joining", event.room_id, event.sender)
        await self.intent.join_room_by_id(event.room_id)


def _server_of(user_id: UserID) -> str:
    return user_id.split(":", 1)[1] if ":" in user_id else ""
