"""The baseline bot of ``bench.roundtrip``: a bare matrix-nio E2EE echo bot.

A plain ``AsyncClient`` with encryption, logged in with a password, its own store, no command
layer, no cross-signing: it answers every ``m.text`` from its sync callback with an ``m.notice``
echo carrying ``m.relates_to.m.in_reply_to``, after the one crypto chore any bot needs before
sending (a key query when device lists changed).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from pathlib import Path

from nio import (
    AsyncClient,
    AsyncClientConfig,
    InviteMemberEvent,
    LocalProtocolError,
    LoginResponse,
    MatrixRoom,
    RoomMessageText,
    RoomSendResponse,
)

log = logging.getLogger("bench.echo_bot")

SYNC_TIMEOUT_MS = 30_000  # The same long poll as our bots (bots/client.py).


class EchoBotError(RuntimeError):
    """The echo bot could not start."""


class EchoBot:
    """The baseline: the least a matrix-nio E2EE bot does to answer a message with a reply."""

    def __init__(self, homeserver: str, user_id: str, store_dir: Path) -> None:
        store_dir.mkdir(parents=True, exist_ok=True)
        self.client = AsyncClient(
            homeserver,
            user_id,
            store_path=str(store_dir),
            config=AsyncClientConfig(encryption_enabled=True, store_sync_tokens=True),
        )
        self.errors: list[str] = []
        self._sync: asyncio.Task[None] | None = None

    @property
    def user_id(self) -> str:
        return str(self.client.user_id)

    async def start(self, password: str) -> None:
        response = await self.client.login(password, device_name="bench echo bot")
        if not isinstance(response, LoginResponse):
            raise EchoBotError(f"echo bot: login failed: {response}")
        if self.client.should_upload_keys:
            await self.client.keys_upload()
        await self.client.sync(timeout=0, full_state=True)
        self.client.add_event_callback(self._on_invite, InviteMemberEvent)
        self.client.add_event_callback(self._on_text, RoomMessageText)
        self._sync = asyncio.create_task(self._sync_forever(), name="bench-echo-sync")

    async def close(self) -> None:
        try:
            if self._sync is not None:
                self._sync.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await self._sync
                self._sync = None
        finally:
            await self.client.close()

    async def _sync_forever(self) -> None:
        try:
            await self.client.sync_forever(timeout=SYNC_TIMEOUT_MS)
        except Exception as error:
            self.errors.append(f"sync loop died: {error!r}")
            log.exception("Echo bot %s: sync loop died", self.user_id)
            raise

    # Callbacks run inside the sync loop: an exception there would end it, so none escapes.

    async def _on_invite(self, room: MatrixRoom, event: InviteMemberEvent) -> None:
        if event.state_key != self.user_id or event.membership != "invite":
            return
        try:
            await self.client.join(room.room_id)
        except Exception as error:
            self.errors.append(f"joining {room.room_id} failed: {error!r}")

    async def _on_text(self, room: MatrixRoom, event: RoomMessageText) -> None:
        if event.sender == self.user_id:
            return
        content = {
            "msgtype": "m.notice",
            "body": event.body,
            "m.relates_to": {"m.in_reply_to": {"event_id": event.event_id}},
        }
        response: object
        try:
            if self.client.should_query_keys:
                with contextlib.suppress(LocalProtocolError):
                    await self.client.keys_query()
            response = await self.client.room_send(
                room.room_id, "m.room.message", content, ignore_unverified_devices=True
            )
        except Exception as error:
            response = error
        if not isinstance(response, RoomSendResponse):
            self.errors.append(f"echo of {event.event_id} failed: {response!r}")
