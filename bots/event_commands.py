"""The agenda bot's event commands, in a team room: create, edit, cancel, list, RSVP (RSVPs
also in a DM with the bot).

Every rule (who organises, what a valid event is, the last seat) is the domain's
(:class:`~bridge.domain.events.EventService`); these handlers read the arguments
(:mod:`.event_arguments`, :mod:`.event_fields`), call the domain and word its answer
(:mod:`.event_views`). A refusal caused by what was typed ends with the command's usage and an
example. Announcing an event in the room is not done here: the domain queues it and
:mod:`.announcements` sends it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from bridge.calendar.links import team_feed_urls
from bridge.db.events import Event, EventKind
from bridge.db.teams import Team
from bridge.domain import events as rules
from bridge.domain.errors import DomainError
from bridge.domain.events import EventChanges

from . import event_arguments, event_fields, event_options
from . import event_views as views
from .arguments import ArgumentError
from .commands import CommandContext, CommandRegistry, Reply
from .event_arguments import parse_action, parse_event_id, parse_rsvp
from .event_fields import Field, parse_edit
from .event_places import event_place
from .event_views import AgendaEntry
from .i18n import translate
from .refusals import refusal
from .services import BotServices

#: Refusals caused by what was typed (rather than by who typed it, or by the event's state):
#: answered with the command's usage and an example.
INPUT_ERRORS = frozenset(
    {
        *(
            value
            for module in (event_arguments, event_fields, event_options)
            for name, value in vars(module).items()
            if name.isupper() and isinstance(value, str) and value.startswith("event.")
        ),
        rules.TITLE_LENGTH,
        rules.DESCRIPTION_LENGTH,
        rules.KIND_INVALID,
        rules.VISIBILITY_INVALID,
        rules.IN_THE_PAST,
        rules.END_BEFORE_START,
        rules.TOO_LONG,
        rules.CAPACITY_INVALID,
        rules.GUESTS_INVALID,
        "when.empty",
        "when.unknown",
        "when.invalid_date",
        "when.invalid_time",
        "when.ambiguous",
        "when.too_far",
        "when.duration_unknown",
    }
)
ELSEWHERE = "event.elsewhere"

Handler = Callable[[CommandContext], Awaitable[Reply]]


@dataclass(frozen=True)
class _Creation:
    kind: EventKind
    names: tuple[str, ...]
    help_key: str
    usage_key: str


_CREATIONS = (
    _Creation(
        EventKind.ACTION, ("action", "evenement", "event"), "help.action", "event.usage.action"
    ),
    _Creation(EventKind.MEETING, ("reunion", "meeting"), "help.reunion", "event.usage.meeting"),
    _Creation(
        EventKind.ONLINE, ("en-ligne", "online", "visio"), "help.en_ligne", "event.usage.online"
    ),
)


def with_usage(usage_key: str, handler: Handler) -> Handler:
    """``handler``, whose refusals caused by what was typed end with ``usage_key``."""

    async def answer(context: CommandContext) -> Reply:
        try:
            return await handler(context)
        except DomainError as error:
            hint = usage_key if error.key in INPUT_ERRORS else None
            return refusal(error, context.language, hint=hint)

    return answer


def add_event_commands(registry: CommandRegistry, services: BotServices) -> None:
    """Declare the event commands on the agenda bot's ``registry``."""
    events, teams, zone = services.events, services.teams, services.zone

    async def event_here(event_id: str, team: Team) -> Event:
        """The event ``event_id`` of the room's team (``event.not_found``, ``event.elsewhere``)."""
        event = await events.get_event(event_id)
        if event.team_id != team.id:
            raise ArgumentError(ELSEWHERE, event=event.id)
        return event

    def creator(kind: EventKind) -> Handler:
        async def create(context: CommandContext) -> Reply:
            team = await teams.team_in_room(context.room_id)
            await events.check_organizer(team.id, context.sender)
            now = services.now()
            request = parse_action(
                context.args, now, zone, context.language, place_optional=kind is EventKind.ONLINE
            )
            place = request.place or translate("event.place.online", context.language)
            event = await events.create_event(
                team.id,
                context.sender,
                request.title,
                request.start,
                event_place(place, team, kind),
                end=request.end,
                description=request.description,
                kind=kind,
                visibility=request.visibility,
                capacity=request.capacity,
                now=now,
            )
            return views.created(event, zone, context.language, now)

        return create

    for creation in _CREATIONS:
        registry.command(*creation.names, help_key=creation.help_key)(
            with_usage(creation.usage_key, creator(creation.kind))
        )

    async def edit(context: CommandContext) -> Reply:
        team = await teams.team_in_room(context.room_id)
        await events.check_organizer(team.id, context.sender)
        request = parse_edit(context.args)
        event = await event_here(request.event_id, team)
        now = services.now()
        changes = _changes(request, event, team, services, context.language)
        edited = await events.edit_event(event.id, context.sender, changes, now=now)
        return views.edited(edited, zone, context.language, now)

    registry.command("modifier", "edit", help_key="help.modifier")(
        with_usage("event.usage.edit", edit)
    )

    async def cancel(context: CommandContext) -> Reply:
        team = await teams.team_in_room(context.room_id)
        event = await event_here(parse_event_id(context.args), team)
        cancelled, going = await events.cancel_event(event.id, context.sender)
        return views.cancelled(cancelled, len(going), context.language)

    registry.command("annuler", "cancel", help_key="help.annuler", usage="<id>")(
        with_usage("event.usage.cancel", cancel)
    )

    async def show_agenda(context: CommandContext) -> Reply:
        team = await teams.team_in_room(context.room_id)
        now = services.now()
        coming = await events.upcoming(team.id, now=now)
        entries = [
            AgendaEntry(event, sum(r.seats for r in await events.events.rsvps(event.id)))
            for event in coming[: views.MAX_LISTED]
        ]
        entries += [AgendaEntry(event, 0) for event in coming[views.MAX_LISTED :]]
        feeds = await feed_links(services, team)
        return views.agenda(team, entries, feeds, zone, context.language, now)

    registry.command("agenda", "calendrier", "calendar", help_key="help.agenda")(show_agenda)

    async def show_attendees(context: CommandContext) -> Reply:
        team = await teams.team_in_room(context.room_id)
        event = await event_here(parse_event_id(context.args), team)
        event, going = await events.attendees(event.id, context.sender)
        return views.attendees(event, going, context.names, context.language)

    registry.command(
        "participants", "attendees", "inscrits", help_key="help.participants", usage="<id>"
    )(with_usage("event.usage.participants", show_attendees))

    def answer(going: bool) -> Handler:
        async def rsvp(context: CommandContext) -> Reply:
            # In a team room, the team's events; elsewhere (a DM with the bot, after !autour or
            # an alert), any event: the domain refuses a members-only one to a non-member.
            team = await teams.repository.get_by_room(context.room_id)
            request = parse_rsvp(context.args)
            if team is None:
                event = await events.get_event(request.event_id)
            else:
                event = await event_here(request.event_id, team)
            now = services.now()
            guests = request.guests if going else 0
            outcome = await events.rsvp(
                event.id, context.sender, going=going, guests=guests, now=now
            )
            return views.rsvp_answer(event, outcome, zone, context.language, now)

        return rsvp

    registry.command(
        "jyvais", "j-y-vais", "jy-vais", "going", help_key="help.jyvais", usage="<id> [+N]"
    )(with_usage("event.usage.going", answer(True)))
    registry.command(
        "jnypluspas", "jnyvaisplus", "notgoing",
        help_key="help.jnypluspas", usage="<id>",
    )(with_usage("event.usage.not_going", answer(False)))  # fmt: skip


