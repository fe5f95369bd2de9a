"""Teams and supporters as admins see them: one JSON shape for the CLI's ``--json`` and the
provisioning API, and the same facts as text. Team members are Matrix IDs and roles only, never
an email address."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from bridge.db.supporters import Supporter
from bridge.db.teams import Member, Team

ROOM_PENDING = "pending (the appservice creates it: `ralliement bridge`)"


def team_json(team: Team, members: int | None = None) -> dict[str, Any]:
    """A team as JSON; times are milliseconds since the Unix epoch, as in Matrix."""
    data: dict[str, Any] = {
        "id": team.id,
        "name": team.name,
        "kind": team.kind.value,
        "description": team.description,
        "commune": team.commune,
        "postcode": team.postcode,
        "departement": team.departement,
        "latitude": team.latitude,
        "longitude": team.longitude,
        "room_id": team.room_id,
        "created_at": team.created_at,
        "archived": team.archived_at is not None,
        "archived_at": team.archived_at,
        "imported": team.source_key is not None,
    }
    if members is not None:
        data["members"] = members
    return data


def supporter_json(supporter: Supporter) -> dict[str, Any]:
    """A supporter as the door that sent it reads it back: the address as stored, never the
    linked Matrix account (only whether there is one) nor where the person said they act."""
    return {
        "email": supporter.email,
        "name": supporter.name,
        "postcode": supporter.postcode,
        "source": supporter.source.value,
        "linked": supporter.user_id is not None,
        "created_at": supporter.created_at,
        "updated_at": supporter.updated_at,
    }


def member_json(member: Member) -> dict[str, Any]:
    return {"user_id": member.user_id, "role": member.role.value, "joined_at": member.joined_at}


def card_json(team: Team, members: Sequence[Member]) -> dict[str, Any]:
    """A team with its members (what ``team show`` and ``GET /teams/{id}`` answer)."""
    return {
        "team": team_json(team, len(members)),
        "members": [member_json(member) for member in members],
    }


def when(ms: int | None) -> str:
    if ms is None:
        return "-"
    return datetime.fromtimestamp(ms / 1000, UTC).strftime("%Y-%m-%d %H:%M UTC")


def place_text(team: Team) -> str:
    """ "Villeurbanne (69100)", or "-" for a team with no place."""
    if team.commune and team.postcode:
        return f"{team.commune} ({team.postcode})"
    return team.commune or team.postcode or "-"


def table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """Columns aligned on the widest cell."""
    widths = [max(len(str(cell)) for cell in column) for column in zip(headers, *rows, strict=True)]
    lines = [
        "  ".join(str(cell).ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in (headers, *rows)
    ]
    return "\n".join(lines)


def teams_table(teams: Sequence[Team], counts: dict[str, int]) -> str:
    rows = [
        (
            team.id + (" [archived]" if team.archived_at is not None else ""),
            team.name,
            team.kind.value,
            place_text(team),
            team.departement or "-",
            str(counts.get(team.id, 0)),
            team.room_id or "pending",
        )
        for team in teams
    ]
    headers = ("ID", "NAME", "KIND", "COMMUNE (POSTCODE)", "DÉP.", "MEMBERS", "ROOM")
    return table(headers, rows)


def team_card(team: Team, members: Sequence[Member]) -> str:
    lines = [
        f"Team:        {team.name}",
        f"ID:          {team.id}",
        f"Kind:        {team.kind.value}",
        f"Place:       {place_text(team)}",
        f"Département: {team.departement or '-'}",
        f"Room:        {team.room_id or ROOM_PENDING}",
        f"Created:     {when(team.created_at)}" + (" (imported)" if team.source_key else ""),
    ]
    if team.archived_at is not None:
        lines.append(f"Archived:    {when(team.archived_at)}")
    if team.description:
        lines.append(f"Description: {team.description}")
    lines.append(f"Members ({len(members)}):")
    lines.append(
        table(
            ("  ROLE", "USER", "SINCE"),
            [(f"  {m.role.value}", m.user_id, when(m.joined_at)) for m in members],
        )
    )
    return "\n".join(lines)
