"""The admin room's commands about rooms (moderation bot): raids, lockdowns, protections.

- ``!depuis <durée> ban|kick|mute [salon] [raison]``: everyone who joined a managed room in the
  window (the join log the appservice keeps), never our users nor moderators: ``ban`` writes one
  rule per account in the campaign's list (reason "raid" unless given), ``kick`` kicks them
  from the rooms they joined, ``mute`` takes their voice in those team rooms.
- ``!demute <@user> [salon]``: gives a muted member their voice back, in every team room where
  they are muted or the one named.
- ``!verrouiller <salon>`` / ``!deverrouiller <salon>``: a team room's or a space's lockdown (its
  join rule becomes knock or invite while locked; see ``ModerationServices.set_lockdown``).
- ``!protections``: each protection, everywhere and per room; ``!protection <nom>
  on|off|defaut [salon]`` switches one.

A room is named by its team's id, a space by its key (``root``, a département's code such as
``69`` or ``2A``), or either by its address, its id, or a ``matrix.to`` or ``matrix:`` link.
"""

from __future__ import annotations

import asyncio
import logging
from html import escape

from bridge.db.managed_rooms import ManagedKind, ManagedRoom
from bridge.db.moderation_actions import ActionKind, ActionRequest
from bridge.db.room_guard import GLOBAL, RoomGuard
from bridge.db.room_sync import request_room_sync
from bridge.domain.moderation.policy import RuleKind
from bridge.domain.moderation.protections import Protection, is_enabled

from .arguments import ArgumentError
from .commands import CommandContext, Reply
from .i18n import Language, translate, translate_count
from .moderation_arguments import (
    SinceAction,
    parse_protection_switch,
    parse_room,
    parse_room_argument,
    parse_since,
    parse_unmute,
    window_words,
)
from .moderation_commands import Admin
from .moderation_rooms import RoomPowers, find_managed_room, room_label
from .moderation_services import ModerationServices
from .moderation_views import Notice, entry_words, protection_words, with_users

log = logging.getLogger("bots.moderation.rooms")

ROOM_UNKNOWN = "moderation.room_unknown"
NOT_MUTED = "moderation.unmute.not_muted"
NOT_MUTED_IN = "moderation.unmute.not_muted_in"
#: Rules written at once by !depuis ban.
CONCURRENT_RULES = 8


async def named_room(moderation: ModerationServices, text: str) -> ManagedRoom:
    """The managed room ``text`` names.

    Raises:
        ArgumentError: ``moderation.room_unknown`` (``room``).
    """
    reference = parse_room(text)
    room = await find_managed_room(moderation, reference) if reference else None
    if room is None:
        raise ArgumentError(ROOM_UNKNOWN, room=text)
    return room


async def room_and_reason(
    moderation: ModerationServices, rest: str
) -> tuple[ManagedRoom | None, str]:
    """``[room] [reason]``: the first word is a room when it names one of ours; a word that
    can only be a room (``#…``, ``!…``, a link) and is not ours is refused."""
    first, _, after = rest.strip().partition(" ")
    if not first:
        return None, ""
    reference = parse_room(first)
    if reference is not None:
        room = await find_managed_room(moderation, reference)
        if room is not None:
            return room, after.strip()
        if reference.team_id is None:
            raise ArgumentError(ROOM_UNKNOWN, room=first)
    return None, rest.strip()


