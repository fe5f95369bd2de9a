"""The reminders bot: personal reminders in plain French or English, and the preferences of the
reminders it sends about events. It answers in a DM and in any room a local user invites it to
(there, only its own commands: the agenda bot may be in the room too).

- ``!rappel <quand> <quoi>`` / ``!remind``: "!rappel demain 9h appeler Marie", "!rappel dans
  2 heures sortir les tracts", "!rappel tous les mardis à 19h point d'équipe", "!remind in
  3 days call Bob". The date is found anywhere in the text; how it is read:
  :func:`bridge.domain.personal_reminders.read_reminder`. The reminder comes in the room where
  it was set. ``!rappel annuler <id>`` / ``!remind cancel <id>`` cancels one.
- ``!rappels`` / ``!reminders``: the reminders to come, with their ids, local times and
  repetitions.
- ``!plus-tard 1h`` / ``!later 1h``, typed *in reply to* a delivered reminder: the same reminder
  again after that length (or at a moment: "!plus-tard demain 9h"). The reminder is found from
  the replied-to message: every delivered reminder carries ``org.ralliement.reminder: {id,
  occurrence}`` in its (encrypted) content, which the bot reads back by fetching and decrypting
  that event (:meth:`bots.client.BotClient.read_event`). No table maps messages to reminders,
  and nothing is lost on a restart.
- ``!fuseau Europe/Paris`` / ``!timezone``: the person's time zone (alone: shows it).
- ``!preferences rappels 24h,1h`` (or ``off``) / ``!preferences reminders …``: when the person is
  reminded of the events they go to; alone, ``!preferences`` shows the preferences.

Every refusal caused by what was typed ends with the command's form and an example.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from bridge.domain.errors import DomainError
from bridge.domain.personal_reminders import (
    NOT_FOUND,
    PAST,
    SNOOZE_MISSING,
    SNOOZE_UNKNOWN,
    TEXT_MISSING,
    TEXT_TOO_LONG,
    WHEN_MISSING,
    PersonalReminders,
)
from bridge.domain.reminder_preferences import OFFSETS_INVALID, TIMEZONE_INVALID

from .arguments import ArgumentError, fold
from .bot_hooks import BackgroundTask
from .commands import CommandContext, CommandRegistry, Reply
from .i18n import Language, translate
from .refusals import refusal
from .reminders_delivery import ReminderSender
from .reminders_services import ReminderServices
from .reminders_views import (
    REMINDER_KEY,
    cancelled,
    created,
    offsets_words,
    reminder_list,
    snoozed,
    time_words,
)
from .services import BotServices

EMPTY = "reminder.empty"
CANCEL_ID_MISSING = "reminder.cancel.id_missing"
NOT_A_REPLY = "reminder.snooze.not_a_reply"
NOT_A_REMINDER = "reminder.snooze.not_a_reminder"
PREFERENCE_UNKNOWN = "reminder.preferences.unknown"

#: The words that make "!rappel <word> <id>" a cancellation.
CANCEL_WORDS = frozenset({"annuler", "annule", "supprimer", "cancel", "delete", "remove"})
#: The words naming the event reminders' preference in "!preferences <word> …".
OFFSETS_WORDS = frozenset({"rappels", "rappel", "reminders", "reminder"})

#: Refusals caused by what was typed, by the usage that ends them.
_USAGE_OF: dict[str, str] = {
    EMPTY: "reminder.usage",
    WHEN_MISSING: "reminder.usage",
    PAST: "reminder.usage",
    TEXT_MISSING: "reminder.usage",
    TEXT_TOO_LONG: "reminder.usage",
    **{
        key: "reminder.usage"
        for key in ("when.invalid_date", "when.invalid_time", "when.ambiguous", "when.too_far")
    },
    CANCEL_ID_MISSING: "reminder.cancel.usage",
    NOT_FOUND: "reminder.cancel.usage",
    NOT_A_REPLY: "reminder.snooze.usage",
    NOT_A_REMINDER: "reminder.snooze.usage",
    SNOOZE_MISSING: "reminder.snooze.usage",
    SNOOZE_UNKNOWN: "reminder.snooze.usage",
    TIMEZONE_INVALID: "reminder.timezone.usage",
    OFFSETS_INVALID: "reminder.preferences.usage",
    PREFERENCE_UNKNOWN: "reminder.preferences.usage",
}

Handler = Callable[[CommandContext], Awaitable[Reply]]


def greeting(language: Language) -> Reply:
    return Reply(translate("reminders.greeting", language))


def background_tasks(services: BotServices) -> tuple[BackgroundTask, ...]:
    """The scheduler loop that delivers the reminders."""
    sender = ReminderSender.of(services)
    return () if sender is None else (sender,)


def with_usage(handler: Handler, *, snooze: bool = False) -> Handler:
    """``handler``, whose refusals caused by what was typed end with the command's usage."""

    async def answer(context: CommandContext) -> Reply:
        try:
            return await handler(context)
        except DomainError as error:
            hint = _USAGE_OF.get(error.key)
            if snooze and error.key == PAST:
                hint = "reminder.snooze.usage"
            return refusal(error, context.language, hint=hint)

    return answer


def build_registry(services: BotServices) -> CommandRegistry:
    registry = CommandRegistry()
    reminders = services.reminders
    if reminders is None:
        raise ValueError("the reminders bot needs BotServices.reminders")
    add_reminder_commands(registry, services, reminders)

    @registry.command("aide", "help", help_key="help.aide")
    async def show_help(context: CommandContext) -> Reply:
        return registry.help_text(context.language)

    return registry


