"""The running appservice: token checks on its HTTP door, and no event lost across a crash."""

from __future__ import annotations

import aiohttp
from nio import RoomCreateResponse

from ralliement.config import load_config
from ralliement.devstack.stack import DevStack
from tests.integration.conftest import NewUser


async def test_appservice_rejects_requests_without_the_hs_token(stack: DevStack) -> None:
    config = load_config(stack.config_path)
    base = f"http://127.0.0.1:{config.appservice.port}/_matrix/app/v1"
    body = {"events": []}
    async with aiohttp.ClientSession() as session:
        async with session.put(f"{base}/transactions/probe1", json=body) as missing:
            assert missing.status == 401
        async with session.put(
            f"{base}/transactions/probe2",
            json=body,
            headers={"Authorization": "Bearer not-the-token"},
        ) as wrong:
            assert wrong.status == 403
            assert (await wrong.json())["errcode"] == "M_FORBIDDEN"
        async with session.get(f"{base}/users/@ralliement_x:localhost") as query:
            assert query.status == 401
        assert config.appservice.hs_token
        async with session.put(
            f"{base}/transactions/probe3",
            json=body,
            headers={"Authorization": f"Bearer {config.appservice.hs_token}"},
        ) as right:
            assert right.status == 200


async def test_invite_sent_while_the_appservice_is_down_is_handled_after_restart(
    stack: DevStack, new_user: NewUser
) -> None:
    assert stack.info is not None
    appservice_bot = stack.info.appservice_bot
    user = await new_user()
    bridge = stack.component("bridge")
    await bridge.stop(kill=True)  # a crash: no clean shutdown
    try:
        created = await user.client.room_create(name="invite while down", invite=[appservice_bot])
        assert isinstance(created, RoomCreateResponse), created
    finally:
        await bridge.start()  # pings the homeserver, which retries the pending transaction
    await user.wait_until(
        lambda: appservice_bot in user.client.rooms[created.room_id].users, timeout=60
    )
