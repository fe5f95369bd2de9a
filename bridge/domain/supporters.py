"""Supporters: the campaign's list of people who signed up, the Matrix account each one links by
proving their address, what ``!moi`` shows, and a person's export and erasure.

Addresses are stored normalised (:func:`~.supporter_input.normalise_email`) and are never shown to
anyone but the person themself (``!moi``, the export) and the admin who sent them (an import's
report).

One Matrix account is linked to at most one supporter, and one supporter to at most one account
(:meth:`SupporterService.link`). The refusals say as little as they can: ``supporter.unknown``
names only the address the person typed, so the joining conversation reveals nothing about other
addresses.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from enum import StrEnum
from typing import Any, TypeVar

from mautrix.util.async_db import Database

from bridge.db.clock import now_ms
from bridge.db.events import EventRepository
from bridge.db.supporters import (
    PERSONAL_TABLES,
    UNIQUE_VIOLATIONS,
    Supporter,
    SupporterRepository,
    SupporterSource,
)
from bridge.db.teams import TeamRepository

from .person_data import ErasureReport, TeamExit, export_view, profile_view
from .supporter_input import (
    EMAIL_INVALID,
    NAME_LENGTH,
    POSTCODE_INVALID,
    SupporterError,
    SupporterInput,
    clean_name,
    normalise_email,
    normalise_postcode,
)
from .teams import remove_keeping_a_referent

__all__ = [
    "ALREADY_LINKED",
    "EMAIL_INVALID",
    "LANGUAGES",
    "LANGUAGE_INVALID",
    "LINKED_ELSEWHERE",
    "NAME_LENGTH",
    "NOT_FOUND",
    "NOT_LINKED",
    "POSTCODE_INVALID",
    "UNKNOWN",
    "ErasureReport",
    "Saved",
    "SupporterError",
    "SupporterInput",
    "SupporterService",
    "TeamExit",
    "clean_name",
    "normalise_email",
    "normalise_postcode",
]

LANGUAGES = ("fr", "en")

# Message keys of the refusals, for the bots' and the admins' texts (the input's keys are in
# :mod:`.supporter_input`).
UNKNOWN = "supporter.unknown"
LINKED_ELSEWHERE = "supporter.linked_elsewhere"
ALREADY_LINKED = "supporter.already_linked"
NOT_LINKED = "supporter.not_linked"
NOT_FOUND = "supporter.not_found"
LANGUAGE_INVALID = "supporter.language.invalid"


class Saved(StrEnum):
    """What :meth:`SupporterService.save` did."""

    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


T = TypeVar("T")


async def _once_more_on_conflict(operation: Callable[[], Awaitable[T]]) -> T:
    """Run ``operation``; if a concurrent write broke a unique constraint meanwhile (the
    transaction is then rolled back), run it once more: it reads that write and decides again."""
    try:
        return await operation()
    except UNIQUE_VIOLATIONS:
        return await operation()


def _ms(moment: datetime | None) -> int:
    return now_ms() if moment is None else int(moment.timestamp() * 1000)


class SupporterService:
    """The supporter rules, applied to the state in the repositories."""

    def __init__(
        self,
        repository: SupporterRepository,
        teams: TeamRepository,
        events: EventRepository,
    ) -> None:
        self.repository = repository
        self.teams = teams
        self.events = events

    @classmethod
    def on_database(cls, db: Database) -> SupporterService:
        return cls(SupporterRepository(db), TeamRepository(db), EventRepository(db))

    #: The address as stored and compared (see :func:`.supporter_input.normalise_email`).
    normalise_email = staticmethod(normalise_email)

    # --- The list (admin doors) --------------------------------------------------------------

    async def save(
        self,
        email: str,
        name: str = "",
        postcode: str | None = None,
        source: str | SupporterSource = SupporterSource.IMPORT,
    ) -> tuple[Supporter, Saved]:
        """Add the address to the list, or update the name and postcode of the supporter
        already there (an empty name or no postcode keeps the stored one). Never duplicates an
        address; never changes its source nor its linked account.

        Raises:
            SupporterError: ``supporter.email.invalid``, ``supporter.name.length``,
                ``supporter.postcode.invalid``.
            ValueError: ``source`` is not ``import`` or ``api``.
        """
        origin = SupporterSource(source)
        if origin is SupporterSource.OPEN:
            raise ValueError("the supporters of an open campaign are created by link()")
        wanted = SupporterInput.check(email, name, postcode)

        async def save_once() -> tuple[Supporter, Saved]:
            async with self.repository.locked(wanted.email) as locked:
                existing = locked.supporter
                if existing is None:
                    created = await locked.create(
                        origin, name=wanted.name, postcode=wanted.postcode
                    )
                    return created, Saved.CREATED
                if not wanted.changes(existing):
                    return existing, Saved.UNCHANGED
                name_, postcode_ = wanted.merged(existing)
                return await locked.update(name=name_, postcode=postcode_), Saved.UPDATED

        return await _once_more_on_conflict(save_once)

    async def upsert(
        self,
        email: str,
        name: str = "",
        postcode: str | None = None,
        source: str | SupporterSource = SupporterSource.IMPORT,
    ) -> tuple[Supporter, bool]:
        """:meth:`save`, telling only whether the supporter was created."""
        supporter, saved = await self.save(email, name, postcode, source)
        return supporter, saved is Saved.CREATED

    async def find_by_email(self, email: str) -> Supporter | None:
        """The supporter with this address (in any case and spacing).

        Raises:
            SupporterError: ``supporter.email.invalid``.
        """
        return await self.repository.get_by_email(normalise_email(email))

    async def by_user(self, user_id: str) -> Supporter | None:
        """The supporter linked to the Matrix account ``user_id``."""
        return await self.repository.get_by_user(user_id)

    # --- Linking an account (welcome bot, once the code is checked) ---------------------------

    async def link(self, email: str, user_id: str, *, allow_unlisted: bool) -> Supporter:
        """Link the Matrix account ``user_id`` to the supporter with ``email``, an address it
        has just proved (``verified_at`` is set). Linking the same pair again changes only the
        verification time.

        Args:
            allow_unlisted: ``joining.open``: an address not in the list becomes a supporter
                (source ``open``) instead of being refused.

        Raises:
            SupporterError: ``supporter.email.invalid``; ``supporter.already_linked`` (this
                account is linked to another address; the refusal does not say which:
                ``!moi`` shows it); ``supporter.unknown`` (the list does not have the address:
                the caller says how to sign up); ``supporter.linked_elsewhere`` (another
                account proved this address: the person must contact the admins).
        """
        address = normalise_email(email)

        async def link_once() -> Supporter:
            async with self.repository.locked(address) as locked:
                mine = await locked.of_user(user_id)
                if mine is not None and mine.email != address:
                    raise SupporterError(ALREADY_LINKED)
                listed = locked.supporter
                if listed is None:
                    if not allow_unlisted:
                        raise SupporterError(UNKNOWN, email=address)
                    return await locked.create(
                        SupporterSource.OPEN, user_id=user_id, verified_at=now_ms()
                    )
                if listed.user_id is not None and listed.user_id != user_id:
                    raise SupporterError(LINKED_ELSEWHERE, email=address)
                return await locked.link(user_id, now_ms())

        return await _once_more_on_conflict(link_once)

    async def set_home(
        self,
        user_id: str,
        commune: str | None,
        postcode: str | None,
        latitude: float | None,
        longitude: float | None,
        precision: str | None,
    ) -> Supporter:
        """Store where the supporter linked to ``user_id`` acts (the place they gave the bot).

        Raises:
            SupporterError: ``supporter.not_linked``.
        """
        supporter = await self.repository.set_home(
            user_id, commune, postcode, latitude, longitude, precision
        )
        if supporter is None:
            raise SupporterError(NOT_LINKED)
        return supporter

    async def set_language(self, user_id: str, language: str) -> Supporter:
        """Store the language the bots speak to the supporter linked to ``user_id``.

        Raises:
            SupporterError: ``supporter.language.invalid`` (with ``language`` and
                ``languages``), ``supporter.not_linked``.
        """
        code = language.strip().casefold()
        if code not in LANGUAGES:
            raise SupporterError(
                LANGUAGE_INVALID, language=language.strip(), languages=", ".join(LANGUAGES)
            )
        supporter = await self.repository.set_language(user_id, code)
        if supporter is None:
            raise SupporterError(NOT_LINKED)
        return supporter

    # --- A person's own data: see it, export it, erase it -------------------------------------

    async def profile(self, user_id: str, *, now: datetime | None = None) -> dict[str, Any]:
        """What the campaign knows about ``user_id``, for ``!moi`` (the person themself, so
        their own address is shown; where they act is a commune, never coordinates).

        Returns:
            ``user_id``; ``linked``; ``email``, ``name``, ``postcode``, ``verified_at``,
            ``language`` (None when not linked); ``home`` (``commune``, ``postcode``; or None);
            ``teams`` (``team_id``, ``name``, ``commune``, ``role``, ``room_id``; archived
            teams left out); ``rsvps`` (the events not over yet that the person goes to:
            ``event_id``, ``title``, ``team_id``, ``start_at``, ``end_at``, ``timezone``,
            ``guests``, ``status``).
        """
        return profile_view(
            user_id,
            await self.repository.get_by_user(user_id),
            await self.teams.memberships(user_id),
            await self.events.rsvps_of_user(user_id, ending_after=_ms(now)),
        )

    async def forget(self, user_id: str) -> ErasureReport:
        """Erase the personal data of ``user_id`` in one transaction: their supporter row (their
        address, name, postcode, home and language), their pending codes and the log of codes
        sent to their address, their joining conversation, their RSVPs, their team memberships.

        Memberships end as a departure from the room does (nothing refuses it): a team whose
        last referent is erased gets its longest-standing manager (else member) as referent,
        and each team's room is re-projected. The projection never kicks: the caller kicks the
        person from :attr:`ErasureReport.room_ids`.

        Events the person organised stay with their team (their Matrix ID as organiser).
        """
        async with self.repository.erasing() as erasure:
            exits = []
            for team_id in await erasure.team_ids(user_id):
                team = await erasure.lock_team(team_id)
                if team is None:
                    continue
                removed, promoted = await remove_keeping_a_referent(team, user_id)
                if removed:
                    info = team.team
                    exits.append(TeamExit(info.id, info.name, info.room_id, promoted))
            supporter = await erasure.delete_supporter(user_id)
            email = supporter.email if supporter else None
            rsvps = await erasure.delete_rsvps(user_id)
            codes = await erasure.delete_codes(user_id, email)
            sent = await erasure.delete_sending_log(user_id, email)
            joining = await erasure.delete_joining(user_id)
            others = {
                table: await erasure.delete_where_user(table, user_id) for table in PERSONAL_TABLES
            }
        return ErasureReport(
            user_id=user_id,
            supporter=supporter is not None,
            team_memberships=len(exits),
            rsvps=rsvps,
            email_codes=codes,
            email_sent=sent,
            joining=joining,
            teams=tuple(exits),
            **others,
        )

    async def export(self, email_or_user_id: str) -> dict[str, Any]:
        """Everything stored about a person, as JSON-serialisable data
        (:func:`.person_data.export_view`): the supporter row, team memberships, RSVPs, pending
        codes (never a code's hash), the log of codes sent, the joining conversation.

        Args:
            email_or_user_id: a Matrix user ID (``@…``) or an address (any case).

        Raises:
            SupporterError: ``supporter.email.invalid``, or ``supporter.not_found`` (with
                ``who``) when nothing at all is stored about them.
        """
        who = email_or_user_id.strip()
        user_id: str | None
        email: str | None
        if who.startswith("@"):
            user_id = who
            supporter = await self.repository.get_by_user(who)
            email = supporter.email if supporter else None
        else:
            email = normalise_email(who)
            supporter = await self.repository.get_by_email(email)
            user_id = supporter.user_id if supporter else None
        memberships = await self.teams.memberships(user_id) if user_id else []
        rsvps = await self.events.rsvps_of_user(user_id) if user_id else []
        codes = await self.repository.codes(user_id, email)
        sent = await self.repository.sending_log(user_id, email)
        joining = await self.repository.joining(user_id) if user_id else None
        others = await self.repository.personal_rows(user_id) if user_id else {}
        if not (
            supporter or memberships or rsvps or codes or sent or joining or any(others.values())
        ):
            raise SupporterError(NOT_FOUND, who=who)
        exported = export_view(
            user_id, supporter, memberships, rsvps, codes, sent, joining, exported_at=now_ms()
        )
        return {**exported, **others}
