"""Joining the campaign in a DM with the welcome bot, checked from the supporter's side, with a
real SMTP server (aiosmtpd) receiving the codes."""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator

import pytest

from bridge.db.spaces import ROOT, SpaceRepository
from bridge.db.teams import Team
from bridge.domain.supporters import SupporterService
from bridge.domain.teams import TeamService
from ralliement.devstack.accounts import register_user
from ralliement.devstack.stack import DevStack, StackInfo
from tests.integration.conftest import PASSWORD, NewUser
from tests.support.element_conversation import ElementConversation, install_element_client
from tests.support.homeserver import eventually, open_team_service
from tests.support.matrix_user import MatrixUser
from tests.support.smtp import SmtpServer

_addresses = itertools.count(1)


@pytest.fixture
async def services(stack: DevStack) -> AsyncIterator[tuple[TeamService, SupporterService]]:
    teams = await open_team_service(stack)
    yield teams, SupporterService.on_database(teams.repository.db)
    await teams.repository.db.stop()


_team_sets = itertools.count(1)


@pytest.fixture
async def grenoble_teams(
    services: tuple[TeamService, SupporterService], new_user: NewUser
) -> list[Team]:
    """Three teams around Grenoble (no other test uses the area), named uniquely."""
    teams, _ = services
    referent = await new_user()
    suffix = next(_team_sets)
    return [
        await teams.create_team_at(f"{name} {suffix}", "local", place, referent.user_id)
        for name, place in (
            ("Équipe Échirolles", "38130"),
            ("Équipe Grenoble centre", "38000"),
            ("Équipe Saint-Martin-d'Hères", "38400"),
        )
    ]


def offered_number(offer: dict[str, int], team: Team) -> int:
    assert team.name in offer, offer
    return offer[team.name]


def offered(offer: str) -> dict[str, int]:
    """The teams of a numbered offer, by name: "2. Équipe X — …" → {"Équipe X": 2}."""
    found = {}
    for line in offer.splitlines():
        number, dot, rest = line.partition(". ")
        if dot and number.isdigit():
            found[rest.split(" — ")[0]] = int(number)
    return found


async def supporter_address(supporters: SupporterService) -> str:
    email = f"Militante.{next(_addresses)}@Example.ORG"
    await supporters.upsert(email, "Camille", "69003")
    return email


async def say(user: MatrixUser, room_id: str, text: str) -> str:
    """Send ``text`` in the DM and return the bot's answer to it."""
    event_id = await user.send_text(room_id, text)
    return (await user.reply_to(event_id, timeout=60)).body or ""


async def open_dm(stack: DevStack, user: MatrixUser) -> str:
    welcome = stack.info.bots["welcome"]  # type: ignore[union-attr]
    room_id = await user.direct_chat(welcome)
    await user.wait_for(lambda m: m.sender == welcome and "!rejoindre" in (m.body or ""))
    return room_id


async def test_from_email_to_team_room(
    stack: DevStack,
    services: tuple[TeamService, SupporterService],
    grenoble_teams: list[Team],
    smtp: SmtpServer,
    new_user: NewUser,
) -> None:
    teams, supporters = services
    email = await supporter_address(supporters)
    user = await new_user()
    room_id = await open_dm(stack, user)

    assert "adresse e-mail" in await say(user, room_id, "!rejoindre")
    sent = await say(user, room_id, f"  {email} ")
    assert email.lower() in sent and "code" in sent
    code = await smtp.catcher.code_for(email)
    assert "Où militez-vous" in await say(user, room_id, f"{code[:3]} {code[3:]}")

    offer = offered(await say(user, room_id, "38000"))
    echirolles, centre, saint_martin = (offered_number(offer, t) for t in grenoble_teams)
    assert centre < saint_martin < echirolles  # nearest first: 0, about 4 and 5 km

    done = await say(user, room_id, str(centre))
    assert grenoble_teams[1].name in done and "!autour" in done
    chosen_team = await teams.get_team(grenoble_teams[1].id)
    root = await SpaceRepository(teams.repository.db).get(ROOT)
    await user.wait_until(
        lambda: (
            chosen_team.room_id in user.client.invited_rooms and root in user.client.invited_rooms
        ),
        timeout=60,
    )
    assert (await user.client.join(chosen_team.room_id)).room_id == chosen_team.room_id  # type: ignore[union-attr]
    await eventually(
        lambda: teams.repository.role_of(chosen_team.id, user.user_id), lambda r: r is not None
    )
    linked = await supporters.by_user(user.user_id)
    assert linked is not None and linked.email == email.lower()
    me = await say(user, room_id, "!moi")
    assert "Grenoble 38000" in me and grenoble_teams[1].name in me and email.lower() in me