def register_room_commands(admin: Admin) -> None:
    moderation = admin.moderation

    @admin.command(
        "depuis",
        "since",
        help_key="help.depuis",
        usage_key="moderation.since.usage",
        usage="<durée> ban|kick|mute [salon] [raison]",
    )
    async def since(context: CommandContext, powers: RoomPowers) -> Reply:
        request = parse_since(context.args)
        room, reason = await room_and_reason(moderation, request.rest)
        language = context.language
        joins = await moderation.guard.joins_since(
            moderation.since(request.window.total_seconds()), room.room_id if room else None
        )
        protected = admin.protected(powers)
        joins = [join for join in joins if join.user_id not in protected]
        users = list(dict.fromkeys(join.user_id for join in joins))
        window = window_words(request.window)
        where = (
            translate("moderation.since.in_room", language, room=room_label(room))
            if room
            else translate("moderation.since.everywhere", language)
        )
        if not users:
            return Reply(translate("moderation.since.none", language, where=where, window=window))
        reason = reason or translate("moderation.since.default_reason", language)
        if request.action is SinceAction.BAN:
            await ban_all(moderation, users, reason)
        elif request.action is SinceAction.KICK:
            await moderation.actions.enqueue(
                ActionRequest(
                    join.room_id,
                    join.user_id,
                    ActionKind.KICK,
                    reason=reason,
                    cause="since",
                    requested_by=context.sender,
                )
                for join in joins
            )
        else:
            await mute_all(moderation, [(j.room_id, j.user_id) for j in joins], context.sender)
        log.info(
            "!depuis %s %s by %s: %d accounts", window, request.action, context.sender, len(users)
        )
        key = f"moderation.since.{request.action.value}"
        text = translate_count(key, len(users), language, where=where, window=window, reason=reason)
        return Notice().line(text).users(users).reply()

    @admin.command(
        "demute",
        "unmute",
        help_key="help.demute",
        usage_key="moderation.unmute.usage",
        usage="<@compte:serveur> [salon]",
    )
    async def demute(context: CommandContext, powers: RoomPowers) -> Reply:
        request = parse_unmute(context.args, context.mentions, context.names)
        room = await named_room(moderation, request.room) if request.room else None
        user = request.user_id
        lifted = await unmute(moderation, user, room.room_id if room else None)
        if not lifted:
            if room is not None:
                raise ArgumentError(NOT_MUTED_IN, user=user, room=room_label(room))
            raise ArgumentError(NOT_MUTED, user=user)
        log.info("!demute %s by %s: %d rooms", user, context.sender, len(lifted))
        labels = [room_label(each) for each in lifted]
        line = with_users("moderation.unmute.done", context.language, {"user": user})
        return Notice().line(*line).bullets([(label, escape(label)) for label in labels]).reply()

    @admin.command(
        "verrouiller",
        "lock",
        help_key="help.verrouiller",
        usage_key="moderation.lock.usage",
        usage="<salon>",
    )
    async def lock(context: CommandContext, powers: RoomPowers) -> Reply:
        room = await named_room(moderation, parse_room_argument(context.args))
        language = context.language
        if not await moderation.set_lockdown(room, locked=True, by=context.sender):
            return Reply(translate("moderation.lock.already", language, room=room_label(room)))
        entry = entry_words(moderation.knocks_when_locked(room), language)
        return Reply(
            translate("moderation.lock.done", language, room=room_label(room), entry=entry)
        )

    @admin.command(
        "deverrouiller",
        "unlock",
        help_key="help.deverrouiller",
        usage_key="moderation.unlock.usage",
        usage="<salon>",
    )
    async def unlock(context: CommandContext, powers: RoomPowers) -> Reply:
        room = await named_room(moderation, parse_room_argument(context.args))
        unlocked = await moderation.set_lockdown(room, locked=False, by=context.sender)
        key = "moderation.unlock.done" if unlocked else "moderation.unlock.not_locked"
        return Reply(translate(key, context.language, room=room_label(room)))

    @admin.command("protections", help_key="help.protections")
    async def protections(context: CommandContext, powers: RoomPowers) -> Reply:
        return await show_protections(moderation, context.language)

    @admin.command(
        "protection",
        help_key="help.protection",
        usage_key="moderation.protection.usage",
        usage="<nom> on|off|defaut [salon]",
    )
    async def protection(context: CommandContext, powers: RoomPowers) -> Reply:
        language = context.language
        switch = parse_protection_switch(context.args)
        room = await named_room(moderation, switch.room) if switch.room else None
        scope = room.room_id if room else GLOBAL
        name = switch.protection.value
        if switch.enabled is None:
            await moderation.guard.clear_switch(scope, name)
        else:
            await moderation.guard.switch(
                scope, name, enabled=switch.enabled, set_by=context.sender
            )
        now_on = await moderation.is_enabled(switch.protection, room.room_id if room else None)
        where = (
            translate("moderation.protection.in_room", language, room=room_label(room))
            if room
            else translate("moderation.protection.everywhere", language)
        )
        key = (
            "moderation.protection.cleared"
            if switch.enabled is None
            else "moderation.protection.set"
        )
        state = translate("moderation.state.on" if now_on else "moderation.state.off", language)
        return Reply(
            translate(
                key, language, name=protection_words(name, language), state=state, where=where
            )
        )


