"""A moderator in Element's engine (matrix-js-sdk + rust crypto, "exclude insecure devices")
talks with the moderation bot in the encrypted admin room: the bot's device is cross-signed by
its account, so its answers decrypt; and the ban it announces is then carried out."""

from __future__ import annotations

import pytest

from ralliement.admin.moderation import add_moderator
from ralliement.devstack.accounts import register_user
from ralliement.devstack.stack import DevStack, StackInfo
from tests.integration.conftest import PASSWORD
from tests.support.element_conversation import ElementConversation, Line, install_element_client
from tests.support.homeserver import stack_config
from tests.support.moderation import admin_room_id


@pytest.fixture(scope="session", autouse=True)
def element_client() -> None:
    install_element_client()


async def answer_to(conv: ElementConversation, text: str, start: str) -> Line:
    """Send ``text`` and return the bot's reply to it starting with ``start`` (alerts of other
    tests may reach the admin room meanwhile: they are skipped)."""
    messages = await conv.send(text)
    sent = conv.last_sent_event_id
    for _ in range(10):
        for message in messages:
            if message.get("in_reply_to") == sent and message.get("body", "").startswith(start):
                return message
        messages = await conv.wait(1)
    raise AssertionError(f"no reply to {text!r} starting with {start!r}")


async def test_a_moderator_in_element_reads_the_moderation_bot_excluding_insecure_devices(
    stack: DevStack, stack_info: StackInfo, shared_secret: str
) -> None:
    account = await register_user(stack_info.homeserver, shared_secret, "moderatrice", PASSWORD)
    await add_moderator(stack_config(stack), account.user_id)
    admin_room = await admin_room_id(stack)
    bot = stack_info.bots["moderation"]

    async with ElementConversation(
        stack_info.homeserver,
        account.user_id,
        PASSWORD,
        bot,
        isolation="signed",
        greeting_count=0,
        room=admin_room,
    ) as conv:
        ready = next(line for line in conv.setup if line["event"] == "ready")
        assert ready["cross_signed"] is True and ready["isolation"] == "signed"
        assert conv.room_id == admin_room
        devices = [line for line in conv.setup if line["event"] == "bot_device"]
        assert devices and all(line["signed_by_owner"] is True for line in devices), devices

        lists = await answer_to(conv, "!listes", "📋 Liste de la campagne")
        assert lists["decrypted"] is True and lists["msgtype"] == "m.notice"

        banned = await answer_to(
            conv, "!ban @raideur_element:localhost insultes", "🔨 @raideur_element:localhost"
        )
        assert banned["decrypted"] is True
        assert "insultes" in banned["body"]
