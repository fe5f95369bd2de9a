"""The feeds' endpoints: read the team and its events, check the token, answer an ``.ics`` file
(or 304 when the calendar app already has it).

No authentication header: calendar apps only fetch URLs. Members-only events are behind the
team's secret token in the URL; a wrong token answers the same 404 as an unknown team, so the
answer reveals nothing.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from aiohttp import web

from bridge.db.events import EventRepository, Visibility
from bridge.db.teams import Team, TeamRepository
from bridge.domain.events import normalise_event_id

from .ics import KEEP, event_calendar, team_calendar

CONTENT_TYPE = "text/calendar"
NOT_FOUND = "No such calendar.\n"
#: Calendar apps poll; a short cache lets a proxy absorb bursts without hiding edits for long.
MAX_AGE = 300


@dataclass(frozen=True)
class Feed:
    """An answer before conditions are checked: the file, its date, who may cache it."""

    body: bytes
    modified_ms: int
    private: bool


def token_matches(team: Team, token: str | None) -> bool:
    """Whether ``token`` is the team's calendar token, compared in constant time."""
    if not token or not team.calendar_token:
        return False
    return hmac.compare_digest(token.encode(), team.calendar_token.encode())


def not_found() -> web.Response:
    return web.Response(status=404, text=NOT_FOUND, headers={"Cache-Control": "no-store"})


def respond(request: web.Request, feed: Feed, now_ms: int) -> web.Response:
    """200 with the file, or 304 when the app's copy is current (``If-None-Match`` first, as
    RFC 9110 §13.2.2 says, else ``If-Modified-Since``).

    A date within a second of ``now_ms`` is not trusted (RFC 9110 §8.8.2.2): another change in
    the same second would carry the same date.
    """
    etag = hashlib.sha256(feed.body).hexdigest()[:32]
    modified = datetime.fromtimestamp(feed.modified_ms // 1000, UTC)
    headers = {
        "Cache-Control": f"{'private' if feed.private else 'public'}, max-age={MAX_AGE}",
        "ETag": f'"{etag}"',
        "Last-Modified": modified.strftime("%a, %d %b %Y %H:%M:%S GMT"),
    }
    if feed.private:
        headers["X-Robots-Tag"] = "noindex"
        headers["Referrer-Policy"] = "no-referrer"
    if _not_modified(request, etag, modified, trust_date=feed.modified_ms < now_ms - 1000):
        return web.Response(status=304, headers=headers)
    response = web.Response(body=feed.body, headers=headers)
    response.content_type = CONTENT_TYPE
    response.charset = "utf-8"
    response.headers["Content-Disposition"] = 'inline; filename="calendar.ics"'
    return response


def _not_modified(request: web.Request, etag: str, modified: datetime, *, trust_date: bool) -> bool:
    candidates = request.if_none_match
    if candidates is not None:
        return any(tag.value in (etag, "*") for tag in candidates)
    since = request.if_modified_since
    return trust_date and since is not None and modified <= since


class CalendarFeeds:
    """The endpoints, bound to the repositories.

    Args:
        teams: the teams (and their tokens).
        events: the events.
        domain: the homeserver's domain, for UIDs and room links.
        timezone: the feeds' default zone (``locale.timezone``).
        clock: the current time in milliseconds (tests move it).
    """

    def __init__(
        self,
        teams: TeamRepository,
        events: EventRepository,
        *,
        domain: str,
        timezone: str,
        clock: Callable[[], int],
    ) -> None:
        self.teams = teams
        self.events = events
        self.domain = domain
        self.timezone = timezone
        self.clock = clock

    def routes(self) -> list[web.RouteDef]:
        return [
            web.get("/teams/{team_id}.ics", self.public_team_feed),
            web.get("/teams/{team_id}/{token}.ics", self.private_team_feed),
            web.get("/events/{event_id}.ics", self.event_feed),
        ]

    async def public_team_feed(self, request: web.Request) -> web.Response:
        team = await self.teams.get(request.match_info["team_id"])
        if team is None:
            return not_found()
        return respond(request, await self._team_feed(team, private=False), self.clock())

    async def private_team_feed(self, request: web.Request) -> web.Response:
        team = await self.teams.get(request.match_info["team_id"])
        if team is None or not token_matches(team, request.match_info["token"]):
            return not_found()
        return respond(request, await self._team_feed(team, private=True), self.clock())

    async def event_feed(self, request: web.Request) -> web.Response:
        event = await self.events.get(normalise_event_id(request.match_info["event_id"]))
        team = None if event is None else await self.teams.get(event.team_id)
        if event is None or team is None:
            return not_found()
        private = token_matches(team, request.query.get("token"))
        if event.visibility is not Visibility.PUBLIC and not private:
            return not_found()
        body = event_calendar(
            team, event, domain=self.domain, timezone=self.timezone, private=private
        )
        return respond(request, Feed(body, event.updated_at, private), self.clock())

    async def _team_feed(self, team: Team, *, private: bool) -> Feed:
        now = self.clock()
        recent = await self.events.of_team(
            team.id, ending_after=now - int(KEEP.total_seconds() * 1000)
        )
        body = team_calendar(
            team, recent, domain=self.domain, timezone=self.timezone, private=private, now_ms=now
        )
        # The newest change among all the team's recent events, whatever their visibility: an
        # event turned members-only must move the public feed's date too, or an app asking
        # If-Modified-Since would keep showing it. This tells a time, not what changed.
        modified = max((event.updated_at for event in recent), default=team.created_at)
        return Feed(body, max(modified, team.created_at), private)
