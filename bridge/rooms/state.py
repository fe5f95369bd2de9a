"""What a team room and a space should contain: pure functions from the database's view.

Room state is a projection of the database. These functions say what each managed state event
should hold; :mod:`.projector` compares that with the room and sends only what differs.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from bridge.db.events import Event, Visibility
from bridge.db.teams import Member, Team
from bridge.domain.roles import Role

TEAM_STATE = "org.ralliement.team"
EVENT_STATE = "org.ralliement.event"
ROOM_VERSION = "12"
ENCRYPTION = {"algorithm": "m.megolm.v1.aes-sha2", "rotation_period_ms": 604_800_000}

#: Power level of the bots in team rooms: enough to post even if a room is made read-only for
#: members (events_default 50), not enough to touch roles.
BOT_POWER_LEVEL = 50
#: A muted member's level: below ``events_default`` (0), so they can no longer send messages.
MUTED_LEVEL = -1
#: Above every member: only the room's creator (the appservice, unlimited power in room version
#: 12) may send these, so the published projection and the room's links cannot be edited by hand.
APPSERVICE_ONLY = 150

MANAGED_EVENT_LEVELS: Mapping[str, int] = {
    "m.room.name": Role.MANAGER.power_level,
    "m.room.topic": Role.MANAGER.power_level,
    "m.room.avatar": Role.MANAGER.power_level,
    "m.room.pinned_events": Role.MANAGER.power_level,
    "m.room.power_levels": Role.REFERENT.power_level,
    "m.room.history_visibility": Role.REFERENT.power_level,
    "m.room.server_acl": Role.REFERENT.power_level,
    "m.room.encryption": APPSERVICE_ONLY,
    "m.room.join_rules": APPSERVICE_ONLY,
    "m.room.tombstone": APPSERVICE_ONLY,
    "m.space.parent": APPSERVICE_ONLY,
    TEAM_STATE: APPSERVICE_ONLY,
    EVENT_STATE: APPSERVICE_ONLY,
}

#: The defaults of the room (Matrix's usual ones, written out so drift is visible).
ROOM_LEVELS: Mapping[str, int] = {
    "users_default": 0,
    "events_default": 0,
    "state_default": Role.MANAGER.power_level,
    "invite": 0,
    "kick": Role.MANAGER.power_level,
    "ban": Role.MANAGER.power_level,
    "redact": Role.MANAGER.power_level,
}


def coarse_geo_uri(team: Team) -> str | None:
    """The team's place as a ``geo:`` URI rounded to about a kilometre (commune level)."""
    if team.latitude is None or team.longitude is None:
        return None
    return f"geo:{team.latitude:.2f},{team.longitude:.2f}"


def team_state(team: Team) -> dict[str, Any]:
    """Content of ``org.ralliement.team``: what any client may read about the team."""
    content: dict[str, Any] = {
        "id": team.id,
        "name": team.name,
        "kind": team.kind.value,
        "description": team.description,
        "commune": team.commune,
        "postcode": team.postcode,
        "departement": team.departement,
        "created_at": team.created_at,
    }
    if (uri := coarse_geo_uri(team)) is not None:
        content["location"] = {"name": team.commune, "uri": uri}
    if team.archived_at is not None:
        content["archived_at"] = team.archived_at
    return content


def topic(team: Team) -> str:
    where = f"{team.commune} ({team.postcode})" if team.commune else ""
    parts = [part for part in (team.description, where) if part]
    return " — ".join(parts) or team.name


def power_levels(
    members: Iterable[Member],
    bots: Iterable[str],
    current: Mapping[str, Any] | None = None,
    muted: Iterable[str] = (),
) -> dict[str, Any]:
    """The room's power levels: roles from the database, the bots, and our event levels.

    Levels of event types we do not manage are kept from ``current``; users who are not members
    lose any level they were given by hand. Muted users are at :data:`MUTED_LEVEL`, below
    ``events_default``: the homeserver refuses their messages. The creator is never listed
    (room version 12).
    """
    users = {member.user_id: member.role.power_level for member in members}
    users = {user_id: level for user_id, level in users.items() if level}
    users.update({bot: BOT_POWER_LEVEL for bot in bots})
    users.update({user_id: MUTED_LEVEL for user_id in muted if user_id not in bots})
    events = dict((current or {}).get("events") or {})
    events.update(MANAGED_EVENT_LEVELS)
    content: dict[str, Any] = dict(current or {})
    content.update(ROOM_LEVELS)
    content["users"] = dict(sorted(users.items()))
    content["events"] = dict(sorted(events.items()))
    return content


