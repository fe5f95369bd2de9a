"""Events and RSVPs: who may organise, what a valid event is, and the last seat.

Only a team's managers and referents create, edit or cancel its events. An event starts in the
future, ends after it starts and lasts at most :data:`MAX_DAYS` days. A cancelled event is kept,
with its status. RSVPs are checked against the capacity inside the event's lock, so two people
cannot both take the last seat.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from functools import partial
from zoneinfo import ZoneInfo

from bridge.db.clock import now_ms
from bridge.db.events import (
    Event,
    EventKind,
    EventRepository,
    EventStatus,
    LockedEvent,
    Rsvp,
    Visibility,
)
from bridge.db.teams import TeamRepository

from .errors import DomainError
from .event_reminders import EventReminders
from .roles import Role
from .teams import ARCHIVED as TEAM_ARCHIVED
from .teams import NOT_FOUND as TEAM_NOT_FOUND
from .teams import TeamError

TITLE_MIN = 3
TITLE_MAX = 120
DESCRIPTION_MAX = 2000
MAX_DAYS = 7
MAX_CAPACITY = 100_000
MAX_GUESTS = 10
DEFAULT_DURATION = timedelta(hours=2)
ID_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: ids are typed by hand
ID_LENGTH = 6
ID_ATTEMPTS = 5

# Message keys of the refusals, for the bots' translations.
TITLE_LENGTH = "event.title.length"
DESCRIPTION_LENGTH = "event.description.length"
KIND_INVALID = "event.kind.invalid"
VISIBILITY_INVALID = "event.visibility.invalid"
IN_THE_PAST = "event.past"
END_BEFORE_START = "event.end_before_start"
TOO_LONG = "event.too_long"
CAPACITY_INVALID = "event.capacity.invalid"
CAPACITY_BELOW_TAKEN = "event.capacity.below_taken"
NOT_FOUND = "event.not_found"
CANCELLED = "event.cancelled"
OVER = "event.over"
ORGANIZERS_ONLY = "event.organizers_only"
MEMBERS_ONLY = "event.members_only"
FULL = "event.full"
GUESTS_INVALID = "event.guests.invalid"


class EventError(DomainError):
    """An event request the rules refuse."""


@dataclass(frozen=True)
class EventPlace:
    """Where an event happens: the text people read, and what locates it."""

    text: str
    commune: str | None = None
    postcode: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    precision: str | None = None


@dataclass(frozen=True)
class EventChanges:
    """An edit: only the fields given change. A new start without a new end keeps the duration."""

    title: str | None = None
    description: str | None = None
    kind: str | None = None
    start: datetime | None = None
    end: datetime | None = None
    place: EventPlace | None = None
    visibility: str | None = None
    capacity: int | None = None
    clear_capacity: bool = False


@dataclass(frozen=True)
class RsvpOutcome:
    rsvp: Rsvp
    #: Whether the answer differs from the one already recorded.
    changed: bool
    #: Seats still free, when the event has a capacity.
    seats_left: int | None


def new_event_id() -> str:
    return "".join(secrets.choice(ID_ALPHABET) for _ in range(ID_LENGTH))


def normalise_event_id(text: str) -> str:
    """What people type for an id ("#K3F9Q2 ", "k3f9q2") as stored."""
    return re.sub(r"[^a-z0-9]", "", text.lower())


def _clean_title(title: str) -> str:
    cleaned = " ".join(title.split())
    if not TITLE_MIN <= len(cleaned) <= TITLE_MAX:
        raise EventError(TITLE_LENGTH, min=TITLE_MIN, max=TITLE_MAX)
    return cleaned


def _clean_description(description: str) -> str:
    cleaned = description.strip()
    if len(cleaned) > DESCRIPTION_MAX:
        raise EventError(DESCRIPTION_LENGTH, max=DESCRIPTION_MAX)
    return cleaned


def _parse_kind(kind: str | EventKind) -> EventKind:
    try:
        return EventKind(kind)
    except ValueError:
        raise EventError(KIND_INVALID, kind=str(kind)) from None


def _parse_visibility(visibility: str | Visibility) -> Visibility:
    try:
        return Visibility(visibility)
    except ValueError:
        raise EventError(VISIBILITY_INVALID, visibility=str(visibility)) from None


def _check_capacity(capacity: int | None) -> int | None:
    if capacity is not None and not 1 <= capacity <= MAX_CAPACITY:
        raise EventError(CAPACITY_INVALID, max=MAX_CAPACITY)
    return capacity


def _check_times(start: datetime, end: datetime, now: datetime) -> None:
    if start.tzinfo is None or end.tzinfo is None:
        raise ValueError("event times must be aware datetimes")
    if start <= now:
        raise EventError(IN_THE_PAST)
    if end <= start:
        raise EventError(END_BEFORE_START)
    if end - start > timedelta(days=MAX_DAYS):
        raise EventError(TOO_LONG, days=MAX_DAYS)


def _ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


def _zone_name(moment: datetime) -> str:
    zone = moment.tzinfo
    return zone.key if isinstance(zone, ZoneInfo) else "UTC"


class EventService:
    """The event rules, applied to the state in the repositories. Each change also brings the
    event's reminders in step (:mod:`.event_reminders`), in the same transaction."""

    def __init__(
        self,
        events: EventRepository,
        teams: TeamRepository,
        reminders: EventReminders | None = None,
    ) -> None:
        self.events = events
        self.teams = teams
        self.reminders = reminders or EventReminders()

    async def _check_organizer(self, team_id: str, actor: str) -> None:
        team = await self.teams.get(team_id)
        if team is None:
            raise TeamError(TEAM_NOT_FOUND, team=team_id)
        if team.archived_at is not None:
            raise TeamError(TEAM_ARCHIVED, team=team_id)
        role = await self.teams.role_of(team_id, actor)
        if role is None or role.power_level < Role.MANAGER.power_level:
            raise EventError(ORGANIZERS_ONLY)

    async def create_event(
        self,
        team_id: str,
        actor: str,
        title: str,
        start: datetime,
        place: EventPlace,
        *,
        end: datetime | None = None,
        description: str = "",
        kind: str | EventKind = EventKind.ACTION,
        visibility: str | Visibility = Visibility.PUBLIC,
        capacity: int | None = None,
        now: datetime | None = None,
    ) -> Event:
        """Create an event of ``team_id`` organised by ``actor`` (a manager or referent).

        Without an end, the event lasts :data:`DEFAULT_DURATION`.

        Raises:
            EventError: a key above (``event.organizers_only``, ``event.past``, ...).
            TeamError: ``team.not_found``, ``team.archived``.
        """
        await self._check_organizer(team_id, actor)
        cleaned = _clean_title(title)
        end = end or start + DEFAULT_DURATION
        moment = now or datetime.now(start.tzinfo)
        _check_times(start, end, moment)
        schedule = partial(self.reminders.event_created, now=_ms(moment))
        created = now_ms()
        for _ in range(ID_ATTEMPTS):
            event = Event(
                id=new_event_id(),
                team_id=team_id,
                title=cleaned,
                description=_clean_description(description),
                kind=_parse_kind(kind),
                start_at=_ms(start),
                end_at=_ms(end),
                timezone=_zone_name(start),
                place=place.text.strip(),
                commune=place.commune,
                postcode=place.postcode,
                latitude=place.latitude,
                longitude=place.longitude,
                precision=place.precision,
                visibility=_parse_visibility(visibility),
                capacity=_check_capacity(capacity),
                status=EventStatus.CONFIRMED,
                organizer=actor,
                sequence=0,
                created_at=created,
                updated_at=created,
            )
            if await self.events.create(event, then=schedule):
                return event
        raise RuntimeError(f"no free event id after {ID_ATTEMPTS} attempts")

    async def get_event(self, event_id: str) -> Event:
        event = await self.events.get(normalise_event_id(event_id))
        if event is None:
            raise EventError(NOT_FOUND, event=event_id.strip())
        return event

    async def upcoming(self, team_id: str, *, now: datetime | None = None) -> list[Event]:
        """The team's events not over yet (cancelled ones included, marked), soonest first."""
        moment = now or datetime.now().astimezone()
        return await self.events.of_team(team_id, ending_after=_ms(moment))

    async def edit_event(
        self, event_id: str, actor: str, changes: EventChanges, *, now: datetime | None = None
    ) -> Event:
        """Apply ``changes`` (organisers only); the calendar sequence number goes up.

        Raises:
            EventError: as :meth:`create_event`, ``event.not_found``, ``event.cancelled``,
                ``event.capacity.below_taken`` (a capacity under the seats already taken).
        """
        async with self._locked(event_id) as locked:
            event = locked.event
            await self._check_organizer(event.team_id, actor)
            if event.status is EventStatus.CANCELLED:
                raise EventError(CANCELLED, event=event.id)
            edited = await self._apply(locked, changes, now)
            saved = await locked.save(edited)
            moment = _ms(now or datetime.now(ZoneInfo(saved.timezone)))
            await self.reminders.event_edited(locked.conn, event, saved, now=moment)
            return saved

    async def _apply(
        self, locked: LockedEvent, changes: EventChanges, now: datetime | None
    ) -> Event:
        event = locked.event
        zone = ZoneInfo(event.timezone)
        start = datetime.fromtimestamp(event.start_at / 1000, zone)
        end = datetime.fromtimestamp(event.end_at / 1000, zone)
        if changes.start is not None:
            duration = end - start
            start = changes.start
            end = changes.end or start + duration
        elif changes.end is not None:
            end = changes.end
        if changes.start is not None or changes.end is not None:
            _check_times(start, end, now or datetime.now(zone))
        edited = replace(
            event,
            start_at=_ms(start),
            end_at=_ms(end),
            timezone=_zone_name(start),
        )
        if changes.title is not None:
            edited = replace(edited, title=_clean_title(changes.title))
        if changes.description is not None:
            edited = replace(edited, description=_clean_description(changes.description))
        if changes.kind is not None:
            edited = replace(edited, kind=_parse_kind(changes.kind))
        if changes.visibility is not None:
            edited = replace(edited, visibility=_parse_visibility(changes.visibility))
        if changes.place is not None:
            place = changes.place
            edited = replace(
                edited,
                place=place.text.strip(),
                commune=place.commune,
                postcode=place.postcode,
                latitude=place.latitude,
                longitude=place.longitude,
                precision=place.precision,
            )
        if changes.clear_capacity:
            edited = replace(edited, capacity=None)
        elif changes.capacity is not None:
            capacity = _check_capacity(changes.capacity)
            taken = await locked.seats_taken()
            if capacity is not None and capacity < taken:
                raise EventError(CAPACITY_BELOW_TAKEN, capacity=capacity, taken=taken)
            edited = replace(edited, capacity=capacity)
        return edited

    async def cancel_event(self, event_id: str, actor: str) -> tuple[Event, list[str]]:
        """Cancel an event (organisers only); it is kept with the status ``cancelled``.

        Returns:
            The event, and the people who were going (to be told).

        Raises:
            EventError: ``event.not_found``, ``event.organizers_only``, ``event.cancelled``.
        """
        async with self._locked(event_id) as locked:
            await self._check_organizer(locked.event.team_id, actor)
            if locked.event.status is EventStatus.CANCELLED:
                raise EventError(CANCELLED, event=locked.event.id)
            cancelled = await locked.save(
                replace(locked.event, status=EventStatus.CANCELLED), announce="cancelled"
            )
            await self.reminders.event_cancelled(locked.conn, cancelled)
        going = [rsvp.user_id for rsvp in await self.events.rsvps(cancelled.id) if rsvp.going]
        return cancelled, going

    async def rsvp(
        self,
        event_id: str,
        user_id: str,
        *,
        going: bool,
        guests: int = 0,
        now: datetime | None = None,
        reaction_id: str | None = None,
    ) -> RsvpOutcome:
        """Record that ``user_id`` goes (with ``guests``) or does not go.

        Raises:
            EventError: ``event.not_found``, ``event.cancelled``, ``event.over``,
                ``event.members_only``, ``event.guests.invalid``, ``event.full`` (with
                ``capacity`` and ``left``, the seats still free).
        """
        if not 0 <= guests <= MAX_GUESTS:
            raise EventError(GUESTS_INVALID, max=MAX_GUESTS)
        moment = _ms(now or datetime.now().astimezone())
        async with self._locked(event_id) as locked:
            event = locked.event
            if event.status is EventStatus.CANCELLED:
                raise EventError(CANCELLED, event=event.id)
            if event.end_at <= moment:
                raise EventError(OVER, event=event.id)
            if (
                event.visibility is Visibility.MEMBERS
                and await self.teams.role_of(event.team_id, user_id) is None
            ):
                raise EventError(MEMBERS_ONLY, event=event.id)
            previous = await locked.rsvp_of(user_id)
            others = await locked.seats_taken(except_user=user_id)
            seats = 1 + guests if going else 0
            if event.capacity is not None and going and others + seats > event.capacity:
                free = max(event.capacity - others, 0)
                raise EventError(FULL, event=event.id, capacity=event.capacity, left=free)
            rsvp = await locked.set_rsvp(user_id, going, guests if going else 0, reaction_id)
            await self.reminders.rsvp_changed(locked.conn, event, user_id, going=going, now=moment)
            before = None if previous is None else (previous.going, previous.guests)
            changed = before != (rsvp.going, rsvp.guests)
            left = None if event.capacity is None else event.capacity - others - seats
            return RsvpOutcome(rsvp, changed, left)

    async def withdraw_reaction(
        self, reaction_id: str, *, now: datetime | None = None
    ) -> RsvpOutcome | None:
        """A ✅ reaction was removed: the answer it made becomes "not going".

        Returns None when the reaction made no answer (or a later command replaced it).
        """
        rsvp = await self.events.rsvp_by_reaction(reaction_id)
        if rsvp is None or not rsvp.going:
            return None
        return await self.rsvp(rsvp.event_id, rsvp.user_id, going=False, now=now)

    async def event_of_announcement(self, message_id: str) -> Event | None:
        """The event a message announces (to RSVP by reacting to it)."""
        return await self.events.by_announcement(message_id)

    @asynccontextmanager
    async def _locked(self, event_id: str) -> AsyncIterator[LockedEvent]:
        """The event, locked until the block ends; ``event.not_found`` for an unknown id."""
        async with self.events.locked(normalise_event_id(event_id)) as locked:
            if locked is None:
                raise EventError(NOT_FOUND, event=event_id.strip())
            yield locked

    async def check_organizer(self, team_id: str, actor: str) -> None:
        """Refuse early, before reading a long command, someone who may not organise.

        Raises:
            EventError: ``event.organizers_only``. TeamError: ``team.not_found``,
                ``team.archived``.
        """
        await self._check_organizer(team_id, actor)

    async def attendees(self, event_id: str, actor: str) -> tuple[Event, list[Rsvp]]:
        """Who is going to an event, in the order they answered: for its organisers only (the
        team's managers and referents), since it names people.

        Raises:
            EventError: ``event.not_found``, ``event.organizers_only``.
            TeamError: ``team.not_found``, ``team.archived``.
        """
        event = await self.get_event(event_id)
        await self._check_organizer(event.team_id, actor)
        going = [rsvp for rsvp in await self.events.rsvps(event.id) if rsvp.going]
        return event, going
