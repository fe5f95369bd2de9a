"""``ralliement admin``: teams, spaces, supporters and people's data from the command line,
through the domain services.

Each command is declared once in :data:`COMMANDS` (its words, help, arguments and handler); the
parser is built from that table. Output is text for people, or one JSON document with ``--json``
(the same shapes as the provisioning API). Exit codes: 0 done, 1 refused or partly failed (the
message says why), 2 usage or configuration error.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from collections.abc import AsyncIterator, Callable, Coroutine
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import asyncpg
from mautrix.util.async_db import Database

from bridge.db import create_database
from bridge.db.teams import TeamKind, TeamRepository
from bridge.domain.errors import DomainError
from bridge.domain.supporters import SupporterService
from bridge.domain.teams import TeamService
from ralliement.config import Config, load_config
from ralliement.logs import setup_logging

from . import moderation
from .importer import import_rows
from .inputs import kind_from_word, user_id_problem
from .messages import admin_message
from .supporter_import import import_supporters
from .tables import SUPPORTERS, TEAMS, ImportFileError, ImportRow, Table, rows_from_csv
from .views import card_json, team_card, team_json, teams_table

BRIDGE_HINT = "the appservice creates {what} as soon as it runs (`ralliement bridge -c {config}`)"


class UsageError(Exception):
    """A command given wrong input: exit code 2, one line."""


Handler = Callable[[argparse.Namespace], Coroutine[Any, Any, int]]


@dataclass(frozen=True)
class Command:
    words: tuple[str, ...]
    help: str
    handler: Handler
    arguments: tuple[tuple[tuple[str, ...], dict[str, Any]], ...] = field(default=())
    needs_registration: bool = False
    details: str = ""


def arg(*names: str, **options: Any) -> tuple[tuple[str, ...], dict[str, Any]]:
    return names, options


JSON = arg("--json", action="store_true", help="print one JSON document instead of text")


def out(args: argparse.Namespace, data: Any, text: str) -> None:
    print(json.dumps(data, ensure_ascii=False) if args.json else text, flush=True)


@asynccontextmanager
async def open_database(config: Config) -> AsyncIterator[Database]:
    """The configured database (migrated if needed), closed afterwards."""
    db = create_database(config.database.url)
    try:
        await db.start()
    except (OSError, asyncpg.PostgresError) as error:
        raise UsageError(
            f"cannot open the database (database.url in {config.path}): {error}"
        ) from error
    try:
        yield db
    finally:
        await db.stop()


@asynccontextmanager
async def team_service(config: Config) -> AsyncIterator[TeamService]:
    """The team service on the configured database."""
    async with open_database(config) as db:
        yield TeamService(TeamRepository(db))


@asynccontextmanager
async def supporter_service(config: Config) -> AsyncIterator[SupporterService]:
    """The supporter service on the configured database."""
    async with open_database(config) as db:
        yield SupporterService.on_database(db)


def read_table(file: Path, table: Table) -> tuple[list[ImportRow], list[str]]:
    """The rows of a CSV file (``-``: standard input) and its ignored columns.

    Raises:
        UsageError: the file cannot be read, or is not a table with the required columns.
    """
    try:
        data = sys.stdin.buffer.read() if str(file) == "-" else file.read_bytes()
    except OSError as error:
        raise UsageError(f"cannot read {file}: {error.strerror or error}") from error
    try:
        return rows_from_csv(data, table)
    except ImportFileError as error:
        raise UsageError(f"{file}: {error}") from error


# --- Handlers -------------------------------------------------------------------------------


async def team_create(args: argparse.Namespace) -> int:
    if problem := user_id_problem(args.referent):
        raise UsageError(f"--referent {problem}")
    async with team_service(args.config_loaded) as service:
        team = await service.create_team_at(
            args.name,
            args.kind,
            args.place,
            args.referent,
            description=args.description or "",
            avatar_url=args.avatar_url,
        )
        team = await service.wait_for_room(team.id, args.wait)
    lines = [f"Created team {team.name!r}: {team.id} (referent {args.referent})."]
    if team.room_id:
        lines.append(f"Room: {team.room_id}")
    else:
        hint = BRIDGE_HINT.format(what="it", config=args.config)
        lines.append(f"Its room is not there yet: {hint}.")
    out(args, {"team": team_json(team, 1), "room_pending": team.room_id is None}, "\n".join(lines))
    return 0


async def team_list(args: argparse.Namespace) -> int:
    async with team_service(args.config_loaded) as service:
        teams = await service.list_teams(include_archived=args.all)
        counts = await service.repository.member_counts()
    if teams:
        text = teams_table(teams, counts)
    else:
        text = "No teams yet: `ralliement admin team create` or `ralliement admin team import`."
    out(args, {"teams": [team_json(team, counts.get(team.id, 0)) for team in teams]}, text)
    return 0


async def team_show(args: argparse.Namespace) -> int:
    async with team_service(args.config_loaded) as service:
        team = await service.get_team(args.team_id)
        members = await service.members(team.id)
    out(args, card_json(team, members), team_card(team, members))
    return 0


async def team_archive(args: argparse.Namespace) -> int:
    async with team_service(args.config_loaded) as service:
        team = await service.archive_team(args.team_id)
    text = (
        f"Archived team {team.name!r} ({team.id}): kept with its members, out of the lists; the"
        " appservice takes its room out of the spaces and closes it."
    )
    out(args, {"team": team_json(team)}, text)
    return 0


async def team_import(args: argparse.Namespace) -> int:
    rows, ignored = read_table(args.file, TEAMS)
    async with team_service(args.config_loaded) as service:
        report = await import_rows(service, rows, dry_run=args.dry_run, ignored_columns=ignored)
    text = report.as_text()
    if report.created and not args.dry_run:
        text += "\nRooms: " + BRIDGE_HINT.format(what="the new teams' rooms", config=args.config)
    out(args, report.as_json(), text)
    return 1 if report.errors else 0


async def supporters_import(args: argparse.Namespace) -> int:
    rows, ignored = read_table(args.file, SUPPORTERS)
    async with supporter_service(args.config_loaded) as service:
        report = await import_supporters(
            service, rows, dry_run=args.dry_run, ignored_columns=ignored
        )
    out(args, report.as_json(), report.as_text())
    return 1 if report.errors else 0


async def person_export(args: argparse.Namespace) -> int:
    async with supporter_service(args.config_loaded) as service:
        data = await service.export(args.who)
    document = json.dumps(data, ensure_ascii=False, indent=2)
    if args.output is None:
        print(document, flush=True)
        return 0
    try:
        # Personal data: readable by the admin only.
        descriptor = os.open(args.output, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as file:
            file.write(document + "\n")
    except OSError as error:
        raise UsageError(f"cannot write {args.output}: {error.strerror or error}") from error
    print(f"Wrote everything stored about {args.who} to {args.output}.", flush=True)
    return 0


async def space_init(args: argparse.Namespace) -> int:
    from mautrix.errors import MatrixError

    from bridge.rooms import open_room_projection

    config = args.config_loaded
    try:
        async with open_room_projection(config) as projection:
            room_id = await projection.spaces.ensure_root()
    except (MatrixError, OSError) as error:
        print(
            f"ralliement admin: the homeserver at {config.homeserver.address} refused or is"
            f" unreachable: {error}",
            file=sys.stderr,
        )
        return 1
    out(args, {"room_id": room_id}, f"Campaign space {config.campaign.name!r}: {room_id}")
    return 0


COMMANDS: tuple[Command, ...] = (
    Command(
        ("team", "create"),
        "create a team; its room follows (created by the appservice)",
        team_create,
        (
            arg("name", help="the team's name, 3 to 80 characters"),
            arg(
                "--kind",
                required=True,
                type=kind_from_word,
                choices=[kind.value for kind in TeamKind],
                help="local or thematic (French: locale, thématique)",
            ),
            arg("--place", help="postcode or commune, e.g. 69003 or Villeurbanne (local teams)"),
            arg("--referent", required=True, help="Matrix ID of its referent, e.g. @alice:ex.org"),
            arg("--description", help="a short description shown in the room"),
            arg("--avatar-url", help="the room's avatar: an mxc:// URI of an uploaded image"),
            arg(
                "--wait",
                type=float,
                default=30.0,
                metavar="SECONDS",
                help="how long to wait for the room (default 30; 0: do not wait)",
            ),
            JSON,
        ),
    ),
    Command(
        ("team", "list"),
        "list the teams",
        team_list,
        (arg("--all", action="store_true", help="archived teams too"), JSON),
    ),
    Command(
        ("team", "show"),
        "a team's card and members",
        team_show,
        (arg("team_id", metavar="ID"), JSON),
    ),
    Command(
        ("team", "archive"),
        "archive a team (kept, hidden, its room closed)",
        team_archive,
        (arg("team_id", metavar="ID"), JSON),
    ),
    Command(
        ("team", "import"),
        "create teams from a CSV file (columns name, kind, place, referent); safe to re-run",
        team_import,
        (
            arg("file", type=Path, help="CSV file (';' or ',' separated), or - for stdin"),
            arg("--dry-run", action="store_true", help="check every row, write nothing"),
            JSON,
        ),
        details=(
            "Header names, English or French: name|nom, kind|type (local, thematic, locale,"
            " thématique), place|postcode|code_postal|commune, referent|référent (a Matrix user"
            " ID). Other columns are ignored. A row whose team (same name and commune) was already"
            " imported is reported 'already there' and left unchanged, so running an edited file"
            " again is safe. Each bad row is reported with its line and column; the others go on."
            " Exit status 1 when a row failed."
        ),
    ),
    Command(
        ("supporters", "import"),
        "add or update supporters from a CSV file (column email; name, postcode optional)",
        supporters_import,
        (
            arg("file", type=Path, help="CSV file (';' or ',' separated), or - for stdin"),
            arg("--dry-run", action="store_true", help="check every row, write nothing"),
            JSON,
        ),
        details=(
            "Header names, English or French: email|e-mail|courriel, name|nom (prénom and nom"
            " columns are joined), postcode|code_postal|cp. Other columns are ignored."
            " Addresses are stored trimmed and in lower case; a row whose address is already"
            " there updates its name and postcode (an empty cell keeps the stored value), so"
            " importing a newer export of the sign-up site is safe and never duplicates anyone."
            " Each bad row (invalid address, postcode that is not 5 digits, address already on"
            " an earlier line) is reported with its line and column; the others go on. The text"
            " lists created and updated rows and errors; --json lists every row. Exit status 1"
            " when a row failed."
        ),
    ),
    Command(
        ("person", "export"),
        "print everything stored about a person as JSON",
        person_export,
        (
            arg("who", metavar="EMAIL|MXID", help="their address, or their Matrix user ID"),
            arg(
                "-o",
                "--output",
                type=Path,
                metavar="FILE",
                help="write the JSON to FILE (readable by you only) instead of printing it",
            ),
        ),
        details=(
            "The supporter row (address, name, postcode, home, language), team memberships and"
            " roles, RSVPs, pending verification codes (never the code itself), the log of codes"
            " sent, the joining conversation. Exit status 1 when nothing is stored about them."
        ),
    ),
    Command(
        ("space", "init"),
        "create the campaign's root space if needed and print its room ID",
        space_init,
        (JSON,),
        needs_registration=True,
    ),
    Command(
        ("moderation", "add-moderator"),
        "invite someone to the moderation admin room and ban list as a moderator",
        partial(moderation.run_add, out=out),
        (
            arg("user_id", metavar="MXID", help="their Matrix ID on this homeserver"),
            arg("--admin", action="store_true", help="power 100 (may promote others), not 50"),
            JSON,
        ),
        needs_registration=True,
        details=(
            "They get power 50 (100 with --admin) in the admin room, where they use the"
            " moderation bot's commands, and in the campaign's ban list. They must already have"
            " an account on this homeserver. Running it again changes nothing, or sets the new"
            " level."
        ),
    ),
    Command(
        ("moderation", "remove-moderator"),
        "take someone's moderator power away and remove them from the moderation rooms",
        partial(moderation.run_remove, out=out),
        (arg("user_id", metavar="MXID", help="their Matrix ID"), JSON),
        needs_registration=True,
    ),
    Command(
        ("moderation", "show"),
        "the admin room, the ban list, watched lists, moderators and the number of rules",
        partial(moderation.run_show, out=out),
        (JSON,),
        needs_registration=True,
    ),
)


def add_admin_parser(commands: Any, config_help: str) -> None:
    """Declare ``admin`` and its commands (from :data:`COMMANDS`) on the top-level parser."""
    admin = commands.add_parser("admin", help="teams, spaces, supporters, moderation (admins)")
    groups = admin.add_subparsers(dest="admin_group", required=True, metavar="GROUP")
    group_parsers: dict[str, Any] = {}
    for command in COMMANDS:
        group, action = command.words
        if group not in group_parsers:
            parser = groups.add_parser(group, help=f"{group} commands")
            group_parsers[group] = parser.add_subparsers(
                dest="admin_action", required=True, metavar="ACTION"
            )
        sub = group_parsers[group].add_parser(
            action, help=command.help, description=f"{command.help}. {command.details}".strip()
        )
        for names, options in command.arguments:
            sub.add_argument(*names, **options)
        sub.add_argument("-c", "--config", type=Path, default=Path("config.yaml"), help=config_help)
        sub.set_defaults(admin_command=command)


def run_admin(args: argparse.Namespace) -> int:
    """Run the chosen admin command; refusals exit 1, usage errors 2 (one line each).

    Raises:
        ConfigError: the configuration file is wrong (``main`` prints it and exits 2).
    """
    command: Command = args.admin_command
    try:
        args.config_loaded = load_config(
            args.config, require_registration=command.needs_registration
        )
        setup_logging("WARNING")
        return asyncio.run(command.handler(args))
    except DomainError as refusal:
        print(f"ralliement admin: {admin_message(refusal)}", file=sys.stderr)
        return 1
    except UsageError as error:
        print(f"ralliement admin: {error}", file=sys.stderr)
        return 2
