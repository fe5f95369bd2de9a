"""Plain client-server API calls for tests: read state as a user would, or act as the appservice."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar
from urllib.parse import quote

import aiohttp
import yaml

from bridge.db import create_database
from bridge.db.teams import TeamRepository
from bridge.domain.teams import TeamService
from ralliement.config import Config, load_config
from ralliement.devstack.stack import DevStack

T = TypeVar("T")


class ClientAPI:
    """Requests to the homeserver with one access token (a user's, or the appservice's)."""

    def __init__(self, homeserver: str, token: str, *, as_user: str | None = None) -> None:
        self.homeserver = homeserver
        self.token = token
        self.as_user = as_user

    async def request(
        self, method: str, path: str, body: dict[str, Any] | None = None
    ) -> tuple[int, Any]:
        params = {"user_id": self.as_user} if self.as_user else {}
        async with (
            aiohttp.ClientSession() as session,
            session.request(
                method,
                f"{self.homeserver}/_matrix/client/v3{path}",
                json=body,
                params=params,
                headers={"Authorization": f"Bearer {self.token}"},
            ) as response,
        ):
            return response.status, await response.json()

    async def state(self, room_id: str) -> dict[tuple[str, str], dict[str, Any]]:
        status, events = await self.request("GET", f"/rooms/{quote(room_id)}/state")
        assert status == 200, events
        return {(e["type"], e.get("state_key", "")): e["content"] for e in events}

    async def put_state(
        self, room_id: str, event_type: str, content: dict[str, Any], state_key: str = ""
    ) -> tuple[int, Any]:
        return await self.request(
            "PUT", f"/rooms/{quote(room_id)}/state/{event_type}/{quote(state_key)}", content
        )

    async def join(self, room_id: str) -> None:
        status, body = await self.request("POST", f"/join/{quote(room_id)}", {})
        assert status == 200, body

    async def leave(self, room_id: str) -> None:
        status, body = await self.request("POST", f"/rooms/{quote(room_id)}/leave", {})
        assert status == 200, body

    async def invite(self, room_id: str, user_id: str) -> None:
        status, body = await self.request(
            "POST", f"/rooms/{quote(room_id)}/invite", {"user_id": user_id}
        )
        assert status == 200, body


def stack_config(stack: DevStack) -> Config:
    return load_config(stack.config_path)


def appservice_api(stack: DevStack) -> ClientAPI:
    """The appservice bot's view (its token is in the stack's registration file)."""
    registration = yaml.safe_load((stack.data_dir / "registration.yaml").read_text())
    assert stack.info is not None
    return ClientAPI(stack.info.homeserver, registration["as_token"])


async def open_team_service(stack: DevStack) -> TeamService:
    """The domain service on the stack's own database (what the CLI and the bots use)."""
    db = create_database(stack_config(stack).database.url)
    await db.start()
    return TeamService(TeamRepository(db))


async def eventually(
    probe: Callable[[], Awaitable[T]], accept: Callable[[T], bool], timeout: float = 30
) -> T:
    """Poll ``probe`` until ``accept`` holds for its result; the last result otherwise fails."""
    deadline = time.monotonic() + timeout
    while True:
        value = await probe()
        if accept(value):
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"still not as expected after {timeout} s: {value!r}")
        await asyncio.sleep(0.2)
