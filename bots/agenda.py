"""The agenda bot: lives in the team rooms, where the appservice makes it join.

In a team room it shows the team (``!equipe``), its members (``!membres``) and changes roles
(``!role``) through :class:`~bridge.domain.teams.TeamService`; the appservice then applies the new
power levels to the room. It runs the team's events (``!action``, ``!reunion``, ``!en-ligne``,
``!modifier``, ``!annuler``, ``!agenda``, ``!participants``, ``!jyvais``, ``!jnypluspas``: see
:mod:`.event_commands`). Anywhere else those commands answer that the room is no team's.

In a DM as in a team room it finds events and teams near a place (``!autour``, ``!plus``,
``!equipes-autour``), keeps the supporter's home (``!chez-moi``) and alerts about new events near
it (``!alerte``): see :mod:`.discovery`. ``!jyvais`` also works in a DM, for any event the person
may see.

Its ``!aide`` also lists the moderation bot's ``!signaler`` when that bot runs: in a team room,
which both bots share, the agenda bot is the one that answers ``!aide``.
"""

from __future__ import annotations

from .arguments import parse_role_request
from .commands import CommandContext, CommandRegistry, Reply
from .discovery import add_discovery_commands
from .event_commands import add_event_commands
from .i18n import role_name, translate
from .moderation_reports import REPORT_HELP
from .services import BotServices
from .team_views import member_list, person, team_card


def build_registry(services: BotServices) -> CommandRegistry:
    registry = CommandRegistry()
    teams = services.teams

    @registry.command("equipe", "team", help_key="help.equipe")
    async def show_team(context: CommandContext) -> Reply:
        team = await teams.team_in_room(context.room_id)
        members = await teams.members(team.id)
        return team_card(team, members, context.names, services.zone, context.language)

    @registry.command("membres", "members", help_key="help.membres")
    async def show_members(context: CommandContext) -> Reply:
        team = await teams.team_in_room(context.room_id)
        members = await teams.members(team.id)
        return member_list(team, members, context.names, context.language)

    @registry.command("role", help_key="help.role", usage="@… <role>")
    async def change_role(context: CommandContext) -> Reply:
        team = await teams.team_in_room(context.room_id)
        request = parse_role_request(context.args, context.mentions, context.names)
        before = {member.user_id: member.role for member in await teams.members(team.id)}
        await teams.change_role(team.id, context.sender, request.user_id, request.role)
        key = "role.unchanged" if before.get(request.user_id) is request.role else "role.changed"
        plain, html = person(request.user_id, context.names)
        role = role_name(request.role, context.language)
        return Reply(
            translate(key, context.language, user=plain, role=role),
            translate(key, context.language, user=html, role=f"<b>{role}</b>"),
        )

    add_event_commands(registry, services)
    add_discovery_commands(registry, services)

    # The moderation bot shares the team rooms but leaves !aide to this bot: its !signaler is
    # listed here, when it runs.
    others = (REPORT_HELP,) if services.moderation is not None else ()

    @registry.command("aide", "help", help_key="help.aide")
    async def show_help(context: CommandContext) -> Reply:
        return registry.help_text(context.language, others=others)

    return registry
