"""The URLs of the calendar feeds, as people receive them (the agenda bot's ``!agenda``).

The feeds are served by the appservice's web server under :data:`CALENDAR_PREFIX`; the links use
the public base URL of that server (``appservice.public_url``, else ``appservice.address``).
"""

from __future__ import annotations

from urllib.parse import quote, urlencode

from ralliement.config_schema import AppserviceConfig

#: Where the appservice mounts the calendar feeds on its web server.
CALENDAR_PREFIX = "/_ralliement/calendar"


def public_base_url(appservice: AppserviceConfig) -> str:
    """The base URL people's calendar apps reach the appservice at, without a trailing slash."""
    return (appservice.public_url or appservice.address).rstrip("/")


def _segment(value: str) -> str:
    return quote(value, safe="")


def team_feed_urls(base_url: str, team_id: str, token: str) -> tuple[str, str]:
    """The team's two feeds: the public one (public events only) and the private one.

    Args:
        base_url: :func:`public_base_url` of the configuration, e.g. ``https://as.example.org``.
        team_id: the team's id.
        token: the team's secret calendar token
            (:meth:`bridge.db.teams.TeamRepository.calendar_token`). Whoever has the private URL
            sees the members-only events and their exact places: show it to members only, in
            their encrypted room or a direct message.

    Returns:
        ``(public_url, private_url)``.
    """
    team = f"{base_url.rstrip('/')}{CALENDAR_PREFIX}/teams/{_segment(team_id)}"
    return f"{team}.ics", f"{team}/{_segment(token)}.ics"


def event_feed_url(base_url: str, event_id: str, token: str | None = None) -> str:
    """The one-event feed (to add a single event to a calendar).

    Args:
        base_url: as for :func:`team_feed_urls`.
        event_id: the event's id.
        token: the team's calendar token; needed for a members-only event, useless otherwise
            (leave it out for a public event, so the link can be shared).
    """
    url = f"{base_url.rstrip('/')}{CALENDAR_PREFIX}/events/{_segment(event_id)}.ics"
    return f"{url}?{urlencode({'token': token})}" if token else url


def webcal_url(url: str) -> str:
    """The ``webcal://`` form of an https/http feed URL, which calendar apps open as a
    subscription (Apple Calendar, Thunderbird; Google Calendar wants the https URL pasted)."""
    for scheme in ("https://", "http://"):
        if url.startswith(scheme):
            return "webcal://" + url.removeprefix(scheme)
    return url
