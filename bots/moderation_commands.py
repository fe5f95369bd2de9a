"""The admin room's commands (moderation bot), for moderators only.

Every command works only in the admin room (typed elsewhere in a DM, it says so; in a team room
the bot stays silent, :func:`bots.moderation.command_scope`), and only for moderators: power 50
or more in the admin room, read from its state when the command comes. A mistyped command gets
the reason and the command's usage with an example.

- ``!ban <@user:server | glob | server> <raison>``: a rule in the campaign's policy list (the
  appservice applies it in every managed room, :mod:`bridge.moderation.policy`); then, for one
  named user, a follow-up once the bans are carried out. ``!unban <entity>`` removes the rule.
- ``!listes``: the campaign's list and the watched ones. ``!surveiller <#list:server>`` follows
  a community list (the bot joins it; the appservice reads its rules), ``!nepplussurveiller``
  forgets it and lifts its bans.
- Raids, rooms and protections: :mod:`bots.moderation_room_commands`; purges:
  :mod:`bots.moderation_purge`.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from urllib.parse import quote

from bridge.db.clock import now_ms
from bridge.db.moderation_actions import ActionKind
from bridge.domain.errors import DomainError
from bridge.domain.moderation.policy import (
    WRITE_TYPES,
    RuleKey,
    RuleKind,
    glob_matches,
    has_wildcards,
    is_too_wide,
    kind_of_entity,
    rule_state_key,
    server_of,
)

from .arguments import ArgumentError
from .commands import CommandContext, CommandRegistry, Reply
from .homeserver_api import HomeserverError
from .i18n import Language, translate, translate_count
from .moderation_arguments import parse_ban, parse_unban
from .moderation_lists import list_name, show_lists, unwatch_list, watch_list
from .moderation_rooms import RoomPowers, admin_powers, room_label
from .moderation_services import ModerationServices, NoPolicyList
from .refusals import refusal

log = logging.getLogger("bots.moderation.commands")

TOO_WIDE = "moderation.ban.too_wide"
OURS = "moderation.ban.ours"
OWN_SERVER = "moderation.ban.own_server"
MODERATOR = "moderation.ban.moderator"
#: How long the follow-up of a !ban waits for the appservice to carry the bans out.
BAN_FOLLOW_UP_S = 120.0
FOLLOW_UP_POLL_S = 1.0

#: What an admin command does once access is checked: the context and the admin room's powers.
AdminHandler = Callable[[CommandContext, RoomPowers], Awaitable[Reply]]


@dataclass(frozen=True)
class Admin:
    """What the admin commands share: the services, the campaign's domain, the registry."""

    moderation: ModerationServices
    domain: str
    registry: CommandRegistry

    def command(
        self, *names: str, help_key: str, usage_key: str | None = None, usage: str = ""
    ) -> Callable[[AdminHandler], AdminHandler]:
        """Declare an admin command: only in the admin room, only for moderators; a refusal
        caused by what was typed ends with ``usage_key`` (the usage with an example)."""

        def declare(handler: AdminHandler) -> AdminHandler:
            async def answer(context: CommandContext) -> Reply:
                language = context.language
                admin_room = await self.moderation.admin_room()
                if admin_room is None or context.room_id != admin_room:
                    return Reply(translate("moderation.admin_only", language))
                powers = await admin_powers(self.moderation)
                if powers is None or not powers.is_moderator(context.sender):
                    return Reply(translate("moderation.not_moderator", language, command=names[0]))
                try:
                    return await handler(context, powers)
                except ArgumentError as error:
                    return refusal(error, language, hint=usage_key)
                except NoPolicyList:
                    return Reply(translate("moderation.no_policy_list", language))
                except HomeserverError as error:
                    log.warning(
                        "!%s from %s: homeserver refused: %s", names[0], context.sender, error
                    )
                    return Reply(translate("moderation.homeserver_refused", language, error=error))

            self.registry.command(*names, help_key=help_key, usage=usage)(answer)
            return handler

        return declare

    def protected(self, powers: RoomPowers) -> frozenset[str]:
        """Users no moderation command acts on: ours, and the moderators."""
        return (
            self.moderation.our_users
            | powers.moderators()
            | frozenset(self.moderation.settings.moderators)
        )


