"""What discovery looks like: a page of events or teams near a place (one compact message, an
HTML list and a plain body), and an alert about a new event.

Dates are the event views' (:func:`bots.event_views.when_text`), in the configured time zone;
distances are written "2,4 km" in French and "2.4 km" in English (whole kilometres from 10 km).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from html import escape
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from bridge.db.events import Event, EventKind, Visibility
from bridge.db.teams import Team

from .announcements import event_message
from .commands import Reply
from .event_views import when_text
from .i18n import Language, event_kind_name, translate, translate_count

Line = tuple[str, str]  # (plain, html)


class FoundEvent(Protocol):
    """An event near the searched point (``bridge.domain.discovery.NearEvent``)."""

    @property
    def event(self) -> Event: ...
    @property
    def distance_km(self) -> float: ...
    @property
    def team(self) -> Team: ...


class FoundTeam(Protocol):
    """A team near the searched point (``bridge.domain.discovery.NearTeam``)."""

    @property
    def team(self) -> Team: ...
    @property
    def distance_km(self) -> float: ...
    @property
    def members(self) -> int: ...


def distance_text(km: float, language: Language) -> str:
    """ "2,4 km" (French), "2.4 km" (English); "12 km" from 10 km on."""
    number = f"{km:.1f}" if km < 10 else f"{km:.0f}"
    if language != "en":
        number = number.replace(".", ",")
    return f"{number} km"


def _event_title(event: Event, language: Language) -> str:
    title = event.title
    if event.kind is not EventKind.ACTION:
        title += f" ({event_kind_name(event.kind.value, language)})"
    if event.visibility is Visibility.MEMBERS:
        title = f"🔒 {title}"
    return title


def _page(
    title: str, lines: Sequence[Line], first: int, footer: Sequence[str], empty: str | None
) -> Reply:
    """A title, a numbered list starting at ``first`` (or ``empty``), then footer sentences."""
    body = [title]
    html = [f"<p><b>{escape(title)}</b></p>"]
    if not lines and empty is not None:
        body.append(empty)
        html.append(f"<p>{escape(empty)}</p>")
    if lines:
        body.extend(f"{number}. {plain}" for number, (plain, _) in enumerate(lines, start=first))
        start = f' start="{first}"' if first != 1 else ""
        html.append(f"<ol{start}>" + "".join(f"<li>{h}</li>" for _, h in lines) + "</ol>")
    for sentence in footer:
        body.append(sentence)
        html.append(f"<p>{escape(sentence)}</p>")
    return Reply("\n".join(body), "".join(html))


def events_page(
    found: Sequence[FoundEvent],
    *,
    place: str,
    radius_km: int,
    first: int,
    more: bool,
    team_room: bool,
    zone: ZoneInfo,
    language: Language,
    now: datetime,
) -> Reply:
    """A page of events near ``place``: "1. Tractage — sam. 21 nov. de 10h00 à 12h00 — 2,4 km —
    Insoumis de la Croix-Rousse — !jyvais k3f9q2".

    Args:
        first: the number of the first line (1, then 6 for the next page...).
        more: whether a next page exists (``!plus``).
        team_room: the page is read in a team room (RSVPs to other teams go to a DM).
    """
    key = "search.events.title" if first == 1 else "search.events.title_more"
    title = translate(key, language, radius=radius_km, place=place)
    lines = []
    for item in found:
        event = item.event
        parts = [
            when_text(event, zone, language, now),
            distance_text(item.distance_km, language),
            item.team.name,
        ]
        rsvp = translate("search.events.rsvp_command", language, id=event.id)
        name = _event_title(event, language)
        plain = " — ".join([name, *parts, rsvp])
        html = " — ".join(
            [f"<b>{escape(name)}</b>", *(escape(p) for p in parts), f"<code>{escape(rsvp)}</code>"]
        )
        lines.append((plain, html))
    footer = []
    if lines:
        footer.append(
            translate(
                "search.events.rsvp_team_room" if team_room else "search.events.rsvp", language
            )
        )
    if more:
        footer.append(translate("search.more", language))
    empty = None
    if first == 1:
        empty = translate("search.events.none", language, radius=radius_km, place=place)
    return _page(title, lines, first, footer, empty)


def teams_page(
    found: Sequence[FoundTeam],
    *,
    place: str,
    radius_km: int,
    first: int,
    more: bool,
    language: Language,
) -> Reply:
    """A page of teams near ``place``: "1. Insoumis de la Croix-Rousse — Lyon 4e
    Arrondissement — 2,4 km — 12 membres"."""
    key = "search.teams.title" if first == 1 else "search.teams.title_more"
    title = translate(key, language, radius=radius_km, place=place)
    lines = []
    for item in found:
        parts = [
            item.team.commune or "",
            distance_text(item.distance_km, language),
            translate_count("search.teams.members", item.members, language),
        ]
        parts = [part for part in parts if part]
        plain = " — ".join([item.team.name, *parts])
        html = " — ".join([f"<b>{escape(item.team.name)}</b>", *(escape(p) for p in parts)])
        lines.append((plain, html))
    footer = [translate("search.teams.join", language)] if lines else []
    if more:
        footer.append(translate("search.more", language))
    empty = None
    if first == 1:
        empty = translate("search.teams.none", language, radius=radius_km, place=place)
    return _page(title, lines, first, footer, empty)


def alert_content(
    event: Event,
    team: Team,
    distance_km: float,
    zone: ZoneInfo,
    language: Language,
    now: datetime,
) -> dict[str, Any]:
    """The alert about a new event near someone's home: text, HTML, and its place as a location
    (``geo_uri`` and MSC3488), like an announcement."""
    lines = [
        translate(
            "alert.message.title",
            language,
            distance=distance_text(distance_km, language),
            title=_event_title(event, language),
        ),
        translate("announce.when", language, when=when_text(event, zone, language, now)),
    ]
    if event.place:
        lines.append(translate("announce.where", language, place=event.place))
    lines.append(translate("alert.message.team", language, team=team.name))
    lines.append(translate("alert.message.rsvp", language, id=event.id))
    return event_message(lines, event)
