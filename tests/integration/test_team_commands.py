"""A team created in a DM with the welcome bot, then run from its room with the agenda bot:
real Synapse, real appservice, E2EE matrix-nio clients."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from bridge.domain.roles import Role
from bridge.domain.teams import TeamService
from ralliement.devstack.stack import DevStack, StackInfo
from tests.integration.conftest import NewUser
from tests.support.homeserver import eventually, open_team_service
from tests.support.matrix_user import MatrixUser, Received


@pytest.fixture
async def service(stack: DevStack) -> AsyncIterator[TeamService]:
    service = await open_team_service(stack)
    yield service
    await service.repository.db.stop()


async def named_user(new_user: NewUser, name: str) -> MatrixUser:
    user = await new_user()
    await user.client.set_displayname(name)
    return user


async def join_when_invited(user: MatrixUser, room_id: str) -> None:
    await user.wait_until(lambda: room_id in user.client.invited_rooms, timeout=60)
    await user.client.join(room_id)
    rooms = user.client.rooms
    await user.wait_until(lambda: room_id in rooms and rooms[room_id].encrypted)


async def ask(user: MatrixUser, room_id: str, text: str, **content: Any) -> Received:
    """Send a command (with extra content such as a pill) and wait for the bot's answer."""
    response = await user.client.room_send(
        room_id,
        "m.room.message",
        {"msgtype": "m.text", "body": text, **content},
        ignore_unverified_devices=True,
    )
    reply = await user.reply_to(response.event_id, timeout=60)
    assert reply.decrypted and reply.msgtype == "m.notice"
    return reply


async def test_create_a_team_in_a_dm_then_run_it_from_its_room(
    stack_info: StackInfo, service: TeamService, new_user: NewUser
) -> None:
    alice = await named_user(new_user, "Alice Durand")
    bob = await named_user(new_user, "Bob Martin")
    welcome, agenda = stack_info.bots["welcome"], stack_info.bots["agenda"]

    # In a DM, the welcome bot creates the team, then says when its room is there.
    dm = await alice.direct_chat(welcome)
    created = await ask(alice, dm, "!creer-equipe Les Insoumis du 3e 69003")
    assert (created.body or "").startswith(
        "✅ Équipe « Les Insoumis du 3e » créée (Lyon 3e Arrondissement (69003)), identifiant "
    )
    [team] = [t for t in await service.list_teams() if t.name == "Les Insoumis du 3e"]
    ready = await alice.wait_for(
        lambda m: m.sender == welcome and "est prêt et vous y êtes invité" in (m.body or ""),
        timeout=60,
    )
    team = await service.get_team(team.id)
    assert team.room_id is not None and team.room_id in (ready.body or "")
    room = team.room_id

    # In the team room, the agenda bot shows the team.
    await join_when_invited(alice, room)
    card = await ask(alice, room, "!equipe")
    assert card.sender == agenda
    lines = (card.body or "").splitlines()
    assert lines[:5] == [
        "Équipe « Les Insoumis du 3e » — équipe locale",
        "Commune : Lyon 3e Arrondissement (69003), Rhône (69)",
        "Membres : 1",
        f"Référents : Alice Durand ({alice.user_id})",
        "Gestionnaires : personne",
    ]
    assert lines[5].startswith("Créée le ")

    # A second supporter joins; as a member, they cannot promote themselves.
    await alice.client.room_invite(room, bob.user_id)
    await join_when_invited(bob, room)
    await eventually(
        lambda: service.repository.role_of(team.id, bob.user_id), lambda r: r is Role.MEMBER
    )
    refused = await ask(bob, room, f"!role {bob.user_id} gestionnaire")
    assert refused.body == (
        "Vous ne pouvez pas vous donner un autre rôle vous-même : demandez-le à un référent de "
        "l'équipe."
    )

    # The referent promotes them with a pill, as Element sends it.
    pill = f'<a href="https://matrix.to/#/{bob.user_id}">Bob Martin</a>'
    promoted = await ask(
        alice,
        room,
        "!role Bob Martin gestionnaire",
        format="org.matrix.custom.html",
        formatted_body=f"!role {pill} gestionnaire",
        **{"m.mentions": {"user_ids": [bob.user_id]}},
    )
    assert promoted.body == f"Bob Martin ({bob.user_id}) est maintenant gestionnaire."
    assert await service.repository.role_of(team.id, bob.user_id) is Role.MANAGER

    # A manager cannot demote the referent.
    upward = await ask(bob, room, f"!role {alice.user_id} membre")
    assert (upward.body or "").startswith("Vous ne pouvez pas changer ce rôle")

    members = await ask(bob, room, "!membres")
    assert (members.body or "").splitlines() == [
        "Membres de l'équipe « Les Insoumis du 3e » (2) :",
        "Référents (1)",
        f"• Alice Durand ({alice.user_id})",
        "Gestionnaires (1)",
        f"• Bob Martin ({bob.user_id})",
    ]


async def test_team_commands_outside_a_team_room(stack_info: StackInfo, new_user: NewUser) -> None:
    alice = await new_user()
    dm = await alice.direct_chat(stack_info.bots["agenda"])
    reply = await ask(alice, dm, "!equipe")
    assert reply.body == (
        "Ce salon n'est le salon d'aucune équipe. Tapez cette commande dans le salon de "
        "votre équipe."
    )
    # The agenda bot does not greet (its rooms are team rooms), so the reply was the only message.
    assert [m.sender for m in alice.received if m.sender == stack_info.bots["agenda"]] == [
        stack_info.bots["agenda"]
    ]
