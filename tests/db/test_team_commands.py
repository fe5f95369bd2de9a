"""The team commands on a real database (both engines): the replies a user would read.

The handlers are run as the bots run them (:func:`bots.dispatch.run_command`), with contexts as a
room would give them; the appservice's part (creating the room) is played by setting the room.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pytest

from bots import agenda, welcome
from bots.commands import CommandContext, CommandRegistry, Reply, parse_command
from bots.database import DatabaseNotReady, open_shared_database
from bots.dispatch import run_command
from bots.i18n import format_date
from bots.services import BotServices
from bridge.db import create_database, expected_schema_version
from bridge.db.teams import Team, TeamKind, TeamRepository
from bridge.domain.roles import Role
from bridge.domain.teams import TeamService

ALICE, BOB, CAROL = "@alice:localhost", "@bob:localhost", "@carol:localhost"
NAMES = {ALICE: "Alice", BOB: "Bob Martin", CAROL: "carol@example.org"}
ROOM, DM = "!team:localhost", "!dm:localhost"
USAGE = "Écrivez : !creer-equipe <nom> <code postal ou commune>, par exemple"


@dataclass
class Bots:
    teams: TeamService
    welcome: CommandRegistry
    agenda: CommandRegistry


@pytest.fixture
async def bots(database_url: str) -> AsyncIterator[Bots]:
    db = create_database(database_url)
    await db.start()
    services = BotServices.on_database(
        db, domain="localhost", zone=ZoneInfo("Europe/Paris"), room_wait_s=2.0
    )
    teams = services.teams
    try:
        yield Bots(teams, welcome.build_registry(services), agenda.build_registry(services))
    finally:
        await db.stop()


async def say(
    registry: CommandRegistry,
    text: str,
    *,
    sender: str = ALICE,
    room: str = ROOM,
    language: str = "fr",
    mentions: tuple[str, ...] = (),
    names: Mapping[str, str] = NAMES,
) -> Reply:
    parsed = parse_command(text)
    assert parsed is not None
    command = registry.find(parsed.name)
    assert command is not None, text
    context = CommandContext(
        sender, room, "$event", parsed.args, language, mentions=mentions, names=names
    )
    return await run_command(command, context, logging.getLogger("tests"))


async def team_in_room(bots: Bots, name: str = "Les Insoumis du 3e") -> Team:
    """A team led by Alice whose room is ROOM, with Bob and Carol as members."""
    team = await bots.teams.create_team_at(name, TeamKind.LOCAL, "69003", ALICE)
    await bots.teams.repository.set_room(team.id, ROOM)
    await bots.teams.join(team.id, BOB)
    await bots.teams.join(team.id, CAROL)
    return await bots.teams.get_team(team.id)


# --- !creer-equipe ----------------------------------------------------------------------------


async def test_creating_a_team_then_hearing_of_its_room(bots: Bots) -> None:
    reply = await say(bots.welcome, "!creer-equipe Les Insoumis du 3e 69003", room=DM)

    [team] = await bots.teams.list_teams()
    assert (team.name, team.commune, team.postcode) == (
        "Les Insoumis du 3e",
        "Lyon 3e Arrondissement",
        "69003",
    )
    assert [(m.user_id, m.role) for m in await bots.teams.members(team.id)] == [
        (ALICE, Role.REFERENT)
    ]
    assert reply.body == (
        "✅ Équipe « Les Insoumis du 3e » créée (Lyon 3e Arrondissement (69003)), identifiant "
        f"{team.id}. Vous en êtes le référent. Je prépare son salon : vous y serez invité dans "
        "un instant."
    )
    assert reply.follow_up is not None

    async def appservice_creates_the_room() -> None:
        await asyncio.sleep(0.3)
        await bots.teams.repository.set_room(team.id, "!new:localhost")

    creating = asyncio.create_task(appservice_creates_the_room())
    ready = await reply.follow_up()
    await creating
    assert ready is not None
    assert ready.body.startswith(
        "Le salon de l'équipe « Les Insoumis du 3e » est prêt et vous y êtes invité : acceptez "
        "l'invitation dans votre liste de salons (https://matrix.to/#/!new:localhost)."
    )
    assert ready.html and '<a href="https://matrix.to/#/!new:localhost">' in ready.html


async def test_a_room_that_takes_too_long_is_announced_for_later(bots: Bots) -> None:
    reply = await say(bots.welcome, "!create-team Insoumis de Villeurbanne", language="en")
    assert reply.body.startswith(
        "✅ Team “Insoumis de Villeurbanne” created (Villeurbanne (69100))"
    )
    assert reply.follow_up is not None
    late = await reply.follow_up()
    assert late is not None
    assert late.body == (
        "The room of the team “Insoumis de Villeurbanne” is taking longer than expected; the "
        "invite will reach you as soon as it is ready."
    )


@pytest.mark.parametrize(
    ("text", "first_lines"),
    [
        (
            "!creer-equipe",
            ["Il me faut le nom de l'équipe, puis son code postal ou sa commune."],
        ),
        (
            "!creer-equipe Les Verts",
            [
                "Je ne trouve pas de lieu à la fin de « Les Verts » : terminez par un code postal "
                "ou une commune."
            ],
        ),
        (
            "!creer-equipe Insoumis, Marseile",
            [
                "Je ne connais pas de commune ou de code postal « Marseile ».",
                "Vouliez-vous dire :",
                "• Marseille (13001) — Bouches-du-Rhône",
            ],
        ),
        (
            "!creer-equipe Insoumis 99999",
            ["Je ne connais pas de commune ou de code postal « 99999 »."],
        ),
        (
            "!creer-equipe Insoumis de Saint-Denis",
            [
                "Plusieurs communes s'appellent « Saint-Denis » : précisez avec le code postal.",
                "Par exemple :",
            ],
        ),
        (
            "!creer-equipe Y 69003",
            ["Le nom d'une équipe doit faire entre 3 et 80 caractères."],
        ),
    ],
)
async def test_malformed_creations_say_what_is_wrong_and_how_to_write_it(
    bots: Bots, text: str, first_lines: list[str]
) -> None:
    reply = await say(bots.welcome, text, room=DM)
    lines = reply.body.splitlines()
    assert lines[: len(first_lines)] == first_lines
    assert lines[-1].startswith(USAGE)
    assert "Les Insoumis du 3e 69003" in lines[-1]
    assert reply.follow_up is None
    assert await bots.teams.list_teams() == []


async def test_ambiguous_communes_are_listed_with_their_departements(bots: Bots) -> None:
    reply = await say(bots.welcome, "!creer-equipe Insoumis de Saint-Denis", room=DM)
    assert "• Saint-Denis (93200) — Seine-Saint-Denis" in reply.body.splitlines()
    assert "• Saint-Denis (97400) — La Réunion" in reply.body.splitlines()


async def test_remote_users_cannot_create_teams(bots: Bots) -> None:
    reply = await say(bots.welcome, "!creer-equipe Insoumis 69003", sender="@eve:elsewhere.org")
    assert reply.body.startswith(
        "Seuls les comptes de localhost peuvent créer une équipe ; le vôtre est sur un autre "
        "serveur."
    )
    assert await bots.teams.list_teams() == []


async def test_three_creations_a_day_at_most(bots: Bots) -> None:
    for number in range(3):
        reply = await say(bots.welcome, f"!creer-equipe Équipe {number} 69003", room=DM)
        assert reply.body.startswith("✅"), reply.body
    refused = await say(bots.welcome, "!creer-equipe Équipe de trop 69003", room=DM)
    assert refused.body == (
        "Vous avez déjà créé 3 équipes ces dernières 24 heures : réessayez plus tard, ou écrivez "
        "à l'équipe de campagne."
    )
    other = await say(bots.welcome, "!creer-equipe L'équipe de Bob 69003", sender=BOB, room=DM)
    assert other.body.startswith("✅")
    assert len(await bots.teams.list_teams()) == 4


# --- !equipe, !membres -----------------------------------------------------------------------


async def test_team_card(bots: Bots) -> None:
    team = await team_in_room(bots)
    await bots.teams.change_role(team.id, ALICE, BOB, Role.MANAGER)
    card = await say(bots.agenda, "!equipe", sender=CAROL)
    lines = card.body.splitlines()
    assert lines[:5] == [
        "Équipe « Les Insoumis du 3e » — équipe locale",
        "Commune : Lyon 3e Arrondissement (69003), Rhône (69)",
        "Membres : 3",
        "Référents : Alice (@alice:localhost)",
        "Gestionnaires : Bob Martin (@bob:localhost)",
    ]
    assert lines[5] == f"Créée le {format_date(team.created_at, ZoneInfo('Europe/Paris'), 'fr')}"
    assert card.html and "<b>Alice</b> (<code>@alice:localhost</code>)" in card.html

    english = await say(bots.agenda, "!team", language="en", names={})
    assert english.body.splitlines()[:5] == [
        "Team “Les Insoumis du 3e” — local team",
        "Commune: Lyon 3e Arrondissement (69003), Rhône (69)",
        "Members: 3",
        "Referents: @alice:localhost",
        "Managers: @bob:localhost",
    ]
    assert english.body.splitlines()[5].startswith("Created on ")


async def test_members_referents_first_with_names_never_emails(bots: Bots) -> None:
    await team_in_room(bots)
    reply = await say(bots.agenda, "!membres", sender=BOB)
    assert reply.body.splitlines() == [
        "Membres de l'équipe « Les Insoumis du 3e » (3) :",
        "Référents (1)",
        "• Alice (@alice:localhost)",
        "Membres (2)",
        "• Bob Martin (@bob:localhost)",
        "• @carol:localhost",
    ]
    assert "example.org" not in reply.body and reply.html and "example.org" not in reply.html
    assert reply.html.count("<li>") == 3


async def test_team_commands_outside_a_team_room(bots: Bots) -> None:
    await team_in_room(bots)
    for command in ("!equipe", "!membres", "!role @bob:localhost gestionnaire"):
        reply = await say(bots.agenda, command, room=DM)
        assert reply.body == (
            "Ce salon n'est le salon d'aucune équipe. Tapez cette commande dans le salon de "
            "votre équipe."
        )


# --- !role -----------------------------------------------------------------------------------


async def test_referent_changes_roles(bots: Bots) -> None:
    team = await team_in_room(bots)
    promoted = await say(bots.agenda, "!role @bob:localhost gestionnaire")
    assert promoted.body == "Bob Martin (@bob:localhost) est maintenant gestionnaire."
    again = await say(bots.agenda, "!role Bob Martin Manager", mentions=(BOB,))
    assert again.body == "Bob Martin (@bob:localhost) est déjà gestionnaire."
    referent = await say(bots.agenda, "!role référente @carol:localhost", language="en")
    assert referent.body == "@carol:localhost is now referent."
    members = {m.user_id: m.role for m in await bots.teams.members(team.id)}
    assert members == {ALICE: Role.REFERENT, BOB: Role.MANAGER, CAROL: Role.REFERENT}


async def test_role_changes_refused_with_the_reason(bots: Bots) -> None:
    team = await team_in_room(bots)
    by_member = await say(bots.agenda, "!role @bob:localhost gestionnaire", sender=CAROL)
    assert by_member.body == (
        "Vous ne pouvez pas changer ce rôle : il faut un rôle plus élevé que celui de la "
        "personne (membre, puis gestionnaire, puis référent)."
    )
    await bots.teams.change_role(team.id, ALICE, BOB, Role.MANAGER)
    by_manager = await say(bots.agenda, "!role @carol:localhost gestionnaire", sender=BOB)
    assert by_manager.body == "Seul un référent de l'équipe peut nommer quelqu'un gestionnaire."
    upward = await say(bots.agenda, "!role @alice:localhost membre", sender=BOB)
    assert upward.body.startswith("Vous ne pouvez pas changer ce rôle")
    self_demotion = await say(bots.agenda, "!role @alice:localhost membre")
    assert self_demotion.body == (
        "Vous êtes le seul référent de l'équipe : nommez d'abord un autre référent."
    )
    stranger = await say(bots.agenda, "!role @dave:localhost gestionnaire")
    assert stranger.body == "@dave:localhost n'est pas membre de cette équipe."
    outsider = await say(bots.agenda, "!role @bob:localhost membre", sender="@dave:localhost")
    assert outsider.body == "Vous n'êtes pas membre de cette équipe."
    unknown = await say(bots.agenda, "!role @bob:localhost chef")
    assert unknown.body == "« chef » n'est pas un rôle. Rôles : membre, gestionnaire, référent."
    who = await say(bots.agenda, "!role Personne gestionnaire")
    assert who.body.startswith("Je ne sais pas de qui vous parlez")
    assert {m.user_id: m.role for m in await bots.teams.members(team.id)} == {
        ALICE: Role.REFERENT,
        BOB: Role.MANAGER,
        CAROL: Role.MEMBER,
    }


async def test_help_lists_the_team_commands(bots: Bots) -> None:
    reply = await say(bots.agenda, "!aide", room=DM)
    for line in ("• !equipe / !team", "• !membres / !members", "• !role @… <role>"):
        assert line in reply.body
    welcome_help = await say(bots.welcome, "!help", room=DM, language="en")
    assert "• !creer-equipe / !create-team — creates a local team that you lead" in (
        welcome_help.body
    )


# --- The bots' database: opened, never migrated ----------------------------------------------


async def test_bots_wait_for_the_appservice_to_migrate(database_url: str) -> None:
    with pytest.raises(DatabaseNotReady, match="start `ralliement bridge`"):
        await open_shared_database(database_url, timeout=0.3, poll=0.1)

    async def appservice_starts() -> None:
        await asyncio.sleep(0.5)
        db = create_database(database_url)
        await db.start()
        await db.stop()

    starting = asyncio.create_task(appservice_starts())
    db = await open_shared_database(database_url, timeout=30, poll=0.1)
    await starting
    try:
        teams = TeamService(TeamRepository(db))
        team = await teams.create_team_at("Depuis les bots", TeamKind.LOCAL, "69003", ALICE)
        assert (await teams.get_team(team.id)).name == "Depuis les bots"
    finally:
        await db.stop()


async def test_bots_refuse_a_newer_schema(database_url: str) -> None:
    db = create_database(database_url)
    await db.start()
    await db.execute("UPDATE ralliement_version SET version = $1", expected_schema_version() + 1)
    await db.stop()
    with pytest.raises(DatabaseNotReady, match="newer than this program"):
        await open_shared_database(database_url, timeout=5, poll=0.1)
