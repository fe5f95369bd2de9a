"""The moderation bot's protections and !signaler in team rooms, against the real stack, as the
members' E2EE clients see them: a forbidden word from a new member is removed and its author
warned in reply (and the moderators alerted); a new member's links-only message and a message
mentioning too many people are removed; a member whose display name holds a forbidden word is
kicked; a moderator of the room is not filtered; !signaler is answered in private (a DM the
moderation bot invites the reporter to), nothing in the team room, and the command leaves the
room. (The session's stack forbids "connard": tests/integration/conftest.py.)"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import pytest
from nio import RedactedEvent, RoomGetEventResponse

from bridge.domain.roles import Role
from bridge.domain.teams import TeamService
from ralliement.devstack.stack import DevStack, StackInfo
from tests.integration.conftest import NewUser
from tests.integration.test_team_rooms import as_user, joined_member
from tests.support.homeserver import eventually, open_team_service
from tests.support.matrix_user import MatrixUser, Received
from tests.support.moderation import make_moderator

WARNED = "votre message a été retiré"


@pytest.fixture
async def service(stack: DevStack) -> AsyncIterator[TeamService]:
    service = await open_team_service(stack)
    yield service
    await service.repository.db.stop()


@dataclass
class TeamRoom:
    room_id: str
    team_id: str
    referent: MatrixUser
    moderation_bot: str


async def bot_joined(user: MatrixUser, room_id: str, bot: str) -> None:
    """Wait until ``user``'s client sees ``bot`` joined to ``room_id`` (so that what the user
    sends is encrypted for the bot too)."""
    rooms = user.client.rooms

    def joined() -> bool:
        room = rooms.get(room_id)
        return room is not None and bot in room.users and bot not in room.invited_users

    await user.wait_until(joined, timeout=60)


async def team_room(
    service: TeamService, new_user: NewUser, stack_info: StackInfo, name: str, postcode: str
) -> TeamRoom:
    referent = await new_user()
    team = await service.create_team_at(name, "local", postcode, referent.user_id)
    room_id = await joined_member(service, team, referent)
    bot = stack_info.bots["moderation"]
    await bot_joined(referent, room_id, bot)
    return TeamRoom(room_id, team.id, referent, bot)


async def newcomer(new_user: NewUser, team: TeamRoom, name: str) -> MatrixUser:
    """A supporter who just joined the team room (invited by its referent), named ``name``."""
    user = await new_user()
    await user.client.set_displayname(name)
    await as_user(team.referent).invite(team.room_id, user.user_id)
    await as_user(user).join(team.room_id)
    await bot_joined(user, team.room_id, team.moderation_bot)
    await team.referent.wait_until(lambda: user.user_id in team.referent.client.rooms[
        team.room_id].users)  # fmt: skip
    return user


async def invited_by(user: MatrixUser, inviter: str) -> str:
    """The room ``inviter`` invites ``user`` to (waited for)."""
    found: list[str] = []

    def invited() -> bool:
        found[:] = [
            room_id
            for room_id, room in user.client.invited_rooms.items()
            if room.inviter == inviter
        ]
        return bool(found)

    await user.wait_until(invited, timeout=60)
    return found[0]


async def send(user: MatrixUser, room_id: str, content: dict[str, Any]) -> str:
    response = await user.client.room_send(
        room_id, "m.room.message", content, ignore_unverified_devices=True
    )
    return str(response.event_id)


async def is_redacted(user: MatrixUser, room_id: str, event_id: str) -> bool:
    response = await user.client.room_get_event(room_id, event_id)
    assert isinstance(response, RoomGetEventResponse), response
    return isinstance(response.event, RedactedEvent)


async def redacted(user: MatrixUser, room_id: str, event_id: str) -> None:
    """Wait until ``user`` sees ``event_id`` removed (the appservice carries it out)."""
    await eventually(lambda: is_redacted(user, room_id, event_id), bool, timeout=60)


async def warning(user: MatrixUser, team: TeamRoom, event_id: str) -> Received:
    """The moderation bot's warning in reply to ``event_id``, as ``user`` reads it."""
    found = await user.wait_for(
        lambda m: m.sender == team.moderation_bot and m.in_reply_to == event_id, timeout=60
    )
    assert found.decrypted and found.msgtype == "m.notice"
    return found