def rule_names(kind: RuleKind, entity: str, user_id: str) -> bool:
    """Whether a rule of ``kind`` about ``entity`` would name ``user_id``."""
    if kind is RuleKind.USER:
        return glob_matches(entity, user_id)
    return glob_matches(entity, server_of(user_id))


def check_bannable(admin: Admin, kind: RuleKind, entity: str, powers: RoomPowers) -> None:
    """Refuse a rule that would ban everyone, our own users or server, or a moderator.

    Raises:
        DomainError: ``moderation.ban.too_wide``, ``.own_server``, ``.ours``, ``.moderator``.
    """
    if is_too_wide(entity):
        raise DomainError(TOO_WIDE, entity=entity)
    if kind is RuleKind.SERVER and glob_matches(entity, admin.domain):
        raise DomainError(OWN_SERVER, entity=entity, server=admin.domain)
    for user in sorted(admin.moderation.our_users):
        if rule_names(kind, entity, user):
            raise DomainError(OURS, entity=entity, user=user)
    moderators = powers.moderators() | set(admin.moderation.settings.moderators)
    for user in sorted(moderators):
        if rule_names(kind, entity, user):
            raise DomainError(MODERATOR, entity=entity, user=user)


def register_list_commands(admin: Admin) -> None:
    moderation = admin.moderation

    @admin.command(
        "ban",
        "bannir",
        help_key="help.ban",
        usage_key="moderation.ban.usage",
        usage="<@compte:serveur | motif | serveur> <raison>",
    )
    async def ban(context: CommandContext, powers: RoomPowers) -> Reply:
        request = parse_ban(context.args, context.mentions, context.names)
        try:
            check_bannable(admin, request.kind, request.entity, powers)
        except DomainError as error:
            return refusal(error, context.language)
        rooms = len(await moderation.rooms.room_ids())
        started = now_ms()
        await moderation.write_rule(request.kind, request.entity, request.reason)
        log.info(
            "%s banned %s (%s): %s", context.sender, request.entity, request.kind, request.reason
        )
        one_user = request.kind is RuleKind.USER and not has_wildcards(request.entity)
        key = "moderation.ban.done_user" if one_user else "moderation.ban.done_pattern"
        text = translate_count(
            key, rooms, context.language, entity=request.entity, reason=request.reason
        )
        follow_up = None
        if one_user:

            async def follow_up() -> Reply | None:
                return await ban_applied(moderation, request.entity, started, context.language)

        return Reply(text, follow_up=follow_up)

    @admin.command(
        "unban",
        "debannir",
        help_key="help.unban",
        usage_key="moderation.unban.usage",
        usage="<@compte:serveur | motif | serveur>",
    )
    async def unban(context: CommandContext, powers: RoomPowers) -> Reply:
        entity = parse_unban(context.args, context.mentions, context.names)
        return await remove_rule(moderation, entity, context.language)

    @admin.command("listes", "lists", help_key="help.listes")
    async def lists(context: CommandContext, powers: RoomPowers) -> Reply:
        return await show_lists(moderation, context.language)

    @admin.command(
        "surveiller",
        "watch",
        help_key="help.surveiller",
        usage_key="moderation.watch.usage",
        usage="<#liste:serveur>",
    )
    async def watch(context: CommandContext, powers: RoomPowers) -> Reply:
        return await watch_list(moderation, context)

    @admin.command(
        "nepplussurveiller",
        "unwatch",
        help_key="help.nepplussurveiller",
        usage_key="moderation.unwatch.usage",
        usage="<#liste:serveur>",
    )
    async def unwatch(context: CommandContext, powers: RoomPowers) -> Reply:
        return await unwatch_list(moderation, context)


# --- !ban's follow-up --------------------------------------------------------------------------


