"""A person's data as the person or an admin reads it: what ``!moi`` shows, the export, and the
report of an erasure. Pure shaping of rows into JSON-serialisable data; the service reads and
deletes (:class:`~bridge.domain.supporters.SupporterService`).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from typing import Any

from bridge.db.events import Event, Rsvp
from bridge.db.supporters import EmailCode, EmailSent, Joining, Supporter
from bridge.db.teams import Member, Team

#: Keys of the joining conversation's data never exported (whatever the conversation stores).
SECRET_WORDS = ("hash", "secret", "token")


@dataclass(frozen=True)
class TeamExit:
    """A team the erased person was removed from."""

    team_id: str
    name: str
    #: The team's room, from which the caller must kick the person (None: not created yet).
    room_id: str | None
    #: Who became referent because the person was the last one.
    promoted: str | None


@dataclass(frozen=True)
class ErasureReport:
    """What :meth:`~bridge.domain.supporters.SupporterService.forget` erased, for the person's
    confirmation message.

    Each kind of data is a field, so a new kind (reminders) is one more field here and one more
    deletion in ``forget``; :meth:`erased` lists them all, in order, for the wording.
    """

    user_id: str
    #: Whether a supporter row (address, name, postcode, home, language) was erased.
    supporter: bool = False
    team_memberships: int = 0
    rsvps: int = 0
    #: Pending verification codes.
    email_codes: int = 0
    #: Lines of the log of codes sent (erased, or stripped of the account when the address was
    #: someone else's).
    email_sent: int = 0
    #: Whether a joining conversation was under way.
    joining: bool = False
    #: Subscription to alerts near home, and the alerts sent or held.
    alert_subscription: int = 0
    alert_delivery: int = 0
    #: Searches kept for "!plus" (they hold the place searched).
    search_page: int = 0
    #: The bots' direct rooms with the person (the rooms themselves stay on the homeserver).
    direct_room: int = 0
    #: Personal and event reminders, and reminder settings.
    reminder: int = 0
    reminder_settings: int = 0
    teams: tuple[TeamExit, ...] = field(default=())

    def erased(self) -> dict[str, int]:
        """Every kind of data and how much of it was erased (booleans as 0 or 1), in order."""
        return {
            item.name: int(getattr(self, item.name))
            for item in fields(self)
            if item.name not in ("user_id", "teams")
        }

    @property
    def anything(self) -> bool:
        return any(self.erased().values())

    @property
    def room_ids(self) -> list[str]:
        """The team rooms the person must now be kicked from.

        The database no longer counts them as members, but the room projection only invites
        and sets power levels: it never kicks. The appservice (or a bot with the power to) kicks
        them from these rooms; their departure is then a no-op for the domain.
        """
        return [team.room_id for team in self.teams if team.room_id is not None]


def profile_view(
    user_id: str,
    supporter: Supporter | None,
    memberships: Sequence[tuple[Team, Member]],
    upcoming: Sequence[tuple[Event, Rsvp]],
) -> dict[str, Any]:
    """What ``!moi`` shows: the person's own address, where they act as a commune (never
    coordinates), their active teams and roles, the upcoming events they go to."""
    home = None
    if supporter is not None and (supporter.home_commune or supporter.home_postcode):
        home = {"commune": supporter.home_commune, "postcode": supporter.home_postcode}
    return {
        "user_id": user_id,
        "linked": supporter is not None,
        "email": supporter.email if supporter else None,
        "name": supporter.name if supporter else None,
        "postcode": supporter.postcode if supporter else None,
        "verified_at": supporter.verified_at if supporter else None,
        "language": supporter.language if supporter else None,
        "home": home,
        "teams": [
            {
                "team_id": team.id,
                "name": team.name,
                "commune": team.commune,
                "role": member.role.value,
                "room_id": team.room_id,
            }
            for team, member in memberships
            if team.archived_at is None
        ],
        "rsvps": [
            {
                "event_id": event.id,
                "title": event.title,
                "team_id": event.team_id,
                "start_at": event.start_at,
                "end_at": event.end_at,
                "timezone": event.timezone,
                "guests": rsvp.guests,
                "status": event.status.value,
            }
            for event, rsvp in upcoming
            if rsvp.going
        ],
    }


def export_view(
    user_id: str | None,
    supporter: Supporter | None,
    memberships: Sequence[tuple[Team, Member]],
    rsvps: Sequence[tuple[Event, Rsvp]],
    codes: Sequence[EmailCode],
    sent: Sequence[EmailSent],
    joining: Joining | None,
    exported_at: int,
) -> dict[str, Any]:
    """Everything stored about a person (times in milliseconds since the Unix epoch); a code's
    hash is never among it."""
    return {
        "exported_at": exported_at,
        "user_id": user_id,
        "supporter": _supporter_row(supporter) if supporter else None,
        "teams": [
            {
                "team_id": team.id,
                "name": team.name,
                "room_id": team.room_id,
                "role": member.role.value,
                "joined_at": member.joined_at,
                "archived": team.archived_at is not None,
            }
            for team, member in memberships
        ],
        "rsvps": [
            {
                "event_id": event.id,
                "title": event.title,
                "team_id": event.team_id,
                "start_at": event.start_at,
                "end_at": event.end_at,
                "status": event.status.value,
                "going": rsvp.going,
                "guests": rsvp.guests,
                "answered_at": rsvp.updated_at,
                "by_reaction": rsvp.reaction_id is not None,
            }
            for event, rsvp in rsvps
        ],
        "email_codes": [
            {
                "email": code.email,
                "created_at": code.created_at,
                "expires_at": code.expires_at,
                "attempts": code.attempts,
            }
            for code in codes
        ],
        "email_sent": [{"email": line.email, "sent_at": line.sent_at} for line in sent],
        "joining": None if joining is None else _joining(joining),
    }


def _supporter_row(supporter: Supporter) -> dict[str, Any]:
    data = {item.name: getattr(supporter, item.name) for item in fields(supporter)}
    data["source"] = supporter.source.value
    del data["id"]  # an internal number, meaningless outside this database
    return data


def _joining(joining: Joining) -> dict[str, Any]:
    try:
        data: Any = json.loads(joining.data)
    except ValueError:
        data = joining.data
    return {
        "room_id": joining.room_id,
        "step": joining.step,
        "data": _without_secrets(data),
        "started_at": joining.started_at,
        "updated_at": joining.updated_at,
    }


def _without_secrets(data: Any) -> Any:
    """The conversation's data without anything named like a secret (a code's hash)."""
    if isinstance(data, dict):
        return {
            key: _without_secrets(value)
            for key, value in data.items()
            if not any(word in str(key).casefold() for word in SECRET_WORDS)
        }
    if isinstance(data, list):
        return [_without_secrets(item) for item in data]
    return data
