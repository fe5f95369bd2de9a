"""SQL for events and RSVPs; the database is passed in.

RSVPs are checked and written inside one :class:`LockedEvent` transaction holding the event's row
lock, so two people cannot both take the last seat. Every change to an event asks for its team's
room to be re-projected (:mod:`.room_sync`), in the same transaction.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, fields, replace
from enum import StrEnum
from typing import Any

from mautrix.util.async_db import Connection, Database

from .announcements import AnnouncementKind, request_announcement
from .clock import now_ms
from .locks import fetch_locked
from .room_sync import request_room_sync


class EventKind(StrEnum):
    ACTION = "action"
    MEETING = "meeting"
    ONLINE = "online"


class Visibility(StrEnum):
    PUBLIC = "public"
    MEMBERS = "members"


class EventStatus(StrEnum):
    CONFIRMED = "confirmed"
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class Event:
    id: str
    team_id: str
    title: str
    description: str
    kind: EventKind
    start_at: int
    end_at: int
    timezone: str
    place: str
    commune: str | None
    postcode: str | None
    latitude: float | None
    longitude: float | None
    precision: str | None
    visibility: Visibility
    capacity: int | None
    status: EventStatus
    organizer: str
    sequence: int
    created_at: int
    updated_at: int
    #: The announcement message in the team room, once sent (edits replace it).
    announcement_id: str | None = None

    @classmethod
    def from_row(cls, row: Any) -> Event:
        values = {field.name: row[field.name] for field in fields(cls)}
        return cls(
            **{
                **values,
                "kind": EventKind(values["kind"]),
                "visibility": Visibility(values["visibility"]),
                "status": EventStatus(values["status"]),
            }
        )


EVENT_COLUMNS = ", ".join(field.name for field in fields(Event))


@dataclass(frozen=True)
class Rsvp:
    event_id: str
    user_id: str
    going: bool
    guests: int
    updated_at: int
    #: The ✅ reaction that made this answer, if it came from one.
    reaction_id: str | None = None

    @property
    def seats(self) -> int:
        """Seats this answer takes: the person and their guests, if going."""
        return 1 + self.guests if self.going else 0

    @classmethod
    def from_row(cls, row: Any) -> Rsvp:
        return cls(
            event_id=row["event_id"],
            user_id=row["user_id"],
            going=bool(row["going"]),
            guests=row["guests"],
            updated_at=row["updated_at"],
            reaction_id=row["reaction_id"],
        )


RSVP_COLUMNS = "event_id, user_id, going, guests, updated_at, reaction_id"
_EVENT_COLUMNS_OF_JOIN = ", ".join(f"event.{field.name}" for field in fields(Event))


class LockedEvent:
    """Reads and writes on one event inside a transaction that holds its row lock."""

    def __init__(self, conn: Connection, event: Event) -> None:
        self.conn = conn
        self.event = event

    async def seats_taken(self, *, except_user: str | None = None) -> int:
        taken = await self.conn.fetchval(
            "SELECT COALESCE(SUM(1 + guests), 0) FROM rsvp"
            " WHERE event_id = $1 AND going AND user_id <> $2",
            self.event.id,
            except_user or "",
        )
        return int(taken)

    async def rsvp_of(self, user_id: str) -> Rsvp | None:
        row = await self.conn.fetchrow(
            f"SELECT {RSVP_COLUMNS} FROM rsvp WHERE event_id = $1 AND user_id = $2",
            self.event.id,
            user_id,
        )
        return None if row is None else Rsvp.from_row(row)

    async def set_rsvp(
        self, user_id: str, going: bool, guests: int, reaction_id: str | None = None
    ) -> Rsvp:
        rsvp = Rsvp(self.event.id, user_id, going, guests, now_ms(), reaction_id)
        await self.conn.execute(
            f"INSERT INTO rsvp ({RSVP_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6)"
            " ON CONFLICT (event_id, user_id) DO UPDATE"
            " SET going = excluded.going, guests = excluded.guests,"
            " updated_at = excluded.updated_at, reaction_id = excluded.reaction_id",
            rsvp.event_id,
            rsvp.user_id,
            rsvp.going,
            rsvp.guests,
            rsvp.updated_at,
            rsvp.reaction_id,
        )
        return rsvp

    async def save(self, event: Event, announce: AnnouncementKind = "edited") -> Event:
        """Store the event's new values (a new sequence number for calendars), ask for its room
        to show them and for the announcement to follow (``announce``)."""
        saved = replace(event, sequence=self.event.sequence + 1, updated_at=now_ms())
        assignments = ", ".join(
            f"{name} = ${index}" for index, name in enumerate(_EDITABLE, start=2)
        )
        await self.conn.execute(
            f"UPDATE event SET {assignments} WHERE id = $1",
            saved.id,
            *(_db_value(getattr(saved, name)) for name in _EDITABLE),
        )
        await request_room_sync(self.conn, saved.team_id)
        await request_announcement(self.conn, saved.id, saved.sequence, announce)
        self.event = saved
        return saved


#: The columns an edit may change (everything but identity and creation).
_EDITABLE = tuple(
    field.name
    for field in fields(Event)
    if field.name not in ("id", "team_id", "organizer", "created_at", "announcement_id")
)


def _db_value(value: object) -> object:
    return value.value if isinstance(value, StrEnum) else value


#: More writes for a new event, in the transaction that stores it.
AfterCreate = Callable[[Connection, Event], Awaitable[None]]


class EventRepository:
    """SQL for the ``event`` and ``rsvp`` tables."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def create(self, event: Event, *, then: AfterCreate | None = None) -> bool:
        """Store a new event and ask for its room to show it. False if the id is taken.

        ``then`` runs in the same transaction once the event is stored (its reminders)."""
        async with self.db.acquire() as conn, conn.transaction():  # type: ignore[var-annotated]
            inserted = await conn.fetchval(
                f"INSERT INTO event ({EVENT_COLUMNS})"
                f" VALUES ({', '.join(f'${i}' for i in range(1, len(fields(Event)) + 1))})"
                " ON CONFLICT (id) DO NOTHING RETURNING id",
                *(_db_value(getattr(event, field.name)) for field in fields(Event)),
            )
            if inserted is None:
                return False
            await request_room_sync(conn, event.team_id)
            await request_announcement(conn, event.id, event.sequence, "created")
            if then is not None:
                await then(conn, event)
        return True

    async def get(self, event_id: str) -> Event | None:
        row = await self.db.fetchrow(f"SELECT {EVENT_COLUMNS} FROM event WHERE id = $1", event_id)
        return None if row is None else Event.from_row(row)

    async def of_team(self, team_id: str, *, ending_after: int) -> list[Event]:
        """The team's events (cancelled ones too) that end after ``ending_after``, soonest first."""
        rows = await self.db.fetch(
            f"SELECT {EVENT_COLUMNS} FROM event WHERE team_id = $1 AND end_at > $2"
            " ORDER BY start_at, id",
            team_id,
            ending_after,
        )
        return [Event.from_row(row) for row in rows]

    async def rsvps(self, event_id: str) -> list[Rsvp]:
        """Everyone who answered, going first, then by time of answer."""
        rows = await self.db.fetch(
            f"SELECT {RSVP_COLUMNS} FROM rsvp WHERE event_id = $1"
            " ORDER BY going DESC, updated_at, user_id",
            event_id,
        )
        return [Rsvp.from_row(row) for row in rows]

    async def rsvps_of_user(
        self, user_id: str, *, ending_after: int | None = None
    ) -> list[tuple[Event, Rsvp]]:
        """Every answer of ``user_id`` with its event (those ending after ``ending_after`` if
        given), soonest event first."""
        rows = await self.db.fetch(
            f"SELECT {_EVENT_COLUMNS_OF_JOIN}, rsvp.user_id, rsvp.going, rsvp.guests,"
            " rsvp.updated_at AS rsvp_updated_at, rsvp.reaction_id"
            " FROM rsvp JOIN event ON event.id = rsvp.event_id"
            " WHERE rsvp.user_id = $1 AND event.end_at > $2 ORDER BY event.start_at, event.id",
            user_id,
            -1 if ending_after is None else ending_after,
        )
        return [
            (
                Event.from_row(row),
                Rsvp(
                    event_id=row["id"],
                    user_id=row["user_id"],
                    going=bool(row["going"]),
                    guests=row["guests"],
                    updated_at=row["rsvp_updated_at"],
                    reaction_id=row["reaction_id"],
                ),
            )
            for row in rows
        ]

    async def by_announcement(self, message_id: str) -> Event | None:
        """The event whose announcement is the message ``message_id``."""
        row = await self.db.fetchrow(
            f"SELECT {EVENT_COLUMNS} FROM event WHERE announcement_id = $1", message_id
        )
        return None if row is None else Event.from_row(row)

    async def rsvp_by_reaction(self, reaction_id: str) -> Rsvp | None:
        row = await self.db.fetchrow(
            f"SELECT {RSVP_COLUMNS} FROM rsvp WHERE reaction_id = $1", reaction_id
        )
        return None if row is None else Rsvp.from_row(row)

    async def set_announcement(self, event_id: str, message_id: str) -> None:
        await self.db.execute(
            "UPDATE event SET announcement_id = $1 WHERE id = $2", message_id, event_id
        )

    @asynccontextmanager
    async def locked(self, event_id: str) -> AsyncIterator[LockedEvent | None]:
        """A transaction holding the event's lock; None for an unknown event."""
        async with self.db.acquire() as conn, conn.transaction():  # type: ignore[var-annotated]
            row = await fetch_locked(conn, self.db.scheme, "event", EVENT_COLUMNS, event_id)
            yield None if row is None else LockedEvent(conn, Event.from_row(row))
