"""A conversation with the welcome bot from Element's engine (matrix-js-sdk + rust crypto) in
"exclude insecure devices" mode, step by step (tests/support/element_conversation.py)."""

from __future__ import annotations

import pytest

from ralliement.devstack.accounts import register_user
from ralliement.devstack.stack import StackInfo
from tests.integration.conftest import PASSWORD
from tests.support.element_conversation import ElementConversation, install_element_client


@pytest.fixture(scope="session", autouse=True)
def element_client() -> None:
    install_element_client()


async def test_conversation_with_the_welcome_bot_excluding_insecure_devices(
    stack_info: StackInfo, shared_secret: str
) -> None:
    account = await register_user(stack_info.homeserver, shared_secret, "elise", PASSWORD)
    bot = stack_info.bots["welcome"]
    async with ElementConversation(
        stack_info.homeserver, account.user_id, PASSWORD, bot, isolation="signed"
    ) as conv:
        ready = next(line for line in conv.setup if line["event"] == "ready")
        assert ready["cross_signed"] is True and ready["isolation"] == "signed"

        [greeting] = conv.greeting
        assert greeting["event"] == "reply" and greeting["decrypted"] is True
        assert "bot d'accueil de Ralliement" in greeting["body"]

        [help_] = await conv.send("!aide")
        assert help_["event"] == "reply", help_
        assert help_["decrypted"] is True
        assert help_["msgtype"] == "m.notice"
        assert help_["in_reply_to"] == conv.last_sent_event_id
        assert "Voici ce que je sais faire" in help_["body"]
        assert "!aide / !help" in help_["body"]

        [unknown] = await conv.send("!nimportequoi")
        assert unknown["event"] == "reply" and unknown["decrypted"] is True, unknown
        assert unknown["in_reply_to"] == conv.last_sent_event_id
        assert unknown["body"] == (
            "Je ne connais pas la commande « !nimportequoi ». Tapez !aide pour la liste."
        )