async def ban_applied(
    moderation: ModerationServices,
    user_id: str,
    since: int,
    language: Language,
    *,
    timeout: float = BAN_FOLLOW_UP_S,
) -> Reply | None:
    """Once the appservice carried out the bans of ``user_id`` written since ``since``: how it
    went; None if it has not written or finished them in ``timeout`` seconds."""
    deadline = asyncio.get_running_loop().time() + timeout
    while asyncio.get_running_loop().time() < deadline:
        actions = [
            action
            for action in await moderation.actions.of_user(user_id, limit=100_000)
            if action.kind is ActionKind.BAN and action.created_at >= since
        ]
        if actions and all(a.done_at is not None or a.failed_at is not None for a in actions):
            failed = [a.room_id for a in actions if a.failed_at is not None]
            done = len(actions) - len(failed)
            if not failed:
                return Reply(
                    translate_count("moderation.ban.applied", done, language, entity=user_id)
                )
            labels = []
            for room_id in failed:
                room = await moderation.rooms.get(room_id)
                labels.append(room_label(room) if room else room_id)
            refused = translate_count("moderation.ban.refused", len(failed), language)
            return Reply(
                translate_count(
                    "moderation.ban.partly_applied",
                    done,
                    language,
                    entity=user_id,
                    refused=refused,
                    rooms=", ".join(labels),
                )
            )
        await asyncio.sleep(FOLLOW_UP_POLL_S)
    return None


# --- !unban ------------------------------------------------------------------------------------


async def remove_rule(moderation: ModerationServices, entity: str, language: Language) -> Reply:
    """Remove the campaign's rule about ``entity``; else say which list (read-only) or which
    wider rule bans it."""
    kind = kind_of_entity(entity)
    assert kind is not None
    policy_room = await moderation.policy_room()
    if policy_room is None:
        raise NoPolicyList("no campaign list yet")
    if await _rule_in_room(moderation, policy_room, kind, entity):
        await moderation.remove_rule(kind, entity)
        return Reply(translate("moderation.unban.done", language, entity=entity))
    rules = [rule for rule in await moderation.policy.rules() if rule.bans]
    lists = {room.room_id: room for room in await moderation.policy.lists()}
    same = [rule for rule in rules if rule.entity.casefold() == entity.casefold()]
    for rule in same:
        if rule.key.list_room_id == policy_room:
            await _clear(moderation, rule.key)  # written by another tool, another state key
            return Reply(translate("moderation.unban.done", language, entity=entity))
    if same:
        name = list_name(lists.get(same[0].key.list_room_id), same[0].key.list_room_id)
        return Reply(translate("moderation.unban.watched", language, entity=entity, list=name))
    if kind is RuleKind.USER and not has_wildcards(entity):
        wider = next((rule for rule in rules if rule.matches_user(entity)), None)
        if wider is not None:
            list_id = wider.key.list_room_id
            name = (
                translate("moderation.list.campaign", language)
                if list_id == policy_room
                else list_name(lists.get(list_id), list_id)
            )
            return Reply(
                translate(
                    "moderation.unban.covered",
                    language,
                    entity=entity,
                    rule=wider.entity,
                    list=name,
                )
            )
    return Reply(translate("moderation.unban.none", language, entity=entity))


async def _rule_in_room(
    moderation: ModerationServices, room_id: str, kind: RuleKind, entity: str
) -> bool:
    """Whether the campaign's list holds a rule about ``entity`` now (read from the room: the
    appservice may not have read a rule written a moment ago)."""
    path = (
        f"/_matrix/client/v3/rooms/{quote(room_id)}/state/{WRITE_TYPES[kind]}/"
        f"{quote(rule_state_key(entity), safe='')}"
    )
    try:
        content = await moderation.api.request("GET", path, as_user=moderation.bot_user_id)
    except HomeserverError as error:
        if error.status == 404:
            return False
        raise
    return bool(content.get("entity"))


async def _clear(moderation: ModerationServices, key: RuleKey) -> None:
    path = (
        f"/_matrix/client/v3/rooms/{quote(key.list_room_id)}/state/{quote(key.event_type)}/"
        f"{quote(key.state_key, safe='')}"
    )
    await moderation.api.request("PUT", path, {}, as_user=moderation.bot_user_id)