def _changes(
    request: event_fields.EditRequest,
    event: Event,
    team: Team,
    services: BotServices,
    language: str,
) -> EventChanges:
    """The change ``!modifier`` asks for, read against the event as it is."""
    zone, value = services.zone, request.value
    start = views.event_start(event)
    match request.field:
        case Field.TITLE:
            return EventChanges(title=value)
        case Field.START:
            new_start, new_end = event_fields.start_on_day(
                value, start, services.now(), zone, language
            )
            return EventChanges(start=new_start, end=new_end)
        case Field.END:
            return EventChanges(end=event_fields.end_after(value, start, zone, language))
        case Field.DURATION:
            return EventChanges(end=event_fields.end_from_duration(value, start, language))
        case Field.PLACE:
            return EventChanges(place=event_place(value, team, event.kind))
        case Field.DESCRIPTION:
            return EventChanges(description=event_fields.description_value(value))
        case Field.CAPACITY:
            seats = event_options.read_capacity(value).seats
            return EventChanges(capacity=seats, clear_capacity=seats is None)
        case Field.VISIBILITY:
            return EventChanges(visibility=event_options.read_visibility(value))
        case Field.KIND:
            return EventChanges(kind=event_options.read_kind(value))


async def feed_links(services: BotServices, team: Team) -> tuple[str, str] | None:
    """The team's calendar feeds (public, members-only), or None when no base URL is set."""
    if services.calendar_base_url is None:
        return None
    token = await services.teams.repository.calendar_token(team.id)
    if token is None:
        return None
    return team_feed_urls(services.calendar_base_url, team.id, token)
