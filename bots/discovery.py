"""The agenda bot's discovery commands, in a DM with it or in a team room.

- ``!autour <lieu> [rayon]`` / ``!near``: the coming events near a place (or a shared location,
  or the person's home when no place is given), nearest first, five per page; ``!plus`` /
  ``!more`` shows the next page of the person's last search in the room (kept in the database).
- ``!equipes-autour <lieu> [rayon]`` / ``!teams-near``: the teams near a place, paginated alike.
- ``!chez-moi <lieu>`` / ``!home``: the supporter's home place.
- ``!alerte [rayon | off]`` / ``!alert``: alerts about new events near home (sent by
  :mod:`bots.alerts`).

A location shared in a DM with the bot is an ``!autour`` at that point (:func:`location_search`).
In a team room, the members-only events of other teams are left out of the pages: the room's
members are not necessarily theirs. A refusal caused by what was typed ends with the command's
usage and an example.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import Literal

from bridge.db.clock import now_ms
from bridge.db.events import Visibility
from bridge.db.search_pages import SearchPage
from bridge.db.supporters import Supporter
from bridge.domain import alerts as alert_rules
from bridge.domain.errors import DomainError
from bridge.domain.supporters import NOT_LINKED

from . import discovery_arguments as arguments
from . import discovery_places as places
from .arguments import ArgumentError
from .bot_hooks import ConversationHandler
from .commands import CommandContext, CommandRegistry, Reply
from .discovery_arguments import AlertAction, parse_alert, parse_search
from .discovery_places import SearchPoint
from .discovery_services import DiscoveryServices
from .discovery_views import events_page, teams_page
from .i18n import Language, translate
from .refusals import refusal
from .services import BotServices

#: Results per page.
PAGE = 5
NO_HOME_TO_SEARCH = "search.place.no_home"
#: Refusals caused by what was typed: answered with the command's usage and an example.
INPUT_ERRORS = frozenset(
    {
        alert_rules.RADIUS_INVALID,
        places.PLACE_MISSING,
        places.PLACE_UNKNOWN,
        places.PLACE_AMBIGUOUS,
        arguments.LOCATION_INVALID,
        arguments.ALERT_USAGE,
        NO_HOME_TO_SEARCH,
    }
)

Handler = Callable[[CommandContext], Awaitable[Reply]]
Kind = Literal["events", "teams"]


def not_verified(discovery: DiscoveryServices, language: Language) -> Reply:
    """Told to someone who has not joined the campaign (no supporter linked to the account)."""
    welcome = f" ({discovery.welcome_bot})" if discovery.welcome_bot else ""
    return Reply(translate("discovery.not_verified", language, welcome=welcome))


def home_label(supporter: Supporter, language: Language) -> str:
    """Where the supporter's home is, in words: "Lyon 4e Arrondissement (69004)"."""
    if supporter.home_commune and supporter.home_postcode:
        return f"{supporter.home_commune} ({supporter.home_postcode})"
    return supporter.home_commune or supporter.home_postcode or translate("search.here", language)


