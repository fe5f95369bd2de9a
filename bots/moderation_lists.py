"""The policy lists in the admin room (moderation bot): ``!listes`` shows the campaign's list
(its latest rules) and the watched ones; ``!surveiller <#list:server>`` follows a community list
(the bot joins it, the appservice reads its rules and applies them,
:mod:`bridge.moderation.policy`); ``!nepplussurveiller`` forgets it and lifts its bans."""

from __future__ import annotations

import logging
from html import escape
from urllib.parse import quote

from bridge.db.moderation_actions import ActionRequest, enqueue_actions
from bridge.db.policy import ModerationRoom, PolicyStore, RoomPurpose
from bridge.domain.moderation.policy import PolicyRule

from .arguments import ArgumentError
from .commands import CommandContext, Reply
from .homeserver_api import HomeserverError
from .i18n import Language, translate, translate_count
from .moderation_arguments import parse_list_room
from .moderation_rooms import resolve_alias
from .moderation_services import ModerationServices
from .moderation_views import Notice, with_users

log = logging.getLogger("bots.moderation.lists")

WATCH_NOT_FOUND = "moderation.watch.not_found"
WATCH_OWN = "moderation.watch.own"
UNWATCH_UNKNOWN = "moderation.unwatch.unknown"
#: How many of the campaign's latest rules !listes shows.
LATEST_RULES = 5


def list_name(room: ModerationRoom | None, room_id: str) -> str:
    """A list as moderators know it: its address, else its id."""
    return room.alias if room is not None and room.alias else room_id


# --- !listes -----------------------------------------------------------------------------------


async def show_lists(moderation: ModerationServices, language: Language) -> Reply:
    notice = Notice()
    lists = await moderation.policy.lists()
    campaign = next((room for room in lists if room.purpose is RoomPurpose.POLICY), None)
    if campaign is None:
        notice.line(translate("moderation.lists.no_campaign", language))
    else:
        rules = await moderation.policy.rules(campaign.room_id)
        notice.line(
            translate_count(
                "moderation.lists.campaign",
                len(rules),
                language,
                name=list_name(campaign, campaign.room_id),
            )
        )
        notice.bullets([_rule_line(rule, language) for rule in reversed(rules[-LATEST_RULES:])])
    watched = [room for room in lists if room.purpose is RoomPurpose.WATCHED]
    if not watched:
        return notice.line(translate("moderation.lists.no_watched", language)).reply()
    notice.line(translate("moderation.lists.watched", language))
    lines = []
    for room in watched:
        count = len(await moderation.policy.rules(room.room_id))
        text = translate_count(
            "moderation.lists.watched_line", count, language, name=list_name(room, room.room_id)
        )
        lines.append((text, escape(text)))
    return notice.bullets(lines).reply()


def _rule_line(rule: PolicyRule, language: Language) -> tuple[str, str]:
    return with_users(
        "moderation.lists.rule",
        language,
        {"sender": rule.sender},
        entity=rule.entity,
        reason=rule.reason or "—",
    )


# --- !surveiller / !nepplussurveiller ----------------------------------------------------------


async def watch_list(moderation: ModerationServices, context: CommandContext) -> Reply:
    language = context.language
    reference = parse_list_room(context.args)
    bot = moderation.bot_user_id
    room_id = reference.room_id
    if reference.alias is not None:
        room_id = await resolve_alias(moderation.api, reference.alias, as_user=bot)
    if room_id is None:
        raise ArgumentError(WATCH_NOT_FOUND, text=reference.text)
    purpose = await moderation.policy.purpose_of(room_id)
    name = reference.alias or room_id
    if purpose in (RoomPurpose.ADMIN, RoomPurpose.POLICY):
        return Reply(translate(WATCH_OWN, language, text=reference.text))
    if purpose is RoomPurpose.WATCHED:
        return Reply(translate("moderation.watch.already", language, name=name))
    # Recorded first: the appservice reads the list's rules when it sees the bot join.
    await moderation.policy.set_room(
        RoomPurpose.WATCHED, room_id, alias=reference.alias, added_by=context.sender
    )
    try:
        await moderation.api.request(
            "POST", f"/_matrix/client/v3/join/{quote(reference.text)}", {}, as_user=bot
        )
    except HomeserverError as error:
        await moderation.policy.forget_list(room_id)
        return Reply(
            translate("moderation.watch.join_failed", language, text=reference.text, error=error)
        )
    log.info("%s watches the list %s (%s)", context.sender, name, room_id)
    return Reply(translate("moderation.watch.done", language, name=name))


async def unwatch_list(moderation: ModerationServices, context: CommandContext) -> Reply:
    language = context.language
    reference = parse_list_room(context.args)
    watched = [
        room for room in await moderation.policy.lists() if room.purpose is RoomPurpose.WATCHED
    ]
    found = next(
        (
            room
            for room in watched
            if room.room_id == reference.room_id
            or (reference.alias and room.alias == reference.alias)
        ),
        None,
    )
    if found is None and reference.alias is not None:
        room_id = await resolve_alias(
            moderation.api, reference.alias, as_user=moderation.bot_user_id
        )
        found = next((room for room in watched if room.room_id == room_id), None)
    if found is None:
        raise ArgumentError(UNWATCH_UNKNOWN, text=reference.text)
    rules, unbans = await forget_watched_list(moderation, found.room_id)
    try:
        await moderation.api.request(
            "POST",
            f"/_matrix/client/v3/rooms/{quote(found.room_id)}/leave",
            {},
            as_user=moderation.bot_user_id,
        )
    except HomeserverError as error:
        log.info("Leaving the list %s: %s", found.room_id, error)
    name = list_name(found, found.room_id)
    return Reply(unwatched_words(name, rules, unbans, language))


def unwatched_words(name: str, rules: int, unbans: int, language: Language) -> str:
    """The answer of !nepplussurveiller, counts in words: "… : 1 règle oubliée, aucun
    bannissement levé"."""
    return translate(
        "moderation.unwatch.done",
        language,
        name=name,
        rules=translate_count("moderation.unwatch.rules", rules, language),
        unbans=translate_count("moderation.unwatch.unbans", unbans, language),
    )


async def forget_watched_list(moderation: ModerationServices, room_id: str) -> tuple[int, int]:
    """Stop reading a watched list, in one transaction: its rules go, and the bans they caused
    are lifted (unban actions for the appservice) unless another rule still bans the same user,
    which then owns the ban. Returns (rules forgotten, unbans)."""
    others = [
        rule
        for rule in await moderation.policy.rules()
        if rule.bans and rule.key.list_room_id != room_id
    ]
    mine = await moderation.policy.rules(room_id)
    unbans: list[ActionRequest] = []
    async with moderation.policy.db.acquire() as conn, conn.transaction():  # type: ignore[var-annotated]
        for rule in mine:
            unbans += await PolicyStore.lift_bans(
                conn, rule.key, others, reason="liste plus surveillée", cause=f"unwatch:{room_id}"
            )
        await PolicyStore.forget_list_in(conn, room_id)
        await enqueue_actions(conn, unbans)
    return len(mine), len(unbans)
