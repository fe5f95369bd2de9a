"""What events look like in a team room: confirmations, the agenda, the attendees, as plain text
and HTML.

These replies are read in the team's own room, by its members: the exact place is shown, even for
a members-only event (room state only ever carries its commune). Announcements are not made here
(see :mod:`bots.announcements`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from html import escape
from zoneinfo import ZoneInfo

from bridge.db.events import Event, EventKind, EventStatus, Rsvp, Visibility
from bridge.db.teams import Team
from bridge.domain.events import RsvpOutcome

from .commands import Reply
from .i18n import Language, event_kind_name, format_moment, translate, translate_count
from .team_views import person

#: How many events ``!agenda`` lists; the others are counted.
MAX_LISTED = 20

Line = tuple[str, str]  # (plain, html)


@dataclass(frozen=True)
class AgendaEntry:
    event: Event
    #: Seats taken: the people going and their guests.
    taken: int


def _text(line: str) -> Line:
    return line, escape(line)


def _reply(title: str, lines: Sequence[Line]) -> Reply:
    body = "\n".join([title, *(plain for plain, _ in lines)])
    html = f"<p><b>{escape(title)}</b>" + "".join(f"<br>{h}" for _, h in lines) + "</p>"
    return Reply(body, html)


def event_start(event: Event) -> datetime:
    """When the event starts, in its own time zone."""
    return datetime.fromtimestamp(event.start_at / 1000, ZoneInfo(event.timezone))


def when_text(event: Event, zone: ZoneInfo, language: Language, now: datetime) -> str:
    """ "sam. 21 nov. de 10h00 à 12h00" (the year only when it is not this one)."""
    return format_moment(event.start_at, event.end_at, zone, language, this_year=now.year)


def event_details(event: Event, zone: ZoneInfo, language: Language, now: datetime) -> list[Line]:
    """When, where, seats, who may come, description: one line each, those that apply."""
    lines = [
        _text(translate("event.detail.when", language, when=when_text(event, zone, language, now))),
        _text(translate("event.detail.place", language, place=event.place)),
    ]
    if event.capacity is not None:
        lines.append(_text(translate("event.detail.capacity", language, capacity=event.capacity)))
    if event.visibility is Visibility.MEMBERS:
        lines.append(_text(translate("event.detail.members_only", language)))
    if event.description:
        description = translate("event.detail.description", language, description="{d}")
        plain = description.replace("{d}", event.description)
        html = escape(description).replace("{d}", escape(event.description).replace("\n", "<br>"))
        lines.append((plain, html))
    return lines


def created(event: Event, zone: ZoneInfo, language: Language, now: datetime) -> Reply:
    """The confirmation of a new event: its id first, then its details and what to do next."""
    title = translate(f"event.created.{event.kind.value}", language, title=event.title, id=event.id)
    next_steps = _text(translate("event.created.next", language, id=event.id))
    return _reply(title, [*event_details(event, zone, language, now), next_steps])


def edited(event: Event, zone: ZoneInfo, language: Language, now: datetime) -> Reply:
    title = translate("event.edited", language, title=event.title, id=event.id)
    return _reply(title, event_details(event, zone, language, now))


def cancelled(event: Event, going: int, language: Language) -> Reply:
    title = translate("event.cancel.done", language, title=event.title, id=event.id)
    return _reply(title, [_text(translate_count("event.cancel.going", going, language))])


def rsvp_answer(
    event: Event, outcome: RsvpOutcome, zone: ZoneInfo, language: Language, now: datetime
) -> Reply:
    """What ``!jyvais`` and ``!jnypluspas`` answer: what is noted, and the seats left."""
    when = when_text(event, zone, language, now)
    rsvp = outcome.rsvp
    if not rsvp.going:
        key = "event.rsvp.not_going" if outcome.changed else "event.rsvp.not_going_already"
        return Reply(translate(key, language, title=event.title))
    if not outcome.changed:
        sentence = translate("event.rsvp.already", language, title=event.title, when=when)
    elif rsvp.guests:
        sentence = translate_count(
            "event.rsvp.going_with", rsvp.guests, language, title=event.title, when=when
        )
    else:
        sentence = translate("event.rsvp.going", language, title=event.title, when=when)
    if outcome.seats_left is not None:
        sentence += " " + translate_count("event.rsvp.left", max(outcome.seats_left, 0), language)
    return Reply(sentence)


def agenda(
    team: Team,
    entries: Sequence[AgendaEntry],
    feeds: tuple[str, str] | None,
    zone: ZoneInfo,
    language: Language,
    now: datetime,
) -> Reply:
    """``!agenda``: the coming events, soonest first, at most :data:`MAX_LISTED`, then the links
    of the team's calendar feeds (public, then members-only) when there are some."""
    title = translate("event.agenda.title", language, team=team.name)
    body, html = [title], [f"<p><b>{escape(title)}</b></p>"]
    if not entries:
        empty = translate("event.agenda.empty", language)
        body.append(empty)
        html.append(f"<p>{escape(empty)}</p>")
    else:
        lines = [_agenda_line(entry, zone, language, now) for entry in entries[:MAX_LISTED]]
        body.extend(plain for plain, _ in lines)
        html.append("<ul>" + "".join(f"<li>{h}</li>" for _, h in lines) + "</ul>")
    if len(entries) > MAX_LISTED:
        more = translate("event.agenda.more", language, count=len(entries) - MAX_LISTED)
        body.append(more)
        html.append(f"<p>{escape(more)}</p>")
    if feeds is not None:
        for key, url in zip(("event.agenda.feed", "event.agenda.feed_private"), feeds, strict=True):
            body.append(translate(key, language, url=url))
            link = f'<a href="{escape(url)}">{escape(url)}</a>'
            html.append(
                f"<p>{escape(translate(key, language, url='{url}')).replace('{url}', link)}</p>"
            )
    return Reply("\n".join(body), "".join(html))