class DiscoveryCommands:
    """The handlers, over the bot's services."""

    def __init__(self, services: BotServices, discovery: DiscoveryServices) -> None:
        self.services = services
        self.discovery = discovery

    def guarded(self, usage_key: str, handler: Handler) -> Handler:
        """``handler``, whose refusals are worded (with ``usage_key`` when caused by what was
        typed), and who tells someone who has not joined where to start."""

        async def answer(context: CommandContext) -> Reply:
            try:
                return await handler(context)
            except DomainError as error:
                if error.key == NOT_LINKED:
                    return not_verified(self.discovery, context.language)
                hint = usage_key if error.key in INPUT_ERRORS else None
                return refusal(error, context.language, hint=hint)

        return answer

    # --- Searches ----------------------------------------------------------------------------

    async def point(self, context: CommandContext, text: str) -> SearchPoint:
        """The point ``text`` names, or the person's home when it is empty."""
        language = context.language
        if not text:
            supporter = await self.discovery.supporters.by_user(context.sender)
            if (
                supporter is None
                or supporter.home_latitude is None
                or supporter.home_longitude is None
            ):
                raise ArgumentError(NO_HOME_TO_SEARCH)
            label = translate("search.home", language, place=home_label(supporter, language))
            return SearchPoint(supporter.home_latitude, supporter.home_longitude, label)
        found = await self.discovery.places.find(text)
        if found.precision == "location":  # a shared location: "your location"
            return replace(found, label=translate("search.here", language))
        return found

    async def search(self, context: CommandContext, kind: Kind) -> Reply:
        """``!autour`` / ``!equipes-autour``: the first page."""
        request = parse_search(context.args, self.discovery.places.is_place)
        point = await self.point(context, request.place)
        radius = request.radius_km or self.discovery.settings.default_radius_km
        alert_rules.check_radius(radius)
        page = SearchPage(
            context.sender,
            context.room_id,
            kind,
            point.latitude,
            point.longitude,
            radius,
            point.label,
            0,
            now_ms(),
        )
        return await self.page(context, page)

    async def more(self, context: CommandContext) -> Reply:
        """``!plus``: the next page of the person's last search in this room."""
        page = await self.discovery.pages.get(context.sender, context.room_id)
        if page is None:
            return Reply(translate("search.no_previous", context.language))
        if page.next_offset == 0:  # the first page found nothing
            return Reply(translate("search.no_more", context.language))
        return await self.page(context, page)

    async def page(self, context: CommandContext, page: SearchPage) -> Reply:
        """The page of ``page`` starting at its offset; the offset of the next one is stored."""
        if page.kind == "teams":
            return await self._teams_page(context, page)
        return await self._events_page(context, page)

    async def _turned(self, page: SearchPage, consumed: int) -> bool:
        """Store where the next page starts; False when this one is past the last result."""
        if page.next_offset > 0 and consumed == 0:
            return False
        await self.discovery.pages.save(replace(page, next_offset=page.next_offset + consumed))
        return True

    async def _events_page(self, context: CommandContext, page: SearchPage) -> Reply:
        found = await self.discovery.search.events_near(
            page.latitude,
            page.longitude,
            page.radius_km,
            user_id=context.sender,
            now=self.services.now(),
            limit=PAGE + 1,
            offset=page.next_offset,
        )
        window = found[:PAGE]
        if not await self._turned(page, len(window)):
            return Reply(translate("search.no_more", context.language))
        room_team = await self.services.teams.repository.get_by_room(context.room_id)
        shown = [
            item
            for item in window
            if room_team is None
            or item.event.visibility is Visibility.PUBLIC
            or item.event.team_id == room_team.id
        ]
        return events_page(
            shown,
            place=page.label,
            radius_km=page.radius_km,
            first=page.next_offset + 1,
            more=len(found) > PAGE,
            team_room=room_team is not None,
            zone=self.services.zone,
            language=context.language,
            now=self.services.now(),
        )

    async def _teams_page(self, context: CommandContext, page: SearchPage) -> Reply:
        found = await self.discovery.search.teams_near(
            page.latitude, page.longitude, page.radius_km, limit=PAGE + 1, offset=page.next_offset
        )
        window = found[:PAGE]
        if not await self._turned(page, len(window)):
            return Reply(translate("search.no_more", context.language))
        return teams_page(
            window,
            place=page.label,
            radius_km=page.radius_km,
            first=page.next_offset + 1,
            more=len(found) > PAGE,
            language=context.language,
        )

    # --- Home and alerts ------------------------------------------------------------------------

    async def home(self, context: CommandContext) -> Reply:
        """``!chez-moi <lieu>``: the supporter's home place."""
        supporter = await self.discovery.supporters.by_user(context.sender)
        if supporter is None:
            return not_verified(self.discovery, context.language)
        found = await self.discovery.places.find(context.args)
        saved = await self.discovery.supporters.set_home(
            context.sender,
            found.commune,
            found.postcode,
            found.latitude,
            found.longitude,
            found.precision,
        )
        label = home_label(saved, context.language)
        if found.precision not in ("commune", "postcode", "location") and found.label:
            label = found.label
        return Reply(translate("home.set", context.language, place=label))

    async def alert(self, context: CommandContext) -> Reply:
        """``!alerte [rayon | off]``."""
        language = context.language
        request = parse_alert(context.args)
        service = self.discovery.alerts
        cap = self.discovery.settings.max_alerts_per_day
        if request.action is AlertAction.OFF:
            stopped = await service.unsubscribe(context.sender)
            return Reply(translate("alert.off" if stopped else "alert.off_none", language))
        if request.action is AlertAction.SET:
            assert request.radius_km is not None
            setting = await service.subscribe(context.sender, request.radius_km)
            key = "alert.set"
        else:
            setting = await service.setting(context.sender)
            if setting.supporter is None:
                return not_verified(self.discovery, language)
            key = "alert.show"
        if setting.subscription is None or setting.supporter is None:
            return Reply(translate("alert.none", language))
        place = home_label(setting.supporter, language)
        radius = setting.subscription.radius_km
        return Reply(translate(key, language, radius=radius, place=place, max=cap))


def add_discovery_commands(registry: CommandRegistry, services: BotServices) -> None:
    """Declare the discovery commands on the agenda bot's ``registry``."""
    discovery = services.discovery
    if discovery is None:
        return
    commands = DiscoveryCommands(services, discovery)

    async def near(context: CommandContext) -> Reply:
        return await commands.search(context, "events")

    async def teams_near(context: CommandContext) -> Reply:
        return await commands.search(context, "teams")

    registry.command(
        "autour", "pres-de-moi", "near", help_key="help.autour", usage="[<lieu>] [<rayon> km]"
    )(commands.guarded("search.usage.near", near))
    registry.command("plus", "suite", "more", "next", help_key="help.plus")(
        commands.guarded("search.usage.near", commands.more)
    )
    registry.command(
        "equipes-autour", "teams-near", help_key="help.equipes_autour", usage="<lieu> [<rayon> km]"
    )(commands.guarded("search.usage.teams", teams_near))
    registry.command("chez-moi", "home", help_key="help.chez_moi", usage="<lieu>")(
        commands.guarded("search.usage.home", commands.home)
    )
    registry.command("alerte", "alertes", "alert", "alerts", help_key="help.alerte",
                     usage="[<rayon> km | off]")(
        commands.guarded("alert.usage.hint", commands.alert)
    )  # fmt: skip


def location_search(services: BotServices) -> ConversationHandler | None:
    """What the agenda bot does with a message that is not a command, in a DM: a shared
    location (its ``geo:`` URI) is searched around, like ``!autour``; other text is not for
    this conversation (None)."""
    discovery = services.discovery
    if discovery is None:
        return None
    commands = DiscoveryCommands(services, discovery)

    async def search_here(context: CommandContext) -> Reply:
        return await commands.search(context, "events")

    guarded = commands.guarded("search.usage.near", search_here)

    async def answer(context: CommandContext, text: str) -> Reply | None:
        if not text.strip().casefold().startswith("geo:"):
            return None
        located = CommandContext(
            context.sender, context.room_id, context.event_id, text.strip(), context.language
        )
        return await guarded(located)

    return answer
