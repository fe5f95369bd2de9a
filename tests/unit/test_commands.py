"""Command parsing and the declared registry: what a user typing commands would see."""

from __future__ import annotations

import asyncio
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bots import welcome
from bots.commands import CommandContext, CommandRegistry, HelpEntry, Reply, parse_command
from bots.services import BotServices
from bridge.db import create_database


def build_registry() -> CommandRegistry:
    """The welcome bot's commands, on a database never opened: these tests do not reach it."""
    database = create_database("sqlite:///:memory:", migrate=False)
    services = BotServices.on_database(database, domain="localhost", zone=ZoneInfo("Europe/Paris"))
    return welcome.build_registry(services)


@pytest.mark.parametrize(
    ("text", "name", "args"),
    [
        ("!aide", "aide", ""),
        ("  !AIDE  ", "aide", ""),
        ("!Créer-Équipe Les Verts 75011", "creer-equipe", "Les Verts 75011"),
        ("! aide", "aide", ""),
        ("!", "", ""),
        ("!help   me  please", "help", "me  please"),
    ],
)
def test_parse_command(text: str, name: str, args: str) -> None:
    parsed = parse_command(text)
    assert parsed is not None
    assert (parsed.name, parsed.args) == (name, args)


@pytest.mark.parametrize("text", ["bonjour", "", "   ", "aide!", "?aide"])
def test_plain_text_is_not_a_command(text: str) -> None:
    assert parse_command(text) is None


@given(st.text())
def test_any_text_gets_an_answer_or_is_ignored(text: str) -> None:
    """Parsing never raises, and every command-looking text gets a non-empty reply."""
    registry = build_registry()
    parsed = parse_command(text)
    if parsed is None:
        return
    command = registry.find(parsed.name)
    if command is None:
        reply = registry.unknown(parsed.name, "fr")
    else:
        context = CommandContext("@a:localhost", "!r:localhost", "$e", parsed.args, "fr")
        reply = asyncio.run(command.handler(context))
    assert reply.body.strip()


def test_help_is_generated_from_declarations_in_both_languages() -> None:
    registry = build_registry()
    french = registry.help_text("fr")
    english = registry.help_text("en")
    assert french.body.startswith("Voici ce que je sais faire :")
    assert "• !aide / !help — affiche cette aide" in french.body
    assert english.body.startswith("Here is what I can do:")
    assert "• !aide / !help — shows this help" in english.body
    assert french.html is not None and "<code>!aide / !help</code>" in french.html


def test_help_leaves_out_and_adds_other_bots_commands() -> None:
    registry = build_registry()
    other = HelpEntry(("signaler", "report"), "help.signaler", "[raison]")
    french = registry.help_text("fr", leave_out={"aide"}, others=[other])
    assert "!aide" not in french.body
    assert french.body.splitlines()[-2] == (
        "• !signaler / !report [raison] — dans le salon d'une équipe, en réponse à un message : "
        "le signale aux modérateurs de la campagne, avec une raison si vous voulez (« !signaler "
        "propos insultants »)"
    )
    assert french.html is not None and "<code>!signaler / !report [raison]</code>" in french.html


def test_unknown_command_suggests_the_closest() -> None:
    registry = build_registry()
    assert registry.unknown("aied", "fr").body == (
        "Je ne connais pas la commande « !aied ». Vouliez-vous dire !aide ? "
        "Tapez !aide pour la liste."
    )
    assert registry.unknown("zzz", "en").body == (
        "I don't know the command “!zzz”. Type !help for the list."
    )


def test_a_name_cannot_be_declared_twice() -> None:
    registry = CommandRegistry()

    async def handler(context: CommandContext) -> Reply:
        return Reply("ok")

    registry.command("aide", help_key="help.aide")(handler)
    with pytest.raises(ValueError, match="declared twice"):
        registry.command("Aide", "help", help_key="help.aide")(handler)
