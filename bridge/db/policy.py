"""The moderation's rooms and the rules of the policy lists it reads.

``moderation_room`` names the admin room, the campaign's own policy list and the lists it
watches; ``policy_rule`` mirrors their rules (the appservice keeps it in step with the lists'
state); ``policy_ban`` remembers which bans a rule caused, so removing the rule lifts them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from mautrix.util.async_db import Connection, Database

from bridge.domain.moderation.policy import PolicyRule, RuleKey, RuleKind

from .clock import now_ms
from .moderation_actions import ActionKind, ActionRequest


class RoomPurpose(StrEnum):
    ADMIN = "admin"
    POLICY = "policy"
    WATCHED = "watched"


@dataclass(frozen=True)
class ModerationRoom:
    room_id: str
    purpose: RoomPurpose
    alias: str | None
    added_by: str | None
    added_at: int


def _room(row: Any) -> ModerationRoom:
    return ModerationRoom(
        row["room_id"], RoomPurpose(row["purpose"]), row["alias"], row["added_by"], row["added_at"]
    )


def _rule(row: Any) -> PolicyRule:
    return PolicyRule(
        key=RuleKey(row["list_room_id"], row["event_type"], row["state_key"]),
        kind=RuleKind(row["kind"]),
        entity=row["entity"],
        recommendation=row["recommendation"],
        reason=row["reason"],
        sender=row["sender"],
        set_at=row["set_at"],
    )


_RULE_COLUMNS = (
    "list_room_id, event_type, state_key, kind, entity, recommendation, reason, sender, set_at"
)


class PolicyStore:
    """Moderation rooms, policy rules and the bans rules caused."""

    def __init__(self, db: Database) -> None:
        self.db = db

    # --- rooms -------------------------------------------------------------------------------

    async def room(self, purpose: RoomPurpose) -> ModerationRoom | None:
        """The admin room or the campaign's policy list (one of each)."""
        row = await self.db.fetchrow(
            "SELECT * FROM moderation_room WHERE purpose = $1", purpose.value
        )
        return _room(row) if row else None

    async def set_room(
        self, purpose: RoomPurpose, room_id: str, *, alias: str | None, added_by: str | None
    ) -> None:
        """Record a moderation room (a second admin or policy room replaces the first)."""
        async with self.db.acquire() as conn, conn.transaction():  # type: ignore[var-annotated]
            if purpose is not RoomPurpose.WATCHED:
                await conn.execute(
                    "DELETE FROM moderation_room WHERE purpose = $1 AND room_id <> $2",
                    purpose.value,
                    room_id,
                )
            await conn.execute(
                "INSERT INTO moderation_room (room_id, purpose, alias, added_by, added_at)"
                " VALUES ($1, $2, $3, $4, $5) ON CONFLICT (room_id) DO UPDATE SET"
                " purpose = excluded.purpose, alias = excluded.alias",
                room_id,
                purpose.value,
                alias,
                added_by,
                now_ms(),
            )

    async def lists(self) -> list[ModerationRoom]:
        """The campaign's list first, then the watched lists by date."""
        rows = await self.db.fetch(
            "SELECT * FROM moderation_room WHERE purpose IN ('policy', 'watched')"
            " ORDER BY purpose = 'watched', added_at"
        )
        return [_room(row) for row in rows]

    async def purpose_of(self, room_id: str) -> RoomPurpose | None:
        value = await self.db.fetchval(
            "SELECT purpose FROM moderation_room WHERE room_id = $1", room_id
        )
        return RoomPurpose(value) if value else None

    async def forget_list(self, room_id: str) -> int:
        """Stop reading a watched list: its rules go (their bans are lifted by the caller)."""
        async with self.db.acquire() as conn, conn.transaction():  # type: ignore[var-annotated]
            return await PolicyStore.forget_list_in(conn, room_id)

    @staticmethod
    async def forget_list_in(conn: Connection, room_id: str) -> int:
        """:meth:`forget_list` in the caller's transaction; returns how many rules went."""
        await conn.execute(
            "DELETE FROM moderation_room WHERE room_id = $1 AND purpose = 'watched'", room_id
        )
        rows = await conn.fetch(
            "DELETE FROM policy_rule WHERE list_room_id = $1 RETURNING state_key", room_id
        )
        return len(rows)

    # --- rules -------------------------------------------------------------------------------

    async def rules(self, list_room_id: str | None = None) -> list[PolicyRule]:
        """Every rule (of one list when given), oldest first."""
        if list_room_id is None:
            rows = await self.db.fetch(f"SELECT {_RULE_COLUMNS} FROM policy_rule ORDER BY set_at")
        else:
            rows = await self.db.fetch(
                f"SELECT {_RULE_COLUMNS} FROM policy_rule WHERE list_room_id = $1 ORDER BY set_at",
                list_room_id,
            )
        return [_rule(row) for row in rows]

    @staticmethod
    async def all_rules(conn: Connection) -> list[PolicyRule]:
        """Every rule, oldest first, in the caller's transaction."""
        rows = await conn.fetch(f"SELECT {_RULE_COLUMNS} FROM policy_rule ORDER BY set_at")
        return [_rule(row) for row in rows]

    @staticmethod
    async def rule_at(conn: Connection, key: RuleKey) -> PolicyRule | None:
        """The rule under ``key``, in the caller's transaction."""
        row = await conn.fetchrow(
            f"SELECT {_RULE_COLUMNS} FROM policy_rule"
            " WHERE list_room_id = $1 AND event_type = $2 AND state_key = $3",
            key.list_room_id,
            key.event_type,
            key.state_key,
        )
        return _rule(row) if row else None

    async def rule(self, key: RuleKey) -> PolicyRule | None:
        row = await self.db.fetchrow(
            f"SELECT {_RULE_COLUMNS} FROM policy_rule"
            " WHERE list_room_id = $1 AND event_type = $2 AND state_key = $3",
            key.list_room_id,
            key.event_type,
            key.state_key,
        )
        return _rule(row) if row else None

    @staticmethod
    async def put_rule(conn: Connection, rule: PolicyRule) -> None:
        await conn.execute(
            f"INSERT INTO policy_rule ({_RULE_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
            " ON CONFLICT (list_room_id, event_type, state_key) DO UPDATE SET"
            " kind = excluded.kind, entity = excluded.entity,"
            " recommendation = excluded.recommendation, reason = excluded.reason,"
            " sender = excluded.sender, set_at = excluded.set_at",
            rule.key.list_room_id,
            rule.key.event_type,
            rule.key.state_key,
            rule.kind.value,
            rule.entity,
            rule.recommendation,
            rule.reason,
            rule.sender,
            rule.set_at,
        )

    @staticmethod
    async def delete_rule(conn: Connection, key: RuleKey) -> bool:
        row = await conn.fetchrow(
            "DELETE FROM policy_rule"
            " WHERE list_room_id = $1 AND event_type = $2 AND state_key = $3 RETURNING entity",
            key.list_room_id,
            key.event_type,
            key.state_key,
        )
        return row is not None

    # --- bans caused by rules ----------------------------------------------------------------

    @staticmethod
    async def record_ban(conn: Connection, room_id: str, user_id: str, key: RuleKey) -> bool:
        """Remember that ``key`` banned ``user_id`` from ``room_id``; False if already banned by
        a rule (the first rule keeps the ban)."""
        row = await conn.fetchrow(
            "INSERT INTO policy_ban"
            " (room_id, user_id, list_room_id, event_type, state_key, banned_at)"
            " VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (room_id, user_id) DO NOTHING"
            " RETURNING room_id",
            room_id,
            user_id,
            key.list_room_id,
            key.event_type,
            key.state_key,
            now_ms(),
        )
        return row is not None

    @staticmethod
    async def bans_of_rule(conn: Connection, key: RuleKey) -> list[tuple[str, str]]:
        """The (room, user) bans ``key`` caused."""
        rows = await conn.fetch(
            "SELECT room_id, user_id FROM policy_ban"
            " WHERE list_room_id = $1 AND event_type = $2 AND state_key = $3",
            key.list_room_id,
            key.event_type,
            key.state_key,
        )
        return [(row["room_id"], row["user_id"]) for row in rows]

    @staticmethod
    async def move_ban(conn: Connection, room_id: str, user_id: str, key: RuleKey) -> None:
        """Another rule still bans ``user_id``: the ban is now that rule's."""
        await conn.execute(
            "UPDATE policy_ban SET list_room_id = $3, event_type = $4, state_key = $5"
            " WHERE room_id = $1 AND user_id = $2",
            room_id,
            user_id,
            key.list_room_id,
            key.event_type,
            key.state_key,
        )

    @staticmethod
    async def forget_ban(conn: Connection, room_id: str, user_id: str) -> None:
        await conn.execute(
            "DELETE FROM policy_ban WHERE room_id = $1 AND user_id = $2", room_id, user_id
        )

    @staticmethod
    async def lift_bans(
        conn: Connection,
        key: RuleKey,
        still_banning: Sequence[PolicyRule],
        *,
        reason: str,
        cause: str,
    ) -> list[ActionRequest]:
        """Lift the bans the rule ``key`` caused: a ban that a rule of ``still_banning`` also
        covers becomes that rule's; the others are forgotten and returned as the unban actions
        to enqueue (in the caller's transaction)."""
        unbans = []
        for room_id, user_id in await PolicyStore.bans_of_rule(conn, key):
            other = next((rule for rule in still_banning if rule.matches_user(user_id)), None)
            if other is not None:
                await PolicyStore.move_ban(conn, room_id, user_id, other.key)
                continue
            await PolicyStore.forget_ban(conn, room_id, user_id)
            unbans.append(
                ActionRequest(room_id, user_id, ActionKind.UNBAN, reason=reason, cause=cause)
            )
        return unbans

    async def banned_rooms(self, user_id: str) -> list[str]:
        rows = await self.db.fetch(
            "SELECT room_id FROM policy_ban WHERE user_id = $1 ORDER BY room_id", user_id
        )
        return [row["room_id"] for row in rows]
