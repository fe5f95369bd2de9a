"""A real E2EE Matrix user for integration tests, on matrix-nio (not cross-signed)."""

from __future__ import annotations

import asyncio
import contextlib
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import aiohttp
from nio import (
    AsyncClient,
    AsyncClientConfig,
    LoginResponse,
    MatrixRoom,
    MegolmEvent,
    RoomCreateResponse,
    RoomMessage,
)


@dataclass(frozen=True)
class Received:
    """A message as the user saw it."""

    event_id: str
    sender: str
    msgtype: str | None
    body: str | None
    encrypted: bool
    decrypted: bool
    in_reply_to: str | None
    source: dict[str, Any]


class MatrixUser:
    """Logs in, syncs in the background, talks in encrypted rooms, records what it receives."""

    def __init__(self, homeserver: str, user_id: str, store_dir: Path) -> None:
        store_dir.mkdir(parents=True, exist_ok=True)
        self.client = AsyncClient(
            homeserver,
            user_id,
            store_path=str(store_dir),
            config=AsyncClientConfig(encryption_enabled=True, store_sync_tokens=True),
        )
        self.received: list[Received] = []
        self._changed = asyncio.Condition()
        self._sync: asyncio.Task[None] | None = None
        self.client.add_event_callback(self._record, (RoomMessage, MegolmEvent))

    @property
    def user_id(self) -> str:
        return self.client.user_id

    async def login(self, password: str) -> None:
        response = await self.client.login(password, device_name="tests")
        assert isinstance(response, LoginResponse), response
        if self.client.should_upload_keys:
            await self.client.keys_upload()
        await self.client.sync(timeout=0, full_state=True)
        self._sync = asyncio.create_task(self.client.sync_forever(timeout=1000))

    async def close(self) -> None:
        try:
            if self._sync is not None:
                self._sync.cancel()
                # A sync loop that already died is reported by the test that needed it, not here.
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await self._sync
        finally:
            await self.client.close()

    async def _record(self, room: MatrixRoom, event: Any) -> None:
        content = event.source.get("content", {})
        relates = content.get("m.relates_to") or {}
        self.received.append(
            Received(
                event_id=event.event_id,
                sender=event.sender,
                msgtype=content.get("msgtype"),
                body=getattr(event, "body", None),
                encrypted=bool(getattr(event, "decrypted", False))
                or isinstance(event, MegolmEvent),
                decrypted=bool(getattr(event, "decrypted", False)),
                in_reply_to=(relates.get("m.in_reply_to") or {}).get("event_id"),
                source=event.source,
            )
        )
        async with self._changed:
            self._changed.notify_all()

    async def direct_chat(self, other: str, timeout: float = 30) -> str:
        """Create an encrypted DM with ``other`` and wait until they joined."""
        response = await self.client.room_create(
            is_direct=True,
            invite=[other],
            preset=None,
            initial_state=[
                {
                    "type": "m.room.encryption",
                    "state_key": "",
                    "content": {"algorithm": "m.megolm.v1.aes-sha2"},
                }
            ],
        )
        assert isinstance(response, RoomCreateResponse), response
        room_id = response.room_id
        await self.wait_until(
            lambda: other in self.client.rooms.get(room_id, _NO_ROOM).users, timeout
        )
        return room_id

    async def send_text(self, room_id: str, body: str) -> str:
        response = await self.client.room_send(
            room_id,
            "m.room.message",
            {"msgtype": "m.text", "body": body},
            ignore_unverified_devices=True,
        )
        return str(response.event_id)

    async def send_raw(self, room_id: str, event_type: str, content: dict[str, Any]) -> str:
        """Send ``content`` as is (no encryption by the client), e.g. a broken ciphertext."""
        url = (
            f"{self.client.homeserver}/_matrix/client/v3/rooms/{room_id}/send/"
            f"{event_type}/raw{time.monotonic_ns()}"
        )
        headers = {"Authorization": f"Bearer {self.client.access_token}"}
        async with (
            aiohttp.ClientSession() as session,
            session.put(url, json=content, headers=headers) as response,
        ):
            return str((await response.json())["event_id"])

    async def reply_to(self, event_id: str, timeout: float = 30) -> Received:
        """The first message received that replies to ``event_id``."""
        return await self.wait_for(lambda m: m.in_reply_to == event_id, timeout)

    async def wait_for(self, predicate: Any, timeout: float = 30) -> Received:
        found: list[Received] = []

        def check() -> bool:
            found[:] = [m for m in self.received if predicate(m)]
            return bool(found)

        await self.wait_until(check, timeout)
        return found[0]

    async def wait_until(self, condition: Any, timeout: float = 30) -> None:
        async def wait() -> None:
            async with self._changed:
                while not condition():
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(self._changed.wait(), 0.25)

        await asyncio.wait_for(wait(), timeout)


class _NoRoom:
    users: ClassVar[dict[str, Any]] = {}


_NO_ROOM = _NoRoom()