async def test_wrong_codes_expired_code_unknown_and_taken_addresses(
    stack: DevStack,
    services: tuple[TeamService, SupporterService],
    smtp: SmtpServer,
    new_user: NewUser,
) -> None:
    teams, supporters = services
    db = teams.repository.db
    email = await supporter_address(supporters)
    user = await new_user()
    room_id = await open_dm(stack, user)
    await say(user, room_id, "!rejoindre")

    assert "Je ne trouve pas cette adresse" in await say(user, room_id, "nobody@example.org")
    assert "adresse" in await say(user, room_id, "pas-une-adresse")
    await say(user, room_id, email)
    code = await smtp.catcher.code_for(email)
    wrong = "000000" if code != "000000" else "111111"
    answers = [await say(user, room_id, wrong) for _ in range(5)]
    assert "4" in answers[0]  # tries left
    assert "nouveau code" in answers[-1] or "trop" in answers[-1].lower()
    assert "Où militez-vous" not in await say(user, room_id, code)  # the code is dead now

    # A new code, expired behind the bot's back: refused, and the person starts again.
    await say(user, room_id, "!rejoindre")
    await say(user, room_id, email)
    await smtp.catcher.code_for(email, after=1)
    await db.execute("UPDATE email_code SET expires_at = 0 WHERE user_id = $1", user.user_id)
    code = await smtp.catcher.code_for(email, after=1)
    assert "expir" in (await say(user, room_id, code)).lower()

    # An address already linked to another account is refused.
    other = await new_user()
    await supporters.link(email, other.user_id, allow_unlisted=False)
    await say(user, room_id, "!rejoindre")
    assert "administrat" in (await say(user, room_id, email)).lower()


async def test_restart_in_the_middle_cancel_and_forget_me(
    stack: DevStack,
    services: tuple[TeamService, SupporterService],
    grenoble_teams: list[Team],
    smtp: SmtpServer,
    new_user: NewUser,
) -> None:
    teams, supporters = services
    email = await supporter_address(supporters)
    user = await new_user()
    room_id = await open_dm(stack, user)
    await say(user, room_id, "!rejoindre")
    await say(user, room_id, email)
    code = await smtp.catcher.code_for(email)

    await stack.restart("bots", crash=True)  # the conversation is in the database
    assert "Où militez-vous" in await say(user, room_id, code)
    # A location shared from Element (MSC3488), here the centre of Grenoble.
    location = {
        "msgtype": "m.location",
        "body": "Position partagée",
        "geo_uri": "geo:45.1885,5.7245",
        "org.matrix.msc3488.location": {"uri": "geo:45.1885,5.7245"},
    }
    sent = await user.client.room_send(
        room_id, "m.room.message", location, ignore_unverified_devices=True
    )
    offer = (await user.reply_to(sent.event_id, timeout=60)).body or ""  # type: ignore[union-attr]
    assert grenoble_teams[1].name in offer and "0 pour créer" in offer
    assert "arrêté" in await say(user, room_id, "!annuler")
    assert "rien en cours" in await say(user, room_id, "!annuler")

    chosen = grenoble_teams[2]
    offer = offered(await say(user, room_id, "!equipes"))
    await say(user, room_id, str(offered_number(offer, chosen)))
    await eventually(
        lambda: teams.repository.role_of(chosen.id, user.user_id), lambda r: r is not None
    )
    assert "OUI" in await say(user, room_id, "!oublie-moi")
    erased = await say(user, room_id, "oui")
    assert "effacé" in erased.lower()
    assert await supporters.by_user(user.user_id) is None
    assert await teams.repository.role_of(chosen.id, user.user_id) is None
    assert "aucun soutien" in await say(user, room_id, "!moi")


async def test_the_same_happy_path_from_element_excluding_insecure_devices(
    stack: DevStack,
    stack_info: StackInfo,
    shared_secret: str,
    services: tuple[TeamService, SupporterService],
    grenoble_teams: list[Team],
    smtp: SmtpServer,
) -> None:
    install_element_client()
    teams, supporters = services
    email = await supporter_address(supporters)
    account = await register_user(
        stack_info.homeserver, shared_secret, f"element_joiner_{next(_team_sets)}", PASSWORD
    )
    async with ElementConversation(
        stack_info.homeserver, account.user_id, PASSWORD, stack_info.bots["welcome"],
        isolation="signed",
    ) as conv:  # fmt: skip
        assert "!rejoindre" in conv.greeting[0]["body"]

        async def say(text: str) -> str:
            [reply] = await conv.send(text)
            assert reply["event"] == "reply" and reply["decrypted"] is True, reply
            assert reply["in_reply_to"] == conv.last_sent_event_id
            return str(reply["body"])

        assert "adresse e-mail" in await say("!rejoindre")
        assert "code" in await say(email)
        assert "Où militez-vous" in await say(await smtp.catcher.code_for(email))
        offer = offered(await say("Grenoble"))
        chosen = grenoble_teams[1]
        assert chosen.name in await say(str(offered_number(offer, chosen)))

        room_id = (await teams.get_team(chosen.id)).room_id
        invites = {room["room_id"] for room in await conv.invites(expect=2)}
        root = await SpaceRepository(teams.repository.db).get(ROOT)
        assert {room_id, root} <= invites
        await conv.join(str(room_id))
    await eventually(
        lambda: teams.repository.role_of(chosen.id, account.user_id), lambda r: r is not None
    )
