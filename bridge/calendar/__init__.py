"""Calendar feeds (iCalendar) of the teams and their events, served by the appservice's web
server: a public feed per team, a private one behind the team's secret token, one per event.
:mod:`.links` builds the URLs people are given."""

from __future__ import annotations

from .app import calendar_app
from .links import CALENDAR_PREFIX, event_feed_url, public_base_url, team_feed_urls, webcal_url

__all__ = [
    "CALENDAR_PREFIX",
    "calendar_app",
    "event_feed_url",
    "public_base_url",
    "team_feed_urls",
    "webcal_url",
]
