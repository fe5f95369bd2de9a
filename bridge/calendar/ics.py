"""Events as iCalendar (RFC 5545): pure functions from the database's rows to a VCALENDAR.

Times are written in the event's own time zone (``DTSTART;TZID=Europe/Paris:20270328T100000``)
with a VTIMEZONE for each zone used: Google Calendar, Apple Calendar and Thunderbird read the IANA
name and apply their own DST rules; the VTIMEZONE is the fallback for the others. A UTC time
would be right too, but shows in the viewer's zone and loses "10:00 in Paris" for people away.

Who may see what (the same rule as room state, :func:`bridge.rooms.state.event_location`):
a public feed holds public events only; members-only events, with their exact place, only go
into the private feeds reached with the team's secret token.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, timedelta
from urllib.parse import quote
from zoneinfo import ZoneInfo

from icalendar import Calendar, vDuration
from icalendar import Event as VEvent

from bridge.db.events import Event, EventStatus, Visibility
from bridge.db.teams import Team

PRODID = "-//Ralliement//FR"
#: How long a cancelled event stays in the team feeds (so that calendars that poll remove it),
#: and how long a past event stays.
KEEP = timedelta(days=30)
#: How often calendar apps should poll (REFRESH-INTERVAL, X-PUBLISHED-TTL).
REFRESH = timedelta(hours=1)


def _moment(epoch_ms: int, timezone: str) -> datetime:
    return datetime.fromtimestamp(epoch_ms / 1000, UTC).astimezone(ZoneInfo(timezone))


def _utc(epoch_ms: int) -> datetime:
    return datetime.fromtimestamp(epoch_ms // 1000, UTC)


def feed_events(events: Iterable[Event], *, now_ms: int, private: bool) -> list[Event]:
    """The events a team feed lists, in the order given.

    Args:
        events: the team's events (cancelled ones too).
        now_ms: the current time.
        private: the feed was reached with the team's token (members-only events too).

    Past events stay :data:`KEEP` after their end; cancelled ones :data:`KEEP` after they were
    cancelled (their last change), so that calendars see the ``STATUS:CANCELLED``, then drop.
    """
    horizon = now_ms - int(KEEP.total_seconds() * 1000)
    return [
        event
        for event in events
        if event.end_at > horizon
        and (private or event.visibility is Visibility.PUBLIC)
        and (event.status is not EventStatus.CANCELLED or event.updated_at > horizon)
    ]


def room_url(room_id: str, domain: str) -> str:
    """A matrix.to link to a room (room IDs of version 12 name no server: ``via`` does)."""
    return f"https://matrix.to/#/{quote(room_id, safe='!')}?via={quote(domain, safe='')}"


def event_component(event: Event, team: Team, *, domain: str) -> VEvent:
    """The VEVENT of ``event``, with its exact place: the caller decides who may see it.

    The UID is ``<event id>@<domain>`` and SEQUENCE the event's, so an edit or a cancellation
    replaces the copy people imported.
    """
    component = VEvent()
    component.add("uid", f"{event.id}@{domain}")
    component.add("sequence", event.sequence)
    component.add("dtstamp", _utc(event.updated_at))
    component.add("created", _utc(event.created_at))
    component.add("last-modified", _utc(event.updated_at))
    component.add("dtstart", _moment(event.start_at, event.timezone))
    component.add("dtend", _moment(event.end_at, event.timezone))
    component.add("summary", event.title)
    if event.description:
        component.add("description", event.description)
    if event.place:
        component.add("location", event.place)
    if event.latitude is not None and event.longitude is not None:
        component.add("geo", (event.latitude, event.longitude))
    cancelled = event.status is EventStatus.CANCELLED
    component.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    if team.room_id:
        component.add("url", room_url(team.room_id, domain))
    component.add("categories", [event.kind.value])
    return component


def _calendar(team: Team, *, domain: str, timezone: str, uid: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("uid", f"{uid}@{domain}")
    calendar.add("name", team.name)
    calendar.add("x-wr-calname", team.name)
    calendar.add("x-wr-timezone", timezone)
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(REFRESH).to_ical().decode())
    return calendar


def _finish(calendar: Calendar, events: Sequence[Event]) -> bytes:
    """Add the VTIMEZONEs the events use, over the years they span (deterministic, so the
    same events always give the same bytes and ETag), and serialise."""
    if events:
        first = min(event.start_at for event in events)
        last = max(event.end_at for event in events)
        calendar.add_missing_timezones(
            first_date=date(_utc(first).year - 1, 1, 1),
            last_date=date(_utc(last).year + 2, 1, 1),
        )
    return bytes(calendar.to_ical())


def team_calendar(
    team: Team,
    events: Iterable[Event],
    *,
    domain: str,
    timezone: str,
    private: bool,
    now_ms: int,
) -> bytes:
    """A team's feed: its events chosen by :func:`feed_events`, as an ``.ics`` file.

    Args:
        team: the team (its name names the calendar).
        events: the team's events, soonest first.
        domain: the homeserver's domain (event UIDs, room links).
        timezone: the calendar's default zone (X-WR-TIMEZONE), e.g. ``Europe/Paris``.
        private: members-only events too (the team's token was given).
        now_ms: the current time.
    """
    suffix = "private" if private else "public"
    calendar = _calendar(team, domain=domain, timezone=timezone, uid=f"team-{team.id}-{suffix}")
    listed = feed_events(events, now_ms=now_ms, private=private)
    for event in listed:
        calendar.add_component(event_component(event, team, domain=domain))
    return _finish(calendar, listed)


def event_calendar(team: Team, event: Event, *, domain: str, timezone: str, private: bool) -> bytes:
    """A one-event feed (whatever the event's age or status).

    Raises:
        ValueError: a members-only event without ``private``: it must not be served.
    """
    if event.visibility is not Visibility.PUBLIC and not private:
        raise ValueError(f"event {event.id} is for members only")
    calendar = _calendar(team, domain=domain, timezone=timezone, uid=f"event-{event.id}")
    calendar.add_component(event_component(event, team, domain=domain))
    return _finish(calendar, [event])
