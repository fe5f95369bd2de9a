"""The welcome bot: the first conversation a supporter has with the campaign, in a DM.

``!creer-equipe <nom> <code postal ou commune>`` makes the supporter the referent of a new local
team; the appservice then creates the team's room and invites them, and the bot tells them when
the room is there. How the name and the place are told apart: :func:`.arguments.parse_team_request`.
"""

from __future__ import annotations

import asyncio
from functools import partial
from html import escape

from bridge.db.teams import Team, TeamKind
from bridge.domain.errors import DomainError
from bridge.domain.teams import TeamService
from ralliement.geo.gazetteer import gazetteer

from .arguments import parse_team_request
from .bot_hooks import BackgroundTask
from .client import BotClient
from .commands import CommandContext, CommandRegistry, Reply
from .i18n import Language, translate
from .joining import JoiningFlow
from .refusals import refusal
from .services import BotServices

IDLE_CHECK_SECONDS = 60

# Refusals caused by what was typed: answered with the command's usage and an example.
_INPUT_ERRORS = frozenset(
    {
        "team.create.missing",
        "team.create.missing_place",
        "team.name.length",
        "team.place.required",
        "place.unknown",
        "place.ambiguous",
    }
)


def build_registry(services: BotServices) -> CommandRegistry:
    registry = CommandRegistry()

    @registry.command("aide", "help", help_key="help.aide")
    async def show_help(context: CommandContext) -> Reply:
        return registry.help_text(context.language)

    if services.joining is not None:
        register_joining(registry, services.joining)

    @registry.command("creer-equipe", "create-team", help_key="help.creer_equipe")
    async def create_team(context: CommandContext) -> Reply:
        language = context.language
        if context.sender.split(":", 1)[-1] != services.domain:
            # Until supporters are verified when joining, being a user of the campaign's own
            # homeserver is what makes one a supporter.
            outside = DomainError("team.create.local_only", domain=services.domain)
            return refusal(outside, language)
        try:
            request = parse_team_request(context.args, is_place)
            await services.teams.check_creation_quota(context.sender)
            team = await services.teams.create_team_at(
                request.name, TeamKind.LOCAL, request.place, context.sender
            )
        except DomainError as error:
            hint = "team.create.usage" if error.key in _INPUT_ERRORS else None
            return refusal(error, language, hint=hint)
        place = f"{team.commune} ({team.postcode})" if team.commune else request.place
        return Reply(
            translate("team.create.done", language, name=team.name, place=place, team=team.id),
            follow_up=lambda: announce_room(services.teams, team, services.room_wait_s, language),
        )

    return registry


def is_place(text: str) -> bool:
    """Whether the gazetteer knows at least one commune for ``text``."""
    return bool(gazetteer().resolve(text))


async def announce_room(teams: TeamService, team: Team, wait_s: float, language: Language) -> Reply:
    """Wait until the appservice has created the team's room (and so invited its referent), then
    say so; after ``wait_s`` seconds, say that the invite will come later."""
    room_id = (await teams.wait_for_room(team.id, wait_s)).room_id
    if room_id is None:
        return Reply(translate("team.create.room_late", language, name=team.name))
    link = f"https://matrix.to/#/{room_id}"
    body = translate("team.create.room_ready", language, name=team.name, link=link)
    anchor = f'<a href="{escape(link)}">{escape(room_id)}</a>'
    html = translate("team.create.room_ready", language, name=escape(team.name), link=anchor)
    return Reply(body, html)


def greeting(language: str) -> Reply:
    return Reply(translate("welcome.greeting", language))


def register_joining(registry: CommandRegistry, flow: JoiningFlow) -> None:
    """The supporter's commands: join, stop, choose a team, see and erase one's data."""
    registry.command("rejoindre", "join", help_key="help.rejoindre")(flow.start)
    registry.command("annuler", "cancel", help_key="help.annuler_rejoindre")(flow.cancel)
    registry.command("equipes", "teams", help_key="help.equipes")(flow.choose_again)
    registry.command("moi", "me", help_key="help.moi")(flow.profile)
    registry.command("oublie-moi", "forget-me", help_key="help.oublie_moi")(flow.forget_request)


def background_tasks(services: BotServices) -> tuple[BackgroundTask, ...]:
    if services.joining is None:
        return ()
    return (partial(close_idle_conversations, services.joining, services.language),)


async def close_idle_conversations(flow: JoiningFlow, language: Language, bot: BotClient) -> None:
    """Tell the people who left a joining conversation idle that it is closed (every minute)."""
    while True:
        for state in await flow.expired():
            notice = {"msgtype": "m.notice", "body": translate("joining.expired", language)}
            await bot.send_message(
                state.room_id, notice, key=f"joining-idle/{state.user_id}/{state.updated_at}"
            )
        await asyncio.sleep(IDLE_CHECK_SECONDS)
