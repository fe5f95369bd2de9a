"""What a team looks like in a room: its card and its members, as plain text and HTML.

People are shown by display name and Matrix ID, never by anything else the campaign knows of them
(their email stays in the database). Display names are chosen by their owners: they are cleaned
and escaped, and one that looks like an email address is not shown.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from html import escape
from zoneinfo import ZoneInfo

from bridge.db.teams import Member, Team
from bridge.domain.roles import Role
from ralliement.geo.gazetteer import gazetteer

from .commands import Reply
from .i18n import Language, format_date, kind_name, role_name, translate

#: How many members ``!membres`` lists; the others are counted.
MAX_LISTED = 100
NAME_MAX = 60
_EMAIL = re.compile(r"[^\s@]+@[^\s@]+\.[^\s@]+")
_ROLE_ORDER = (Role.REFERENT, Role.MANAGER, Role.MEMBER)


def display_name(user_id: str, names: Mapping[str, str]) -> str | None:
    """The name to show for ``user_id``, or None when it has none worth showing."""
    name = " ".join("".join(c for c in names.get(user_id, "") if c.isprintable()).split())
    if not name or name == user_id or _EMAIL.search(name):
        return None
    return name if len(name) <= NAME_MAX else name[: NAME_MAX - 1] + "…"


def person(user_id: str, names: Mapping[str, str]) -> tuple[str, str]:
    """ "Alice (@alice:example.org)", as plain text and as HTML."""
    name = display_name(user_id, names)
    if name is None:
        return user_id, f"<code>{escape(user_id)}</code>"
    return f"{name} ({user_id})", f"<b>{escape(name)}</b> (<code>{escape(user_id)}</code>)"


def team_card(
    team: Team,
    members: Sequence[Member],
    names: Mapping[str, str],
    zone: ZoneInfo,
    language: Language,
) -> Reply:
    """``!equipe``: name, kind, commune and département, members, referents and managers,
    creation date."""
    title = translate(
        "team.card.title", language, name=team.name, kind=kind_name(team.kind.value, language)
    )
    lines: list[tuple[str, str]] = []  # (plain, html)
    if team.commune:
        place = translate(
            "team.card.place",
            language,
            commune=team.commune,
            postcode=team.postcode or "",
            departement=_departement(team.departement),
        )
        lines.append((place, escape(place)))
    count = translate("team.card.members", language, count=len(members))
    lines.append((count, escape(count)))
    for role in (Role.REFERENT, Role.MANAGER):
        people = [person(m.user_id, names) for m in members if m.role is role]
        heading = role_name(role, language, plural=True)
        if people:
            plain = ", ".join(p for p, _ in people)
            html = ", ".join(h for _, h in people)
        else:
            plain = html = translate("team.card.nobody", language)
        line = translate("team.card.role", language, role=heading, people=plain)
        line_html = translate("team.card.role", language, role=escape(heading), people=html)
        lines.append((line, line_html))
    created = translate(
        "team.card.created", language, date=format_date(team.created_at, zone, language)
    )
    lines.append((created, escape(created)))
    if team.archived_at is not None:
        archived = translate(
            "team.card.archived", language, date=format_date(team.archived_at, zone, language)
        )
        lines.append((archived, escape(archived)))
    body = "\n".join([title, *(plain for plain, _ in lines)])
    html = f"<p><b>{escape(title)}</b><br>" + "<br>".join(h for _, h in lines) + "</p>"
    return Reply(body, html)


def member_list(
    team: Team, members: Sequence[Member], names: Mapping[str, str], language: Language
) -> Reply:
    """``!membres``: the members grouped by role, referents first, at most :data:`MAX_LISTED`."""
    title = translate("team.members.title", language, name=team.name, count=len(members))
    body, html = [title], [f"<p><b>{escape(title)}</b></p>"]
    listed = 0
    for role in _ROLE_ORDER:
        group = [m for m in members if m.role is role]
        shown = group[: max(0, MAX_LISTED - listed)]
        listed += len(shown)
        if not shown:
            continue
        heading = f"{role_name(role, language, plural=True)} ({len(group)})"
        people = [person(m.user_id, names) for m in shown]
        body.append(heading)
        body.extend(f"• {plain}" for plain, _ in people)
        html.append(f"<p>{escape(heading)}</p><ul>")
        html.extend(f"<li>{h}</li>" for _, h in people)
        html.append("</ul>")
    if len(members) > listed:
        more = translate("team.members.more", language, count=len(members) - listed)
        body.append(more)
        html.append(f"<p>{escape(more)}</p>")
    return Reply("\n".join(body), "".join(html))


def _departement(code: str | None) -> str:
    """ "Rhône (69)"; the code alone when the gazetteer does not know it."""
    if not code:
        return ""
    name = gazetteer().departement_name(code)
    return f"{name} ({code})" if name else code