def join_rules(
    space_room_id: str | None, *, allow_knock: bool, archived: bool, locked: bool = False
) -> dict[str, Any]:
    """Members of the campaign space may join; others may knock when allowed; archived: invite.

    A room locked down (a join wave, a moderator's lock) lets nobody join by themselves: they
    knock when knocking is allowed, else they must be invited.
    """
    if archived or space_room_id is None:
        return {"join_rule": "invite"}
    if locked:
        return {"join_rule": "knock" if allow_knock else "invite"}
    return {
        "join_rule": "knock_restricted" if allow_knock else "restricted",
        "allow": [{"type": "m.room_membership", "room_id": space_room_id}],
    }


def space_link(domain: str) -> dict[str, Any]:
    """Content of an ``m.space.child`` / ``m.space.parent`` link (``via`` our server)."""
    return {"via": [domain]}


def parent_link(domain: str) -> dict[str, Any]:
    return {"via": [domain], "canonical": True}


def space_join_rules(parent_space_room_id: str | None, *, locked: bool = False) -> dict[str, Any]:
    """The join rule of a space: the root is invite-only; a département space is open to the
    root space's members, unless locked down (then invite-only too)."""
    if parent_space_room_id is None or locked:
        return {"join_rule": "invite"}
    return {
        "join_rule": "restricted",
        "allow": [{"type": "m.room_membership", "room_id": parent_space_room_id}],
    }


def space_power_levels(bots: Iterable[str]) -> dict[str, Any]:
    """Spaces are read-only for members: only the appservice (creator) and bots write there."""
    return {
        **ROOM_LEVELS,
        "events_default": 100,
        "state_default": 100,
        "users": {bot: BOT_POWER_LEVEL for bot in sorted(bots)},
        "events": {"m.space.child": APPSERVICE_ONLY, "m.room.join_rules": APPSERVICE_ONLY},
    }


def _moment(epoch_ms: int, timezone: str) -> dict[str, str]:
    """A time as the calendar MSC writes it: UTC instant, local wall time, IANA zone."""
    utc = datetime.fromtimestamp(epoch_ms / 1000, UTC)
    local = utc.astimezone(ZoneInfo(timezone))
    return {
        "utc": utc.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "localtime": local.strftime("%Y-%m-%dT%H:%M:%S"),
        "timezone": timezone,
    }


def event_location(event: Event) -> dict[str, Any] | None:
    """Where the event is, as room state may say it.

    A public event shows its place and coordinates; a members-only one only its commune, with
    coordinates rounded to about a kilometre: the exact address goes to members in the encrypted
    announcement, never in (unencrypted) room state.
    """
    if event.visibility is Visibility.PUBLIC:
        location: dict[str, Any] = {"name": event.place}
        if event.latitude is not None and event.longitude is not None:
            location["uri"] = f"geo:{event.latitude:.6f},{event.longitude:.6f}"
        return location
    if event.commune is None:
        return None
    location = {"name": event.commune}
    if event.latitude is not None and event.longitude is not None:
        location["uri"] = f"geo:{event.latitude:.2f},{event.longitude:.2f}"
    return location


def event_state(event: Event) -> dict[str, Any]:
    """Content of ``org.ralliement.event`` (state key: the event id), shaped as MSC4496."""
    content: dict[str, Any] = {
        "uid": event.id,
        "title": event.title,
        "description": event.description,
        "start": _moment(event.start_at, event.timezone),
        "end": _moment(event.end_at, event.timezone),
        "kind": event.kind.value,
        "status": event.status.value,
        "visibility": event.visibility.value,
        "organizer": event.organizer,
        "sequence": event.sequence,
    }
    if (location := event_location(event)) is not None:
        content["location"] = location
    if event.capacity is not None:
        content["capacity"] = event.capacity
    return content
