"""Each bot device is cross-signed by its own account, and stays so when its store is lost."""

from __future__ import annotations

import shutil
from typing import Any

import aiohttp
from signedjson.key import decode_verify_key_bytes
from signedjson.sign import verify_signed_json
from unpaddedbase64 import decode_base64

from ralliement.devstack.stack import DevStack
from tests.integration.conftest import NewUser
from tests.support.matrix_user import MatrixUser


async def query_keys(user: MatrixUser, target: str) -> dict[str, Any]:
    """What any client sees of ``target``'s keys (``POST /keys/query``)."""
    url = f"{user.client.homeserver}/_matrix/client/v3/keys/query"
    headers = {"Authorization": f"Bearer {user.client.access_token}"}
    async with (
        aiohttp.ClientSession() as session,
        session.post(url, json={"device_keys": {target: []}}, headers=headers) as response,
    ):
        assert response.status == 200
        return dict(await response.json())


def only_key(key_object: dict[str, Any]) -> tuple[str, str]:
    ((key_id, public),) = key_object["keys"].items()
    return key_id, public


def assert_signed_by(signed: dict[str, Any], user_id: str, key_id: str, public: str) -> None:
    assert key_id in signed.get("signatures", {}).get(user_id, {}), signed
    verify_key = decode_verify_key_bytes(key_id, decode_base64(public))
    verify_signed_json(signed, user_id, verify_key)  # raises if the signature is wrong


def assert_device_cross_signed(keys: dict[str, Any], bot: str, device_id: str) -> str:
    """Checks master → self-signing → device; returns the master key id."""
    master_id, master_public = only_key(keys["master_keys"][bot])
    self_signing = keys["self_signing_keys"][bot]
    assert_signed_by(self_signing, bot, master_id, master_public)
    ssk_id, ssk_public = only_key(self_signing)
    assert_signed_by(keys["device_keys"][bot][device_id], bot, ssk_id, ssk_public)
    return master_id


async def test_bot_device_is_signed_by_its_self_signing_key(
    stack: DevStack, new_user: NewUser
) -> None:
    assert stack.info is not None
    bot = stack.info.bots["welcome"]
    device_id = stack.component("bots").details["devices"]["welcome"]
    user = await new_user()
    assert_device_cross_signed(await query_keys(user, bot), bot, device_id)


async def test_lost_store_gives_a_new_signed_device_with_the_same_identity(
    stack: DevStack, new_user: NewUser
) -> None:
    assert stack.info is not None
    bot = stack.info.bots["welcome"]
    user = await new_user()
    old_device = stack.component("bots").details["devices"]["welcome"]
    old_master = assert_device_cross_signed(await query_keys(user, bot), bot, old_device)

    await stack.component("bots").stop()
    shutil.rmtree(stack.data_dir / "bots" / "ralliement_bienvenue" / "crypto")
    await stack.component("bots").start()

    new_device = stack.component("bots").details["devices"]["welcome"]
    assert new_device != old_device
    keys = await query_keys(user, bot)
    assert assert_device_cross_signed(keys, bot, new_device) == old_master
    assert old_device not in keys["device_keys"][bot], "the keyless old device must be removed"

    room = await user.direct_chat(bot)
    reply = await user.reply_to(await user.send_text(room, "!aide"))
    assert reply.decrypted and "Voici ce que je sais faire" in (reply.body or "")


async def test_restart_keeps_the_device(stack: DevStack, new_user: NewUser) -> None:
    assert stack.info is not None
    before = stack.component("bots").details["devices"]["welcome"]
    await stack.restart("bots")
    assert stack.component("bots").details["devices"]["welcome"] == before
    user = await new_user()
    room = await user.direct_chat(stack.info.bots["welcome"])
    reply = await user.reply_to(await user.send_text(room, "!help"))
    assert reply.decrypted and "Voici ce que je sais faire" in (reply.body or "")


async def test_command_sent_while_the_bots_are_down_is_answered_once_after_restart(
    stack: DevStack, new_user: NewUser
) -> None:
    assert stack.info is not None
    bot = stack.info.bots["welcome"]
    user = await new_user()
    room = await user.direct_chat(bot)
    await user.reply_to(await user.send_text(room, "!aide"))  # the bot has the room's keys

    bots = stack.component("bots")
    await bots.stop(kill=True)
    try:
        asked = await user.send_text(room, "!aide")
    finally:
        await bots.start()
    reply = await user.reply_to(asked, timeout=60)
    assert reply.decrypted and "Voici ce que je sais faire" in (reply.body or "")
    await user.send_text(room, "!aide")  # a later message, to be sure the backlog is done
    await user.wait_until(lambda: len([m for m in user.received if m.sender == bot]) >= 4)
    answers = [m for m in user.received if m.in_reply_to == asked]
    assert len(answers) == 1, "a command is answered exactly once across a crash"