def _agenda_line(entry: AgendaEntry, zone: ZoneInfo, language: Language, now: datetime) -> Line:
    """ "k3f9q2 — Tractage au marché — sam. 21 nov. à 10h00 — Marché… — 3/20 places prises" """
    event = entry.event
    when = format_moment(event.start_at, None, zone, language, this_year=now.year)
    title = event.title
    if event.kind is not EventKind.ACTION:
        title += f" ({event_kind_name(event.kind.value, language)})"
    if event.visibility is Visibility.MEMBERS:
        title = f"🔒 {title}"
    if event.status is EventStatus.CANCELLED:
        mark = "❌ " + translate("event.agenda.cancelled", language)
        plain = f"• {event.id} — {mark} — {title} — {when}"
        html = (
            f"<code>{event.id}</code> — {escape(mark)} — "
            f"<del><b>{escape(title)}</b> — {escape(when)}</del>"
        )
        return plain, html
    if event.capacity is not None:
        seats = translate(
            "event.agenda.seats", language, taken=entry.taken, capacity=event.capacity
        )
    else:
        seats = translate_count("event.agenda.going", entry.taken, language)
    parts = [when, event.place, seats]
    plain = f"• {event.id} — {title} — " + " — ".join(parts)
    html = f"<code>{event.id}</code> — <b>{escape(title)}</b> — " + " — ".join(
        escape(part) for part in parts
    )
    return plain, html


def attendees(
    event: Event, going: Sequence[Rsvp], names: Mapping[str, str], language: Language
) -> Reply:
    """``!participants``: who is going, with their guests, then the count (and the capacity)."""
    title = translate("event.participants.title", language, title=event.title, id=event.id)
    lines: list[Line] = []
    for rsvp in going:
        plain, html = person(rsvp.user_id, names)
        extra = f" +{rsvp.guests}" if rsvp.guests else ""
        lines.append((f"• {plain}{extra}", f"• {html}{extra}"))
    if not going:
        lines.append(_text(translate("event.participants.nobody", language)))
    seats = sum(rsvp.seats for rsvp in going)
    if event.capacity is not None:
        count = translate(
            "event.participants.capacity",
            language,
            people=len(going),
            seats=seats,
            capacity=event.capacity,
        )
    else:
        count = translate("event.participants.count", language, people=len(going), seats=seats)
    lines.append(_text(count))
    return _reply(title, lines)
