"""The admin room's commands against the real stack, read by a moderator's E2EE client: !ban bans
from every managed room (as the membership state says) and the follow-up says when it is done;
!unban reverses; !listes shows the rules; !surveiller follows a community list whose rules then
ban, !nepplussurveiller lifts them; a non-moderator is refused, in the admin room and in a DM;
a malformed !ban gets the reason and the usage."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator
from urllib.parse import quote

import pytest
from nio import RoomCreateResponse

from bridge.db.managed_rooms import ManagedRooms
from bridge.domain.teams import TeamService
from ralliement.devstack.stack import DevStack
from tests.integration.conftest import NewUser
from tests.integration.test_team_rooms import as_user, joined_member
from tests.support.homeserver import ClientAPI, appservice_api, eventually, open_team_service
from tests.support.matrix_user import MatrixUser, Received
from tests.support.moderation import make_moderator


@pytest.fixture
async def service(stack: DevStack) -> AsyncIterator[TeamService]:
    service = await open_team_service(stack)
    yield service
    await service.repository.db.stop()


def moderation_bot(stack: DevStack) -> str:
    assert stack.info is not None
    return stack.info.bots["moderation"]


async def command(
    user: MatrixUser, room_id: str, text: str, *, timeout: float = 60
) -> tuple[str, Received]:
    """Send ``text`` in ``room_id`` (encrypted) and wait for the bot's answer to it."""
    event_id = await user.send_text(room_id, text)
    reply = await user.reply_to(event_id, timeout=timeout)
    assert reply.decrypted, reply  # the admin room is encrypted
    assert reply.msgtype == "m.notice"
    return event_id, reply


async def follow_up(user: MatrixUser, event_id: str, start: str, timeout: float = 120) -> str:
    """The bot's later answer to ``event_id`` starting with ``start``."""
    found = await user.wait_for(
        lambda m: m.in_reply_to == event_id and (m.body or "").startswith(start), timeout
    )
    return found.body or ""


async def membership(api: ClientAPI, room_id: str, user_id: str) -> str | None:
    status, body = await api.request(
        "GET", f"/rooms/{quote(room_id)}/state/m.room.member/{quote(user_id)}"
    )
    return body.get("membership") if status == 200 else None


async def memberships(api: ClientAPI, rooms: list[str], user_id: str) -> set[str | None]:
    return {await membership(api, room_id, user_id) for room_id in rooms}


async def test_ban_unban_and_the_lists(
    stack: DevStack, service: TeamService, new_user: NewUser
) -> None:
    moderator, alice, mallory = await new_user(), await new_user(), await new_user()
    admin_room = await make_moderator(stack, moderator)
    team = await service.create_team_at("Bordeaux sans trolls", "local", "33000", alice.user_id)
    team_room = await joined_member(service, team, alice)
    await as_user(alice).invite(team_room, mallory.user_id)
    await as_user(mallory).join(team_room)
    api = appservice_api(stack)

    event_id, reply = await command(moderator, admin_room, f"!ban {mallory.user_id} insultes")
    assert (reply.body or "").startswith(
        f"🔨 {mallory.user_id} est banni par la liste de la campagne (raison : insultes)."
    )
    # Every room the campaign manages: team rooms (this one too) and spaces.
    rooms = await ManagedRooms(service.repository.db).room_ids()
    assert team_room in rooms
    await eventually(
        lambda: memberships(api, rooms, mallory.user_id), lambda m: m == {"ban"}, timeout=90
    )
    done = await follow_up(moderator, event_id, "✅")
    assert done.startswith(f"✅ {mallory.user_id} est banni de ")
    status, _ = await as_user(mallory).request("POST", f"/join/{quote(team_room)}", {})
    assert status == 403

    _, lists = await command(moderator, admin_room, "!listes")
    body = lists.body or ""
    assert body.startswith("📋 Liste de la campagne (")
    assert f"• {mallory.user_id} — insultes (par @ralliement_moderation:localhost)" in body

    _, reply = await command(moderator, admin_room, f"!unban {mallory.user_id}")
    assert (reply.body or "").startswith(
        f"🔓 Règle retirée de la liste de la campagne : {mallory.user_id}."
    )
    await eventually(
        lambda: memberships(api, rooms, mallory.user_id), lambda m: m == {"leave"}, timeout=90
    )
    await as_user(alice).invite(team_room, mallory.user_id)
    await as_user(mallory).join(team_room)

    _, reply = await command(moderator, admin_room, f"!unban {mallory.user_id}")
    assert reply.body == (
        f"Aucune règle ne concerne « {mallory.user_id} ». !listes montre les règles."
    )


