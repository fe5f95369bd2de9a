"""Joining the campaign: the welcome bot's conversation, from email to a team, in a DM.

``!rejoindre`` (or ``!join``) starts it. Each answer moves one step, and the step lives in the
database (:mod:`bridge.db.joining`), so a restart in the middle loses nothing:

1. ``email``: the address the person signed up with. If the campaign's list lacks it (and joining
   is not open) the bot says how to sign up, and nothing about other addresses.
2. ``code``: the 6-digit code sent to that address (:mod:`bridge.domain.verification`); the account
   is then linked to the supporter.
3. ``place``: a postcode, a commune, or a location shared from Element.
4. ``team``: the nearest teams, by number, or creating one's own; the chosen team's room and the
   campaign space invite them.

``!annuler`` stops it; a conversation left idle is closed politely by :meth:`JoiningFlow.expire`.
``!equipes`` lets a verified supporter choose again; ``!moi`` shows what the campaign knows;
``!oublie-moi`` erases it after a confirmation.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from bridge.db.clock import now_ms
from bridge.db.joining import JoiningRepository, JoiningState
from bridge.domain.errors import DomainError
from bridge.domain.places import TeamPlace, resolve_team_place
from bridge.domain.supporters import SupporterService
from bridge.domain.teams import NearbyTeam, TeamService
from bridge.domain.verification import VerificationService

from .commands import CommandContext, Reply
from .i18n import Language, translate
from .membership import CampaignMembership
from .refusals import refusal
from .supporter_views import erasure_reply, profile_reply

log = logging.getLogger("bots.joining")

EMAIL, CODE, PLACE, TEAM, FORGET = "email", "code", "place", "team", "forget"
TEAM_CHOICES = 5
IDLE_MS = 30 * 60 * 1000
MAX_UNKNOWN_ADDRESSES = 5
GEO_URI = re.compile(r"geo:(-?\d+(?:\.\d+)?),(-?\d+(?:\.\d+)?)")
CONFIRM_WORDS = frozenset({"oui", "yes", "confirmer", "confirm"})
CREATE_WORDS = frozenset({"0", "creer", "créer", "create", "nouvelle", "new"})


@dataclass
class JoiningFlow:
    """The joining conversation and the supporter's own commands (welcome bot, in a DM)."""

    conversations: JoiningRepository
    supporters: SupporterService
    verification: VerificationService
    teams: TeamService
    membership: CampaignMembership
    open_joining: bool

    # --- Commands -----------------------------------------------------------------------

    async def start(self, context: CommandContext) -> Reply:
        """``!rejoindre``: ask the email (or say the account is already in)."""
        language = context.language
        supporter = await self.supporters.by_user(context.sender)
        if supporter is not None:
            return Reply(translate("joining.already", language))
        await self.conversations.save(context.sender, context.room_id, EMAIL, {})
        return Reply(translate("joining.ask_email", language))

    async def cancel(self, context: CommandContext) -> Reply:
        """``!annuler``: stop where it was; the pending code dies with it."""
        stopped = await self.conversations.delete(context.sender)
        await self.verification.cancel(context.sender)
        key = "joining.cancelled" if stopped else "joining.nothing_to_cancel"
        return Reply(translate(key, context.language))

    async def choose_again(self, context: CommandContext) -> Reply:
        """``!equipes``: a verified supporter chooses a team (again)."""
        supporter = await self.supporters.by_user(context.sender)
        if supporter is None:
            return Reply(translate("joining.not_verified", context.language))
        if supporter.home_latitude is None or supporter.home_longitude is None:
            await self.conversations.save(context.sender, context.room_id, PLACE, {})
            return Reply(translate("joining.ask_place", context.language))
        return await self._offer_teams(context, supporter.home_latitude, supporter.home_longitude)

    async def forget_request(self, context: CommandContext) -> Reply:
        """``!oublie-moi``: ask for a confirmation first."""
        await self.conversations.save(context.sender, context.room_id, FORGET, {})
        return Reply(translate("forget.confirm", context.language))

    # --- Answers in the conversation --------------------------------------------------

    async def answer(self, context: CommandContext, text: str) -> Reply | None:
        """A message that is not a command; None when no conversation is going on."""
        state = await self.conversations.get(context.sender)
        if state is None:
            return None
        if now_ms() - state.updated_at > IDLE_MS:
            await self.conversations.delete(context.sender)
            return Reply(translate("joining.expired", context.language))
        steps = {
            EMAIL: self._email,
            CODE: self._code,
            PLACE: self._place,
            TEAM: self._team,
            FORGET: self._forget,
        }
        try:
            return await steps[state.step](context, state, text.strip())
        except DomainError as error:
            return refusal(error, context.language)

    async def _email(self, context: CommandContext, state: JoiningState, text: str) -> Reply:
        language = context.language
        email = self.supporters.normalise_email(text)
        supporter = await self.supporters.find_by_email(email)
        if supporter is None and not self.open_joining:
            unknown = int(state.data.get("unknown", 0)) + 1
            data = {**state.data, "unknown": unknown}
            await self.conversations.save(context.sender, context.room_id, EMAIL, data)
            if unknown > MAX_UNKNOWN_ADDRESSES:
                await self.conversations.delete(context.sender)
                return Reply(translate("joining.too_many_addresses", language))
            return Reply(translate("joining.unknown_email", language))
        if supporter is not None and supporter.user_id not in (None, context.sender):
            return Reply(translate("supporter.linked_elsewhere", language))
        await self.verification.start(context.sender, email, language)
        await self.conversations.save(context.sender, context.room_id, CODE, {"email": email})
        return Reply(translate("joining.code_sent", language, email=email))

    async def _code(self, context: CommandContext, state: JoiningState, text: str) -> Reply:
        language = context.language
        try:
            email = await self.verification.check(context.sender, text)
        except DomainError as error:
            if error.key in ("verification.expired", "verification.too_many_attempts"):
                await self.conversations.save(context.sender, context.room_id, EMAIL, {})
            return refusal(error, language)
        await self.supporters.link(email, context.sender, allow_unlisted=self.open_joining)
        await self.supporters.set_language(context.sender, language)
        await self.conversations.save(context.sender, context.room_id, PLACE, {})
        return Reply(translate("joining.verified", language))

    async def _place(self, context: CommandContext, state: JoiningState, text: str) -> Reply:
        place = location_of(text) or resolve_team_place(text)
        await self.supporters.set_home(
            context.sender,
            place.commune or None,
            place.postcode or None,
            place.latitude,
            place.longitude,
            "location" if GEO_URI.fullmatch(text) else "commune",
        )
        return await self._offer_teams(context, place.latitude, place.longitude)

    async def _offer_teams(
        self, context: CommandContext, latitude: float, longitude: float
    ) -> Reply:
        nearby = await self.teams.nearest(latitude, longitude, limit=TEAM_CHOICES)
        choices = [found.team.id for found in nearby]
        await self.conversations.save(context.sender, context.room_id, TEAM, {"choices": choices})
        return team_list(nearby, context.language)

    async def _team(self, context: CommandContext, state: JoiningState, text: str) -> Reply:
        language = context.language
        choices: list[str] = list(state.data.get("choices", []))
        word = text.strip().casefold()
        if word in CREATE_WORDS:
            await self.conversations.delete(context.sender)
            return Reply(translate("joining.create_own", language))
        if not word.isdigit() or not 1 <= int(word) <= len(choices):
            return Reply(translate("joining.pick_number", language, count=len(choices)))
        team = await self.teams.get_team(choices[int(word) - 1])
        await self.teams.join(team.id, context.sender)
        await self.membership.invite_to_campaign(context.sender)
        await self.conversations.delete(context.sender)
        return Reply(translate("joining.done", language, team=team.name))

    async def _forget(self, context: CommandContext, state: JoiningState, text: str) -> Reply:
        language = context.language
        await self.conversations.delete(context.sender)
        if text.strip().casefold() not in CONFIRM_WORDS:
            return Reply(translate("forget.kept", language))
        await self.verification.cancel(context.sender)
        report = await self.supporters.forget(context.sender)
        await self.membership.remove_from_rooms(context.sender, report.room_ids)
        return erasure_reply(report, language)

    async def profile(self, context: CommandContext) -> Reply:
        """``!moi``: what the campaign knows about the person."""
        return profile_reply(await self.supporters.profile(context.sender), context.language)

    # --- Idle conversations -----------------------------------------------------------

    async def expired(self) -> list[JoiningState]:
        """Close the conversations left idle; the caller tells each person."""
        idle = await self.conversations.idle_since(now_ms() - IDLE_MS)
        for state in idle:
            await self.conversations.delete(state.user_id)
            await self.verification.cancel(state.user_id)
        return idle


def location_of(text: str) -> TeamPlace | None:
    """A place from a ``geo:`` URI (a location shared from Element), at the exact point."""
    match = GEO_URI.fullmatch(text.strip())
    if match is None:
        return None
    latitude, longitude = float(match.group(1)), float(match.group(2))
    return TeamPlace("", "", "", latitude, longitude)


def team_list(nearby: list[NearbyTeam], language: Language) -> Reply:
    """The numbered choice of nearby teams, and how to create one's own."""
    if not nearby:
        return Reply(translate("joining.no_team_near", language))
    lines = [translate("joining.teams_header", language)]
    for number, found in enumerate(nearby, start=1):
        distance = found.distance_km
        line = translate(
            "joining.team_line",
            language,
            number=number,
            name=found.team.name,
            commune=found.team.commune or "",
            km=f"{distance:.0f}" if distance >= 10 else f"{distance:.1f}",
            members=found.members,
        )
        lines.append(line)
    lines.append(translate("joining.teams_footer", language))
    return Reply("\n".join(lines))
