"""The calendar sub-application: public and token-protected ``.ics`` feeds of teams and events."""

from __future__ import annotations

from collections.abc import Callable

from aiohttp import web

from bridge.db.clock import now_ms
from bridge.db.events import EventRepository
from bridge.db.teams import TeamRepository

from .routes import CalendarFeeds


def calendar_app(
    teams: TeamRepository,
    events: EventRepository,
    domain: str,
    *,
    timezone: str = "Europe/Paris",
    clock: Callable[[], int] = now_ms,
) -> web.Application:
    """The feeds, to mount at :data:`~bridge.calendar.links.CALENDAR_PREFIX` with
    ``app.add_subapp(CALENDAR_PREFIX, ...)`` before the server starts.

    Serves ``GET /teams/{team_id}.ics`` (public events), ``GET /teams/{team_id}/{token}.ics``
    (all events, exact places) and ``GET /events/{event_id}.ics[?token=...]``. Build the links
    with :mod:`bridge.calendar.links`.

    Args:
        teams: the team repository on the appservice's database.
        events: the event repository on the same database.
        domain: the homeserver's domain (event UIDs ``<id>@<domain>``, room links).
        timezone: the feeds' default zone (``locale.timezone``).
        clock: the current time in milliseconds.
    """
    app = web.Application()
    feeds = CalendarFeeds(teams, events, domain=domain, timezone=timezone, clock=clock)
    app.add_routes(feeds.routes())
    return app