async def test_a_slur_from_a_new_member_is_removed_and_its_author_warned(
    stack: DevStack, stack_info: StackInfo, service: TeamService, new_user: NewUser
) -> None:
    team = await team_room(service, new_user, stack_info, "Équipe Guillotière", "69007")
    moderator = await new_user()
    await make_moderator(stack, moderator)  # only in the admin room and the ban list
    bob = await newcomer(new_user, team, "Bob Martin")

    insult = await send(bob, team.room_id, {"msgtype": "m.text", "body": "Quel CONNARD ce maire"})

    # Another member sees the message removed, and the warning that mentions its author.
    alice = team.referent
    await redacted(alice, team.room_id, insult)
    seen = await warning(alice, team, insult)
    assert seen.body == (
        "Bob Martin, votre message a été retiré : il contenait un mot interdit dans les salons de "
        "la campagne. Encore 2 avertissements et vous serez exclu des salons de la campagne."
    )
    content = seen.source["content"]
    assert content["m.mentions"] == {"user_ids": [bob.user_id]}
    assert f"https://matrix.to/#/{bob.user_id}" in content["formatted_body"]
    assert "connard" not in content["formatted_body"].lower()
    # The author reads it too (it mentions them).
    assert (await warning(bob, team, insult)).body == seen.body

    # The moderators read what happened in the admin room, with the excerpt.
    alert = await moderator.wait_for(
        lambda m: m.sender == team.moderation_bot and bob.user_id in (m.body or ""), timeout=60
    )
    assert "Quel CONNARD ce maire" in (alert.body or "")
    assert "1 avertissement" in (alert.body or "")


async def test_a_new_members_links_only_message_is_removed(
    stack_info: StackInfo, service: TeamService, new_user: NewUser
) -> None:
    team = await team_room(service, new_user, stack_info, "Équipe Gerland", "69007")
    carol = await newcomer(new_user, team, "Carol Petit")

    hello = await send(
        carol,
        team.room_id,
        {"msgtype": "m.text", "body": "Bonjour ! Notre tract : https://ralliement.example.org/t"},
    )
    spam = await send(
        carol, team.room_id, {"msgtype": "m.text", "body": "https://promo.example.com/gagnez"}
    )
    alice = team.referent
    await redacted(alice, team.room_id, spam)
    seen = await warning(alice, team, spam)
    assert (seen.body or "").startswith(
        "Carol Petit, votre message a été retiré : les nouveaux membres ne peuvent pas encore "
        "envoyer seulement des liens ou des fichiers."
    )
    # Judged first, in order: the message with words stays.
    assert not await is_redacted(alice, team.room_id, hello)
    assert not [m for m in alice.received if m.in_reply_to == hello]


async def test_a_message_mentioning_too_many_people_is_removed(
    stack_info: StackInfo, service: TeamService, new_user: NewUser
) -> None:
    team = await team_room(service, new_user, stack_info, "Équipe Monplaisir", "69008")
    dan = await newcomer(new_user, team, "Dan Roux")
    domain = dan.user_id.split(":", 1)[1]
    people = [f"@voisin{n}:{domain}" for n in range(9)]  # more than max_mentions (8)
    pills = " ".join(f'<a href="https://matrix.to/#/{p}">{p}</a>' for p in people)
    spam = await send(
        dan,
        team.room_id,
        {
            "msgtype": "m.text",
            "body": "Venez voir " + " ".join(people),
            "format": "org.matrix.custom.html",
            "formatted_body": "Venez voir " + pills,
            "m.mentions": {"user_ids": people},
        },
    )
    alice = team.referent
    await redacted(alice, team.room_id, spam)
    seen = await warning(alice, team, spam)
    assert "il mentionnait trop de personnes (au plus 8 par message" in (seen.body or "")