async def ban_all(moderation: ModerationServices, users: list[str], reason: str) -> None:
    """One rule per user in the campaign's list, a few written at a time."""
    gate = asyncio.Semaphore(CONCURRENT_RULES)

    async def write(user_id: str) -> None:
        async with gate:
            await moderation.write_rule(RuleKind.USER, user_id, reason)

    await asyncio.gather(*(write(user) for user in users))


async def mute_all(
    moderation: ModerationServices, joins: list[tuple[str, str]], muted_by: str
) -> None:
    """Mute each (room, user) in the team rooms among them, and have those rooms projected."""
    teams: dict[str, str] = {}
    for room_id, _ in joins:
        room = await moderation.rooms.get(room_id)
        if room is not None and room.kind is ManagedKind.TEAM:
            teams[room_id] = room.key
    guard = moderation.guard
    async with guard.db.acquire() as conn, conn.transaction():  # type: ignore[var-annotated]
        for room_id, user_id in joins:
            if room_id in teams:
                await RoomGuard.mute(conn, room_id, user_id, muted_by=muted_by, until=None)
        for team_id in set(teams.values()):
            await request_room_sync(conn, team_id)


async def unmute(
    moderation: ModerationServices, user_id: str, room_id: str | None
) -> list[ManagedRoom]:
    """Give ``user_id`` their voice back in the team rooms where they are muted (only
    ``room_id`` when given), and have those rooms projected, in one transaction; the rooms."""
    muted = [
        each
        for each in await moderation.guard.mutes_of(user_id)
        if room_id is None or each == room_id
    ]
    rooms = [room for each in muted if (room := await moderation.rooms.get(each)) is not None]
    lifted: list[ManagedRoom] = []
    guard = moderation.guard
    async with guard.db.acquire() as conn, conn.transaction():  # type: ignore[var-annotated]
        for room in rooms:
            if room.kind is ManagedKind.TEAM and await RoomGuard.unmute(
                conn, room.room_id, user_id
            ):
                lifted.append(room)
        for team_id in {room.key for room in lifted}:
            await request_room_sync(conn, team_id)
    return lifted


async def show_protections(moderation: ModerationServices, language: Language) -> Reply:
    switches = await moderation.guard.switches()
    notice = Notice().line(translate("moderation.protections.header", language))
    lines = []
    for protection in Protection:
        on = is_enabled(
            protection, None, configured=moderation.settings.protections, switches=switches
        )
        text = translate(
            "moderation.protections.line",
            language,
            name=protection_words(protection.value, language),
            state=_state(on, language),
        )
        overrides = []
        for (scope, name), enabled in sorted(switches.items()):
            if scope == GLOBAL or name != protection.value:
                continue
            room = await moderation.rooms.get(scope)
            overrides.append(
                translate(
                    "moderation.protections.override",
                    language,
                    room=room_label(room) if room else scope,
                    state=_state(enabled, language),
                )
            )
        if overrides:
            text += " — " + translate(
                "moderation.protections.overrides", language, rooms=", ".join(overrides)
            )
        lines.append((text, escape(text)))
    return notice.bullets(lines).reply()


def _state(on: bool, language: Language) -> str:
    return translate("moderation.state.on" if on else "moderation.state.off", language)