async def test_a_watched_list_bans_until_it_is_forgotten(
    stack: DevStack, service: TeamService, new_user: NewUser
) -> None:
    moderator, alice, spammer, outsider = [await new_user() for _ in range(4)]
    admin_room = await make_moderator(stack, moderator)
    team = await service.create_team_at("Mérignac sans spam", "local", "33700", alice.user_id)
    team_room = await joined_member(service, team, alice)
    await as_user(alice).invite(team_room, spammer.user_id)
    await as_user(spammer).join(team_room)
    api = appservice_api(stack)

    # A community list, made and kept by someone outside the campaign, with one rule.
    alias_name = f"bans-{secrets.token_hex(3)}"
    created = await outsider.client.room_create(alias=alias_name, name="Liste commune", preset=None)
    assert isinstance(created, RoomCreateResponse), created
    community = created.room_id
    status, body = await as_user(outsider).put_state(
        community, "m.room.join_rules", {"join_rule": "public"}
    )
    assert status == 200, body
    status, body = await as_user(outsider).put_state(
        community,
        "m.policy.rule.user",
        {"entity": spammer.user_id, "recommendation": "m.ban", "reason": "spam connu"},
        f"rule:{spammer.user_id}",
    )
    assert status == 200, body
    alias = f"#{alias_name}:localhost"

    _, reply = await command(moderator, admin_room, f"!surveiller {alias}")
    assert reply.body == (
        f"👀 Je surveille désormais la liste {alias} (lecture seule) : ses règles s'appliquent "
        "dans tous les salons de la campagne."
    )
    await eventually(
        lambda: membership(api, team_room, spammer.user_id), lambda m: m == "ban", timeout=60
    )
    _, lists = await command(moderator, admin_room, "!lists")
    assert f"• {alias} — 1 règle" in (lists.body or "")
    _, again = await command(moderator, admin_room, f"!watch {alias}")
    assert again.body == f"Je surveille déjà {alias}."

    _, reply = await command(moderator, admin_room, f"!unban {spammer.user_id}")
    assert reply.body == (
        f"{spammer.user_id} est banni par la liste surveillée {alias}, en lecture seule ici : je "
        f"ne peux pas y retirer la règle. Pour ne plus suivre cette liste : !nepplussurveiller "
        f"{alias}."
    )

    _, reply = await command(moderator, admin_room, f"!nepplussurveiller {alias}")
    assert (reply.body or "").startswith(f"Je ne surveille plus {alias} : 1 règle oubliée, ")
    await eventually(
        lambda: membership(api, team_room, spammer.user_id), lambda m: m == "leave", timeout=60
    )


async def test_only_moderators_and_only_in_the_admin_room(
    stack: DevStack, new_user: NewUser
) -> None:
    moderator, bystander = await new_user(), await new_user()
    admin_room = await make_moderator(stack, moderator)
    # A member of the admin room without the power of a moderator.
    await appservice_api(stack).invite(admin_room, bystander.user_id)
    await as_user(bystander).join(admin_room)
    await bystander.wait_until(lambda: admin_room in bystander.client.rooms)

    _, reply = await command(bystander, admin_room, "!ban @x:localhost spam")
    assert reply.body == (
        "Désolé, seuls les modérateurs (niveau 50 ou plus dans ce salon) peuvent utiliser !ban."
    )
    # In a DM with the bot, even a moderator is sent to the admin room.
    dm = await moderator.direct_chat(moderation_bot(stack))
    _, reply = await command(moderator, dm, "!ban @x:localhost spam")
    assert reply.body == (
        "Cette commande ne fonctionne que dans le salon d'administration de la modération."
    )


async def test_a_malformed_ban_gets_the_reason_and_the_usage(
    stack: DevStack, new_user: NewUser
) -> None:
    moderator = await new_user()
    admin_room = await make_moderator(stack, moderator)
    usage = (
        "Écrivez : !ban <@compte:serveur | motif | serveur> <raison>, par exemple « !ban "
        "@troll:exemple.org insultes répétées », « !ban @*:spam.example spam » ou « !ban "
        "spam.example raid »."
    )
    _, reply = await command(moderator, admin_room, "!ban @troll:exemple.org")
    assert (reply.body or "").splitlines() == [
        "Il manque la raison du bannissement de @troll:exemple.org : elle est publiée dans la "
        "liste.",
        usage,
    ]
    _, reply = await command(moderator, admin_room, "!ban troll spam")
    assert (reply.body or "").splitlines() == [
        "« troll » n'est ni un identifiant Matrix (@nom:serveur), ni un motif (@*:serveur), ni "
        "un nom de serveur.",
        usage,
    ]
    _, reply = await command(moderator, admin_room, "!ban @*:* tout le monde")
    assert reply.body == "« @*:* » bannirait tout le monde : je refuse une règle aussi large."
    _, reply = await command(moderator, admin_room, f"!ban {moderator.user_id} oups")
    assert reply.body == (
        f"« {moderator.user_id} » désigne {moderator.user_id}, modérateur du salon "
        "d'administration : retirez-lui d'abord ce rôle."
    )
