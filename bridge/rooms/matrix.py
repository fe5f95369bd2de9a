"""The few client-server calls the room projection makes, as the appservice or one of its users.

Requests go straight to the homeserver with the appservice token (masquerading with ``user_id``
for the bots), without mautrix's client-side power-level guesses, which predate room version 12
(where the creator's power is unlimited and not written in ``m.room.power_levels``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from mautrix.api import Method, Path
from mautrix.appservice import AppServiceAPI
from mautrix.errors import MatrixRequestError, MNotFound
from mautrix.types import UserID

StateKey = tuple[str, str]


@dataclass
class RoomState:
    """A room's current state: contents by (type, state_key), and memberships by user."""

    contents: dict[StateKey, dict[str, Any]] = field(default_factory=dict)
    memberships: dict[str, str] = field(default_factory=dict)

    def get(self, event_type: str, state_key: str = "") -> dict[str, Any] | None:
        return self.contents.get((event_type, state_key))


class RoomClient:
    """Room operations as the appservice bot, or as another user of its namespace."""

    def __init__(self, api: AppServiceAPI, bot_user_id: UserID) -> None:
        self.api = api
        self.bot_user_id = bot_user_id
        self._registered: set[str] = set()

    def _as(self, user_id: str | None) -> AppServiceAPI:
        if user_id is None or user_id == self.bot_user_id:
            return self.api
        return self.api.user(UserID(user_id))

    async def create_room(self, body: dict[str, Any]) -> str:
        response = await self.api.request(Method.POST, Path.v3.createRoom, body)
        return str(response["room_id"])

    async def resolve_alias(self, alias: str) -> str | None:
        try:
            response = await self.api.request(Method.GET, Path.v3.directory.room[alias])
        except MNotFound:
            return None
        return str(response["room_id"])

    async def state(self, room_id: str, as_user: str | None = None) -> RoomState:
        """The room's whole state (as ``as_user`` when given, e.g. a bot member of the room)."""
        events = await self.state_events(room_id, as_user)
        state = RoomState()
        for event in events:
            key = (event["type"], event.get("state_key", ""))
            state.contents[key] = event.get("content") or {}
            if event["type"] == "m.room.member":
                state.memberships[event["state_key"]] = state.contents[key].get("membership", "")
        return state

    async def state_events(self, room_id: str, as_user: str | None = None) -> list[dict[str, Any]]:
        """The room's state events as the homeserver sends them (type, state_key, content,
        sender, origin_server_ts...)."""
        events = await self._as(as_user).request(Method.GET, Path.v3.rooms[room_id].state)
        return [event for event in events if isinstance(event, dict)]

    async def state_event(
        self, room_id: str, event_type: str, state_key: str = ""
    ) -> dict[str, Any] | None:
        """One state event's content; None when the room has none."""
        try:
            content = await self.api.request(
                Method.GET, Path.v3.rooms[room_id].state[event_type][state_key]
            )
        except MNotFound:
            return None
        return dict(content)

    async def put_state(
        self, room_id: str, event_type: str, content: dict[str, Any], state_key: str = ""
    ) -> None:
        path = Path.v3.rooms[room_id].state[event_type][state_key]
        await self.api.request(Method.PUT, path, content)

    async def invite(self, room_id: str, user_id: str) -> None:
        await self.api.request(Method.POST, Path.v3.rooms[room_id].invite, {"user_id": user_id})

    async def join(self, room_id: str, user_id: str | None = None) -> None:
        """Join ``room_id`` as the appservice bot or as ``user_id`` (a user of the namespace)."""
        if user_id is not None:
            await self.ensure_registered(user_id)
        await self._as(user_id).request(Method.POST, Path.v3.join[room_id], {})

    async def ban(self, room_id: str, user_id: str, reason: str = "") -> None:
        """https://spec.matrix.org/v1.16/client-server-api/#post_matrixclientv3roomsroomidban"""
        await self.api.request(
            Method.POST, Path.v3.rooms[room_id].ban, _with_reason({"user_id": user_id}, reason)
        )

    async def unban(self, room_id: str, user_id: str, reason: str = "") -> None:
        await self.api.request(
            Method.POST, Path.v3.rooms[room_id].unban, _with_reason({"user_id": user_id}, reason)
        )

    async def kick(self, room_id: str, user_id: str, reason: str = "") -> None:
        await self.api.request(
            Method.POST, Path.v3.rooms[room_id].kick, _with_reason({"user_id": user_id}, reason)
        )

    async def redact(self, room_id: str, event_id: str, txn_id: str, reason: str = "") -> None:
        """Redact ``event_id``; the same ``txn_id`` again is the same redaction (idempotent)."""
        path = Path.v3.rooms[room_id].redact[event_id][txn_id]
        await self.api.request(Method.PUT, path, _with_reason({}, reason))

    async def leave(self, room_id: str, user_id: str | None = None) -> None:
        await self._as(user_id).request(Method.POST, Path.v3.rooms[room_id].leave, {})

    async def user_exists(self, user_id: str) -> bool:
        """Whether the homeserver knows ``user_id`` (its profile answers)."""
        try:
            await self.api.request(Method.GET, Path.v3.profile[user_id])
        except MatrixRequestError as error:
            # Synapse answers an unknown local user with 404 (its errcode has varied).
            if error.http_status == 404:
                return False
            raise
        return True

    async def ensure_registered(self, user_id: str) -> None:
        if user_id not in self._registered:
            await self.api.intent(UserID(user_id)).ensure_registered()
            self._registered.add(user_id)


def is_room_in_use(error: MatrixRequestError) -> bool:
    """Whether ``createRoom`` failed because the alias already names a room."""
    return error.errcode == "M_ROOM_IN_USE"


def _with_reason(body: dict[str, Any], reason: str) -> dict[str, Any]:
    return {**body, "reason": reason} if reason else body
