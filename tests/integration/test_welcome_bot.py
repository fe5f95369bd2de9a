"""The welcome bot answers in an encrypted DM, from a matrix-nio client, against real Synapse."""

from __future__ import annotations

from ralliement.devstack.stack import StackInfo
from tests.integration.conftest import NewUser


async def test_help_in_an_encrypted_dm(new_user: NewUser, stack_info: StackInfo) -> None:
    user = await new_user()
    bot = stack_info.bots["welcome"]
    room = await user.direct_chat(bot)

    greeting = await user.wait_for(lambda m: m.sender == bot)
    assert "bot d'accueil de Ralliement" in (greeting.body or "")

    asked = await user.send_text(room, "!aide")
    reply = await user.reply_to(asked)
    assert reply.sender == bot
    assert reply.decrypted, "the bot must answer encrypted in an encrypted room"
    assert reply.msgtype == "m.notice"
    assert "Voici ce que je sais faire" in (reply.body or "")
    assert "!aide / !help" in (reply.body or "")


async def test_english_alias_and_case_are_accepted(
    new_user: NewUser, stack_info: StackInfo
) -> None:
    user = await new_user()
    room = await user.direct_chat(stack_info.bots["welcome"])
    reply = await user.reply_to(await user.send_text(room, "  !HELP  "))
    assert "Voici ce que je sais faire" in (reply.body or "")


async def test_unknown_command_gets_a_pointer_to_help(
    new_user: NewUser, stack_info: StackInfo
) -> None:
    user = await new_user()
    room = await user.direct_chat(stack_info.bots["welcome"])

    unknown = await user.reply_to(await user.send_text(room, "!bidule"))
    assert unknown.body == ("Je ne connais pas la commande « !bidule ». Tapez !aide pour la liste.")
    typo = await user.reply_to(await user.send_text(room, "!aied"))
    assert "Vouliez-vous dire !aide ?" in (typo.body or "")
    empty = await user.reply_to(await user.send_text(room, "!"))
    assert "Il manque le nom de la commande" in (empty.body or "")
    chat = await user.reply_to(await user.send_text(room, "bonjour"))
    assert "Tapez !aide pour commencer" in (chat.body or "")


async def test_undecryptable_message_gets_a_notice(
    new_user: NewUser, stack_info: StackInfo
) -> None:
    user = await new_user()
    room = await user.direct_chat(stack_info.bots["welcome"])
    broken = await user.send_raw(
        room,
        "m.room.encrypted",
        {
            "algorithm": "m.megolm.v1.aes-sha2",
            "sender_key": user.client.olm.account.identity_keys["curve25519"],
            "device_id": user.client.device_id,
            "session_id": "A" * 43,
            "ciphertext": "AwgAEnB1bm8gc2Vzc2lvbg",
        },
    )
    notice = await user.reply_to(broken)
    assert "Je n'ai pas pu déchiffrer votre message" in (notice.body or "")