async def test_a_member_with_a_forbidden_display_name_is_kicked(
    stack_info: StackInfo, service: TeamService, new_user: NewUser
) -> None:
    team = await team_room(service, new_user, stack_info, "Équipe Vaise", "69009")
    troll = await new_user()
    await troll.client.set_displayname("Le Connard du 69")
    await as_user(team.referent).invite(team.room_id, troll.user_id)
    await as_user(troll).join(team.room_id)

    async def membership() -> dict[str, Any]:
        state = await as_user(team.referent).state(team.room_id)
        return state.get(("m.room.member", troll.user_id), {})

    kicked = await eventually(membership, lambda m: m.get("membership") == "leave", timeout=60)
    assert kicked["reason"] == (
        "Nom d'affichage contraire aux règles de la campagne : changez-le avant de revenir"
    )


async def test_a_moderator_of_the_room_is_not_filtered_and_signaler_gets_one_answer(
    stack_info: StackInfo, service: TeamService, new_user: NewUser
) -> None:
    team = await team_room(service, new_user, stack_info, "Équipe Croix-Paquet", "69001")
    alice = team.referent
    manager = await newcomer(new_user, team, "Marc Gestionnaire")
    eve = await newcomer(new_user, team, "Ève Durand")
    await service.change_role(team.team_id, alice.user_id, manager.user_id, Role.MANAGER)

    def power_of_manager() -> bool:
        room = manager.client.rooms[team.room_id]
        return room.power_levels.get_user_level(manager.user_id) == 50

    await manager.wait_until(power_of_manager, timeout=60)

    # The manager (power 50) says the word; then a member does: the bot judges in order, so
    # once the member is warned, the manager's message was judged, and kept.
    allowed = await send(manager, team.room_id, {"msgtype": "m.text", "body": "connard (cité)"})
    caught = await send(eve, team.room_id, {"msgtype": "m.text", "body": "bande de connards"})
    await warning(alice, team, caught)
    await redacted(alice, team.room_id, caught)
    assert not await is_redacted(alice, team.room_id, allowed)
    assert not [m for m in alice.received if m.in_reply_to == allowed]

    # Eve reports the manager's message with !signaler, in reply to it, as Element sends it.
    command = await send(
        eve,
        team.room_id,
        {
            "msgtype": "m.text",
            "body": f"> <{manager.user_id}> connard (cité)\n\n!signaler propos déplacés",
            "m.relates_to": {"m.in_reply_to": {"event_id": allowed}},
        },
    )
    # The thanks come in private: the moderation bot invites Eve to a DM, where she reads them.
    dm = await invited_by(eve, team.moderation_bot)
    await eve.client.join(dm)
    thanks = await eve.wait_for(
        lambda m: m.sender == team.moderation_bot and (m.body or "").startswith("🚩"), timeout=60
    )
    assert thanks.decrypted and thanks.body == (
        f"🚩 Merci, votre signalement du message de {manager.user_id} dans Équipe Croix-Paquet "
        "est arrivé aux modérateurs de la campagne ; ils vont le regarder. Je vous réponds ici, "
        "en privé, et j'ai retiré votre commande du salon (il n'y reste qu'un message supprimé)."
    )
    room = eve.client.rooms[dm]
    assert room.encrypted and set(room.users) == {team.moderation_bot, eve.user_id}
    # The command leaves the room, and nobody answers it there: neither the moderation bot
    # nor the agenda bot, which shares the room.
    await redacted(alice, team.room_id, command)
    await asyncio.sleep(3)
    assert [m.sender for m in eve.received if m.in_reply_to == command] == []
    assert not [m for m in alice.received if "🚩" in (m.body or "")]

    # Not a reply: the usage, with an example.
    lone = await send(eve, team.room_id, {"msgtype": "m.text", "body": "!signaler"})
    refused = await eve.reply_to(lone, timeout=60)
    assert refused.body == (
        "!signaler se tape en réponse au message à signaler.\nRépondez au message à signaler "
        "avec !signaler [raison], par exemple « !signaler propos insultants »."
    )