def add_reminder_commands(
    registry: CommandRegistry, services: BotServices, reminders: ReminderServices
) -> None:
    personal: PersonalReminders = reminders.personal
    preferences = reminders.preferences

    async def cancel(context: CommandContext, typed_id: str) -> Reply:
        if not typed_id:
            raise ArgumentError(CANCEL_ID_MISSING)
        return cancelled(await personal.cancel(context.sender, typed_id), context.language)

    async def remind(context: CommandContext) -> Reply:
        args = context.args.strip()
        if not args:
            raise ArgumentError(EMPTY)
        first, _, rest = args.partition(" ")
        if fold(first) in CANCEL_WORDS and len(rest.split()) <= 1:
            return await cancel(context, rest.strip())
        mine = await preferences.of(context.sender)
        now = services.now()
        reminder = await personal.create(context.sender, context.room_id, args, now, mine.zone)
        show_zone = mine.zone.key != services.zone.key
        return created(reminder, mine.zone, now, context.language, show_zone=show_zone)

    registry.command("rappel", "remind", "rappeler", help_key="help.rappel",
                     usage="<quand> <quoi>")(with_usage(remind))  # fmt: skip

    async def show(context: CommandContext) -> Reply:
        first, _, rest = context.args.strip().partition(" ")
        if fold(first) in CANCEL_WORDS:
            return await cancel(context, rest.strip())
        zone = await preferences.zone_of(context.sender)
        mine = await personal.list(context.sender)
        return reminder_list(mine, zone, services.now(), context.language)

    registry.command("rappels", "reminders", help_key="help.rappels")(with_usage(show))

    async def later(context: CommandContext) -> Reply:
        if context.reply_to is None or context.read_event is None:
            raise ArgumentError(NOT_A_REPLY)
        replied = await context.read_event(context.reply_to)
        marker = _reminder_marker(replied)
        if marker is None:
            raise ArgumentError(NOT_A_REMINDER)
        original = await reminders.repository.get(marker)
        text = None
        if original is not None and not original.text and original.event_id is not None:
            event = await services.events.events.get(original.event_id)
            text = event.title if event is not None else None
        now = services.now()
        reminder = await personal.snooze(context.sender, marker, context.args, now,
                                         room_id=context.room_id, text=text)  # fmt: skip
        zone = await preferences.zone_of(context.sender)
        return snoozed(reminder, zone, now, context.language)

    registry.command("plus-tard", "later", "snooze", help_key="help.plus_tard",
                     usage="<durée>")(with_usage(later, snooze=True))  # fmt: skip

    async def timezone(context: CommandContext) -> Reply:
        language, now = context.language, services.now()
        if not context.args.strip():
            mine = await preferences.of(context.sender)
            shown = translate("reminder.timezone.shown", language, zone=mine.zone.key,
                              time=time_words(now, mine.zone, language))  # fmt: skip
            if not mine.zone_chosen:
                shown += " " + translate("reminder.timezone.default", language)
            return Reply(shown)
        zone = await preferences.set_zone(context.sender, context.args)
        return Reply(translate("reminder.timezone.set", language, zone=zone.key,
                               time=time_words(now, zone, language)))  # fmt: skip

    registry.command("fuseau", "timezone", "fuseau-horaire", help_key="help.fuseau",
                     usage="<Continent/Ville>")(with_usage(timezone))  # fmt: skip

    async def preferences_command(context: CommandContext) -> Reply:
        language = context.language
        subject, _, value = context.args.strip().partition(" ")
        if subject and fold(subject) not in OFFSETS_WORDS:
            raise ArgumentError(PREFERENCE_UNKNOWN, text=subject)
        if not value.strip():
            mine = await preferences.of(context.sender)
            shown_offsets = offsets_words(mine.offsets, language)
            zone = mine.zone.key
            if not mine.offsets_chosen:
                shown_offsets = translate("reminder.default", language, value=shown_offsets)
            if not mine.zone_chosen:
                zone = translate("reminder.default", language, value=zone)
            return Reply(translate("reminder.preferences.shown", language,
                                   offsets=shown_offsets, zone=zone))  # fmt: skip
        offsets = await preferences.set_offsets(context.sender, value)
        # The reminders of the events the person goes to follow the new offsets.
        moment = int(services.now().timestamp() * 1000)
        await services.events.reminders.offsets_changed(
            services.events.events, context.sender, now=moment
        )
        if not offsets:
            return Reply(translate("reminder.preferences.off", language))
        words = offsets_words(offsets, language)
        return Reply(translate("reminder.preferences.set", language, offsets=words))

    registry.command("preferences", "prefs", "reglages", "settings",
                     help_key="help.preferences",
                     usage="[rappels <24h,1h|off>]")(with_usage(preferences_command))  # fmt: skip


def _reminder_marker(replied: dict[str, Any] | None) -> str | None:
    """The id of the reminder a delivered message carries (``org.ralliement.reminder``)."""
    if replied is None:
        return None
    marker = (replied.get("content") or {}).get(REMINDER_KEY)
    reminder_id = marker.get("id") if isinstance(marker, dict) else None
    return reminder_id if isinstance(reminder_id, str) and reminder_id else None
