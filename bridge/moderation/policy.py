"""Policy lists enforced: their rules become bans in every room the appservice manages.

The appservice reads rule state events (``m.policy.rule.*`` and the legacy types) of the
campaign's own list and of the lists it watches, from its durable inbox, and keeps
``policy_rule`` in step. In the transaction that records a rule it writes the bans the rule
causes (``policy_ban``, and a ban action per room for :mod:`.worker`):

- a user rule without wildcards bans that user in every managed room at once, whether they are
  there or not: the homeserver itself then refuses their join;
- a glob user rule or a server rule bans the current members it matches (the appservice's own
  users and the admin room's moderators are never banned by a wildcard); later joins, invites and
  knocks are checked by :mod:`.joins` against the rules kept in memory here.

A rule removed (empty content) or no longer a ban lifts the bans it caused, except where another
rule still bans the same user: that rule then owns the ban. Spec:
https://spec.matrix.org/v1.16/client-server-api/#moderation-policy-lists
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from mautrix.errors import MatrixRequestError
from mautrix.types import Event
from mautrix.util.async_db import Connection, Database

from bridge.db.managed_rooms import ManagedRooms
from bridge.db.moderation_actions import ActionKind, ActionRequest, enqueue_actions
from bridge.db.moderation_alerts import raise_alert
from bridge.db.policy import PolicyStore, RoomPurpose
from bridge.domain.moderation.policy import RULE_TYPES, PolicyRule, RuleKey, parse_rule
from bridge.domain.moderation.protections import MODERATOR_POWER
from bridge.rooms.matrix import RoomClient

log = logging.getLogger("bridge.moderation.policy")

#: Rules kept in memory are read again after this long (another process may forget a list).
RULES_TTL_SECONDS = 5.0
#: Power in the admin room from which a user is a moderator, safe from wildcard rules.


@dataclass(frozen=True)
class Applied:
    """What recording one rule change did."""

    changed: bool
    bans: int = 0
    unbans: int = 0


UNCHANGED = Applied(changed=False)


def same_rule(a: PolicyRule | None, b: PolicyRule | None) -> bool:
    """The same rule, whoever wrote it and when (a resync rewrites nothing then)."""
    if a is None or b is None:
        return a is b
    return (a.kind, a.entity, a.recommendation, a.reason) == (
        b.kind,
        b.entity,
        b.recommendation,
        b.reason,
    )


class PolicyEnforcer:
    """Keeps the rules of the policy lists and the bans they cause; an inbox handler."""

    def __init__(
        self,
        db: Database,
        client: RoomClient,
        *,
        moderation_bot: str,
        our_users: frozenset[str],
        wake: Callable[[], None],
    ) -> None:
        self.db = db
        self.client = client
        self.store = PolicyStore(db)
        self.rooms = ManagedRooms(db)
        self.moderation_bot = moderation_bot
        self.our_users = our_users
        self.wake = wake
        self._ban_rules: list[PolicyRule] | None = None
        self._protected: frozenset[str] = frozenset()
        self._loaded_at = 0.0

    # --- the inbox handler -------------------------------------------------------------------

    async def __call__(self, parsed: Event) -> None:
        event: dict[str, Any] = parsed.serialize()
        event_type = event.get("type", "")
        state_key = event.get("state_key")
        room_id = event.get("room_id", "")
        if state_key is None:
            return
        if event_type in RULE_TYPES:
            purpose = await self.store.purpose_of(room_id)
            if purpose not in (RoomPurpose.POLICY, RoomPurpose.WATCHED):
                return
            rule = parse_rule(
                room_id,
                event_type,
                state_key,
                event.get("content") or {},
                sender=event.get("sender", ""),
                set_at=int(event.get("origin_server_ts") or 0),
            )
            key = RuleKey(room_id, event_type, state_key)
            await self.apply(key, rule, purpose=purpose, sender=event.get("sender", ""))
        elif event_type == "m.room.member" and state_key in (
            self.moderation_bot,
            self.client.bot_user_id,
        ):
            joined = (event.get("content") or {}).get("membership") == "join"
            if joined and await self.store.purpose_of(room_id) is RoomPurpose.WATCHED:
                await self.sync_list(room_id)

    # --- rules -> bans -------------------------------------------------------------------------

    async def apply(
        self, key: RuleKey, rule: PolicyRule | None, *, purpose: RoomPurpose, sender: str = ""
    ) -> Applied:
        """Record the rule under ``key`` (None: removed, by ``sender``), and the bans it causes
        or lifts."""
        targets: list[tuple[str, str]] | None = None
        if rule is not None and rule.bans:
            targets = await self._targets(rule)
        async with self.db.acquire() as conn, conn.transaction():  # type: ignore[var-annotated]
            old = await PolicyStore.rule_at(conn, key)
            if same_rule(old, rule):
                return UNCHANGED
            if rule is None:
                await PolicyStore.delete_rule(conn, key)
            else:
                await PolicyStore.put_rule(conn, rule)
            requests = []
            if old is not None and old.bans:
                requests += await self._lift(conn, old, rule)
            unbans = len(requests)
            for room_id, user_id in targets or ():
                if await PolicyStore.record_ban(conn, room_id, user_id, key):
                    requests.append(_ban(room_id, user_id, rule))
            await enqueue_actions(conn, requests)
            shown = rule if rule is not None and rule.bans else old
            if purpose is RoomPurpose.POLICY and shown is not None and shown.bans:
                await raise_alert(conn, "policy", _alert(shown, rule, requests, sender))
        self._ban_rules = None
        if requests:
            self.wake()
        applied = Applied(True, len(requests) - unbans, unbans)
        log.info(
            "Rule %s %s in %s: %d bans, %d unbans",
            key.state_key,
            "set" if rule is not None else "removed",
            key.list_room_id,
            applied.bans,
            applied.unbans,
        )
        return applied

    async def _lift(
        self, conn: Connection, old: PolicyRule, new: PolicyRule | None
    ) -> list[ActionRequest]:
        """Unban where ``old`` banned, unless ``new`` (same key) or another rule still bans."""
        others = [
            rule for rule in await PolicyStore.all_rules(conn) if rule.bans and rule.key != old.key
        ]
        # The new version of the rule first: the bans it still covers stay under the same key.
        still_banning = [new, *others] if new is not None and new.bans else others
        return await PolicyStore.lift_bans(
            conn,
            old.key,
            still_banning,
            reason="règle levée",
            cause=f"policy:{old.key.list_room_id}:{old.entity}",
        )

    async def _targets(self, rule: PolicyRule) -> list[tuple[str, str]]:
        """Who ``rule`` bans where: one named user in every managed room, or the current
        members a wildcard or server rule matches (never our users nor moderators)."""
        if rule.names_one_user:
            if rule.entity in self.our_users:
                log.warning("Rule %s names one of our own users: not applied", rule.entity)
                return []
            return [(room_id, rule.entity) for room_id in await self.rooms.room_ids()]
        protected = self.our_users | await self._moderators()
        return [
            (room_id, user_id)
            for room_id, user_id in await self.rooms.current_members()
            if user_id not in protected and rule.matches_user(user_id)
        ]

    async def _moderators(self) -> frozenset[str]:
        """The admin room's members with power 50 or more (safe from wildcard rules)."""
        admin = await self.store.room(RoomPurpose.ADMIN)
        if admin is None:
            return frozenset()
        try:
            levels = await self.client.state_event(admin.room_id, "m.room.power_levels") or {}
        except MatrixRequestError as error:
            log.warning("Cannot read the admin room's power levels: %s", error)
            return frozenset()
        users = levels.get("users") or {}
        return frozenset(
            user
            for user, level in users.items()
            if isinstance(level, int) and level >= MODERATOR_POWER
        )

    # --- reading whole lists -------------------------------------------------------------------

    async def sync_list(self, room_id: str) -> tuple[int, int]:
        """Bring the rules of list ``room_id`` in step with its current state (rules added,
        changed or removed while we did not look); returns (rules set, rules removed)."""
        purpose = await self.store.purpose_of(room_id)
        if purpose not in (RoomPurpose.POLICY, RoomPurpose.WATCHED):
            return 0, 0
        events = await self._list_state(room_id)
        present: dict[RuleKey, PolicyRule | None] = {}
        for event in events:
            event_type, state_key = event.get("type", ""), event.get("state_key", "")
            if event_type not in RULE_TYPES:
                continue
            key = RuleKey(room_id, event_type, state_key)
            present[key] = parse_rule(
                room_id,
                event_type,
                state_key,
                event.get("content") or {},
                sender=event.get("sender", ""),
                set_at=int(event.get("origin_server_ts") or 0),
            )
        stored = {rule.key: rule for rule in await self.store.rules(room_id)}
        set_count = removed = 0
        for key, rule in present.items():
            if rule is not None and not same_rule(stored.get(key), rule):
                set_count += (await self.apply(key, rule, purpose=purpose)).changed
        for key in stored:
            if present.get(key) is None:
                removed += (await self.apply(key, None, purpose=purpose)).changed
        log.info("List %s read: %d rules set, %d removed", room_id, set_count, removed)
        return set_count, removed

    async def sync_all(self) -> None:
        """Read every list again (at start: what changed while the appservice was down)."""
        for room in await self.store.lists():
            try:
                await self.sync_list(room.room_id)
            except MatrixRequestError as error:
                log.warning("Cannot read the list %s: %s", room.room_id, error)

    async def _list_state(self, room_id: str) -> list[dict[str, Any]]:
        try:
            return await self.client.state_events(room_id, as_user=self.moderation_bot)
        except MatrixRequestError:
            # Our own list: the appservice bot created it and is there too.
            return await self.client.state_events(room_id)

    # --- the rules, for joins ------------------------------------------------------------------

    async def ban_rule_for(self, user_id: str) -> PolicyRule | None:
        """The first active ban rule naming ``user_id``; None if none (or one of ours)."""
        if user_id in self.our_users:
            return None
        rules = await self._rules()
        for rule in rules:
            if rule.matches_user(user_id):
                if not rule.names_one_user and user_id in self._protected:
                    continue
                return rule
        return None

    async def _rules(self) -> list[PolicyRule]:
        now = time.monotonic()
        if self._ban_rules is None or now - self._loaded_at > RULES_TTL_SECONDS:
            self._ban_rules = [rule for rule in await self.store.rules() if rule.bans]
            self._protected = await self._moderators() if self._ban_rules else frozenset()
            self._loaded_at = now
        return self._ban_rules


def _ban(room_id: str, user_id: str, rule: PolicyRule | None) -> ActionRequest:
    assert rule is not None
    return ActionRequest(
        room_id,
        user_id,
        ActionKind.BAN,
        reason=rule.reason,
        cause=f"policy:{rule.key.list_room_id}:{rule.entity}",
    )


def _alert(
    shown: PolicyRule, rule: PolicyRule | None, requests: list[ActionRequest], sender: str
) -> dict[str, Any]:
    return {
        "entity": shown.entity,
        "kind": shown.kind.value,
        "reason": shown.reason,
        "list": shown.key.list_room_id,
        "sender": sender or shown.sender,
        "change": "added" if rule is not None and rule.bans else "removed",
        "rooms": len({request.room_id for request in requests}),
    }
