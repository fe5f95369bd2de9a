"""Reports against the real stack, the admin room's side: a member replies ``!signaler insulte``
to another's message in a team room; the moderator's E2EE client sees the report in the admin
room with the link to the message; the moderator reacts 🗑️ and the message is redacted (as a
member's client sees it); a second moderator's ✅ on the handled report is told who handled it."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bridge.domain.teams import TeamService
from ralliement.devstack.stack import DevStack
from tests.integration.conftest import NewUser
from tests.integration.test_purge import redacted, seen_by
from tests.integration.test_team_rooms import as_user, joined_member
from tests.support.homeserver import eventually, open_team_service
from tests.support.matrix_user import MatrixUser
from tests.support.moderation import make_moderator


@pytest.fixture
async def service(stack: DevStack) -> AsyncIterator[TeamService]:
    service = await open_team_service(stack)
    yield service
    await service.repository.db.stop()


async def react(user: MatrixUser, room_id: str, event_id: str, key: str) -> None:
    response = await user.client.room_send(
        room_id,
        "m.reaction",
        {"m.relates_to": {"rel_type": "m.annotation", "event_id": event_id, "key": key}},
        ignore_unverified_devices=True,
    )
    assert hasattr(response, "event_id"), response


async def test_a_report_reaches_the_admin_room_and_is_handled_by_reaction(
    stack: DevStack, service: TeamService, new_user: NewUser
) -> None:
    assert stack.info is not None
    bot = stack.info.bots["moderation"]
    moderator, second, alice, bob = [await new_user() for _ in range(4)]
    admin_room = await make_moderator(stack, moderator)
    await make_moderator(stack, second)
    team = await service.create_team_at("Arcachon solidaire", "local", "33120", alice.user_id)
    room_id = await joined_member(service, team, alice)
    await as_user(alice).invite(room_id, bob.user_id)
    await as_user(bob).join(room_id)
    for user in (alice, bob):
        await user.wait_until(lambda u=user: room_id in u.client.rooms)
    await bob.wait_until(lambda: alice.user_id in bob.client.rooms[room_id].users)

    insult = await bob.send_text(room_id, "Vous êtes tous des incapables")
    await alice.wait_for(lambda m: m.event_id == insult and m.decrypted)
    response = await alice.client.room_send(
        room_id,
        "m.room.message",
        {
            "msgtype": "m.text",
            "body": "!signaler insulte",
            "m.relates_to": {"m.in_reply_to": {"event_id": insult}},
        },
        ignore_unverified_devices=True,
    )
    assert hasattr(response, "event_id"), response

    link = f"https://matrix.to/#/{room_id}/{insult}"
    alert = await moderator.wait_for(
        lambda m: m.sender == bot and link in (m.body or ""), timeout=60
    )
    assert alert.decrypted and alert.msgtype == "m.notice"
    body = alert.body or ""
    assert alert.source["content"]["org.ralliement.moderation_alert"]["kind"] == "report"
    assert body.startswith("🚩 Signalement n°")
    assert f"{bob.user_id} signalé par {alice.user_id} dans Arcachon solidaire" in body
    assert "Motif : insulte" in body
    assert "Vous êtes tous des incapables" in body
    assert (
        "🔨 bannir de la campagne, 🗑️ effacer le message, 👢 expulser du salon, ✅ classer" in body
    )
    assert f'<a href="{link}">' in alert.source["content"]["formatted_body"]

    await react(moderator, admin_room, alert.event_id, "🗑️")
    done = await moderator.reply_to(alert.event_id, timeout=60)
    assert (done.body or "").startswith(
        f"🗑️ {moderator.user_id} a fait effacer le message signalé de {bob.user_id}"
    )
    await eventually(lambda: seen_by(alice, room_id, insult), redacted, timeout=60)

    await react(second, admin_room, alert.event_id, "✅")
    already = await second.wait_for(
        lambda m: m.in_reply_to == alert.event_id and "déjà été traité" in (m.body or ""),
        timeout=60,
    )
    assert f"a déjà été traité par {moderator.user_id} (message effacé)." in (already.body or "")
