"""Which bots exist and how each is built: one place to add a bot."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from . import agenda, moderation, reminders, welcome
from .alerts import AlertSender
from .announcements import EventAnnouncer, ReactionRsvps
from .bot_hooks import (
    BackgroundTask,
    CommandScope,
    ConversationHandler,
    DirectRoomFinder,
    MessageWatcher,
    ReactionHandler,
)
from .commands import CommandRegistry, Reply
from .discovery import location_search
from .i18n import Language
from .moderation_protections import ProtectionWatcher
from .services import BotServices

RegistryFactory = Callable[[BotServices], CommandRegistry]


@dataclass(frozen=True)
class BotBlueprint:
    """How to build one bot.

    Attributes:
        registry: builds the bot's commands from the services they use.
        greeting: what the bot says when someone opens a DM with it.
        direct_only: the bot answers only in DMs; in a group room (a team room it was joined to
            with other bots) it stays silent, so that one command gets one answer.
        quiet_in_groups: in a group room the bot answers only its own commands, not the others'
            (it may share the room with the agenda bot).
        reactions: what the bot does with reactions in its rooms.
        background: tasks that live as long as the bot.
        conversation: answers messages that are not commands (a conversation's steps).
        watcher: sees every message and membership change in the bot's rooms.
        command_scope: in a group room, which of its commands the bot answers there.
        group_rooms: the bot lives in team rooms with other bots: their commands are not
            "unknown" to the others there, and its commands are not unknown to them.
        direct_rooms: finds or makes the bot's DM with a person, for the answers it gives in
            private (:attr:`bots.commands.Reply.privately`); without it they go to the room.
    """

    registry: RegistryFactory
    greeting: Callable[[Language], Reply] | None = None
    direct_only: bool = False
    quiet_in_groups: bool = False
    reactions: Callable[[BotServices], ReactionHandler] | None = None
    background: Callable[[BotServices], tuple[BackgroundTask, ...]] = lambda _: ()
    conversation: Callable[[BotServices], ConversationHandler | None] | None = None
    watcher: Callable[[BotServices], MessageWatcher] | None = None
    command_scope: Callable[[BotServices], CommandScope] | None = None
    group_rooms: bool = False
    direct_rooms: Callable[[BotServices], DirectRoomFinder | None] | None = None


BLUEPRINTS: dict[str, BotBlueprint] = {
    "welcome": BotBlueprint(
        registry=welcome.build_registry,
        greeting=welcome.greeting,
        direct_only=True,
        conversation=lambda services: services.joining.answer if services.joining else None,
        background=welcome.background_tasks,
    ),
    # No greeting: the agenda bot is joined to team rooms by the appservice.
    # It announces events in team rooms and takes ✅ on an announcement as an RSVP; a location
    # shared in a DM with it is searched around (!autour); it sends the alerts near home in DMs.
    "agenda": BotBlueprint(
        registry=agenda.build_registry,
        group_rooms=True,
        reactions=lambda services: ReactionRsvps(services.events, services.language),
        background=lambda services: (
            EventAnnouncer(
                services.announcements, services.events, services.teams, services.language
            ),
            *filter(None, [AlertSender.of(services)]),
        ),
        conversation=location_search,
    ),
    # The reminders bot answers in DMs and in the rooms it is invited to; it delivers every
    # reminder (personal ones, and those of events) from the database (bots.reminders_delivery).
    "reminders": BotBlueprint(
        registry=reminders.build_registry,
        greeting=reminders.greeting,
        quiet_in_groups=True,
        background=reminders.background_tasks,
    ),
    # The moderation bot answers moderators in the admin room (bans, lists, raids, purges) and
    # supporters' !signaler in team rooms; it sends the admin room its alerts, and watches what
    # is said and who joins (bots.moderation_protections). It thanks a reporter in a DM (found or
    # made like the agenda bot's alerts DMs), never in the team room.
    "moderation": BotBlueprint(
        registry=moderation.build_registry,
        quiet_in_groups=True,
        group_rooms=True,
        reactions=moderation.quick_actions,
        background=moderation.background_tasks,
        command_scope=moderation.command_scope,
        watcher=ProtectionWatcher.of,
        direct_rooms=AlertSender.of,
    ),
}
