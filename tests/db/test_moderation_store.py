"""The moderation repositories on both engines: actions in order, rules and the bans they
caused, the join log and join waves."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import cast

import pytest
from mautrix.appservice.state_store.asyncpg import PgASStateStore
from mautrix.util.async_db import Database

from bridge.db import create_database
from bridge.db.managed_rooms import ManagedRooms
from bridge.db.moderation_actions import ActionKind, ActionQueue, ActionRequest
from bridge.db.moderation_alerts import AlertOutbox
from bridge.db.policy import PolicyStore, RoomPurpose
from bridge.db.room_guard import RoomGuard
from bridge.db.room_sync import RoomSyncQueue
from bridge.db.spaces import ROOT, SpaceRepository
from bridge.domain.moderation.policy import PolicyRule, parse_rule
from bridge.domain.teams import TeamService
from bridge.moderation.joins import JoinGuard
from bridge.moderation.policy import PolicyEnforcer
from bridge.rooms.matrix import RoomClient
from bridge.rooms.spaces import SpaceDirectory
from ralliement.config_schema import ModerationConfig

BAN, UNBAN, KICK, REDACT = ActionKind.BAN, ActionKind.UNBAN, ActionKind.KICK, ActionKind.REDACT


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[Database]:
    database = create_database(database_url)
    await database.start()
    try:
        yield database
    finally:
        await database.stop()


async def test_a_membership_action_waits_for_the_earlier_one_on_the_same_user_and_room(
    db: Database,
) -> None:
    queue = ActionQueue(db)
    await queue.enqueue(
        [
            ActionRequest("!a", "@x:s", BAN),
            ActionRequest("!a", "@x:s", UNBAN),
            ActionRequest("!b", "@x:s", BAN),
            ActionRequest("!a", "@y:s", KICK),
            ActionRequest("!a", "@x:s", REDACT, target_event="$1"),
            ActionRequest("!a", "@x:s", REDACT, target_event="$2"),
        ]
    )
    first = await queue.due()
    assert [(a.room_id, a.user_id, a.kind) for a in first] == [
        ("!a", "@x:s", BAN),
        ("!b", "@x:s", BAN),
        ("!a", "@y:s", KICK),
        ("!a", "@x:s", REDACT),
        ("!a", "@x:s", REDACT),
    ]
    # The ban fails and waits for its retry: the unban behind it waits too.
    await queue.failed(first[0], "M_UNKNOWN (502)")
    await queue.done(a.id for a in first[1:])
    assert await queue.due() == []
    assert await queue.pending() == 2
    # Given up for good: the unban may go.
    await queue.failed(first[0], "M_FORBIDDEN (403)", permanent=True)
    (unban,) = await queue.due()
    assert unban.kind is UNBAN
    failed = await queue.get(first[0].id)
    assert failed is not None and failed.attempts == 2 and failed.failed_at is not None


async def test_rules_and_the_bans_they_caused(db: Database) -> None:
    store = PolicyStore(db)
    await store.set_room(RoomPurpose.POLICY, "!list", alias="#l:s", added_by="@bot:s")
    await store.set_room(RoomPurpose.WATCHED, "!other", alias=None, added_by="@mod:s")
    assert [room.room_id for room in await store.lists()] == ["!list", "!other"]
    assert await store.purpose_of("!other") is RoomPurpose.WATCHED
    rule = parse_rule(
        "!list",
        "m.policy.rule.user",
        "rule:@spam*:s",
        {"entity": "@spam*:s", "recommendation": "m.ban", "reason": "spam"},
        sender="@mod:s",
        set_at=1,
    )
    other = parse_rule(
        "!other",
        "m.policy.rule.server",
        "s",
        {"entity": "s", "recommendation": "m.ban"},
        sender="@x:o",
        set_at=2,
    )
    assert rule is not None and other is not None
    async with db.acquire() as conn, conn.transaction():
        await store.put_rule(conn, rule)
        await store.put_rule(conn, other)
        assert await store.record_ban(conn, "!room", "@spammer:s", rule.key)
        assert not await store.record_ban(conn, "!room", "@spammer:s", other.key)
        assert await store.all_rules(conn) == [rule, other]
    assert await store.rules("!list") == [rule]
    assert await store.banned_rooms("@spammer:s") == ["!room"]
    async with db.acquire() as conn, conn.transaction():
        assert await store.bans_of_rule(conn, rule.key) == [("!room", "@spammer:s")]
        await store.move_ban(conn, "!room", "@spammer:s", other.key)
        assert await store.bans_of_rule(conn, rule.key) == []
        assert await store.delete_rule(conn, rule.key)
        assert not await store.delete_rule(conn, rule.key)
    assert await store.forget_list("!other") == 1
    assert await store.rules() == []


# --- the appservice's enforcement, on the database -----------------------------------------------


class _NoHomeserver:
    """The enforcer's client where no call should happen (no admin room recorded)."""

    bot_user_id = "@ralliement:s"


def _settings(joins: int = 3, seconds: int = 60) -> ModerationConfig:
    return ModerationConfig(
        moderators=(),
        protections={},
        join_wave_joins=joins,
        join_wave_seconds=seconds,
        words=(),
        strikes_before_ban=3,
        new_member_minutes=1440,
        max_mentions=8,
    )


async def _team_room(service: TeamService, name: str, room_id: str) -> str:
    team = await service.create_team(name, "thematic", None, None, None, "@ref:s")
    await service.repository.set_room(team.id, room_id)
    return team.id


def _enforcer(db: Database) -> PolicyEnforcer:
    return PolicyEnforcer(
        db,
        cast(RoomClient, _NoHomeserver()),
        moderation_bot="@ralliement_moderation:s",
        our_users=frozenset({"@ralliement:s", "@ralliement_moderation:s"}),
        wake=lambda: None,
    )


def _rule(entity: str, list_id: str = "!list") -> PolicyRule:
    rule = parse_rule(
        list_id,
        "m.policy.rule.user",
        f"rule:{entity}",
        {"entity": entity, "recommendation": "m.ban", "reason": "spam"},
        sender="@mod:s",
        set_at=1,
    )
    assert rule is not None
    return rule


async def test_a_rule_bans_in_every_managed_room_and_another_rule_keeps_the_ban(
    service: TeamService,
) -> None:
    db = service.repository.db
    await PgASStateStore(db).upgrade_table.upgrade(db)
    for number in (1, 2):
        await _team_room(service, f"Équipe {number}", f"!team{number}")
    await SpaceRepository(db).save(ROOT, "!root")
    await PolicyStore(db).set_room(RoomPurpose.POLICY, "!list", alias=None, added_by=None)
    await db.execute(
        "INSERT INTO mx_user_profile (room_id, user_id, membership) VALUES"
        " ('!team1', '@raid1:s', 'join'), ('!team2', '@calm:s', 'join'),"
        " ('!team2', '@ralliement_moderation:s', 'join'), ('!elsewhere', '@raid2:s', 'join')"
    )
    enforcer, queue = _enforcer(db), ActionQueue(db)
    literal, glob = _rule("@raid1:s"), _rule("@raid*:s")

    applied = await enforcer.apply(literal.key, literal, purpose=RoomPurpose.POLICY)
    assert (applied.changed, applied.bans) == (True, 3)
    assert await PolicyStore(db).banned_rooms("@raid1:s") == ["!root", "!team1", "!team2"]
    assert not (await enforcer.apply(literal.key, literal, purpose=RoomPurpose.POLICY)).changed
    (alert,) = await AlertOutbox(db).of_kind("policy")
    assert alert.payload["rooms"] == 3 and alert.payload["change"] == "added"

    # The glob names members only (and never our bots); raid1 is already banned by the first.
    applied = await enforcer.apply(glob.key, glob, purpose=RoomPurpose.POLICY)
    assert applied.bans == 0
    assert await enforcer.ban_rule_for("@raid9:s") == glob
    assert await enforcer.ban_rule_for("@ralliement_moderation:s") is None

    # The literal rule goes: the glob still bans raid1, who stays banned.
    applied = await enforcer.apply(literal.key, None, purpose=RoomPurpose.POLICY, sender="@m:s")
    assert applied.unbans == 0
    assert await PolicyStore(db).banned_rooms("@raid1:s") == ["!root", "!team1", "!team2"]
    # The glob goes too: unbanned everywhere.
    applied = await enforcer.apply(glob.key, None, purpose=RoomPurpose.POLICY)
    assert applied.unbans == 3
    assert await PolicyStore(db).banned_rooms("@raid1:s") == []
    kinds = [(a.room_id, a.kind) for a in reversed(await queue.of_user("@raid1:s"))]
    assert kinds == [(room, BAN) for room in ("!root", "!team1", "!team2")] + [
        (room, UNBAN) for room in ("!root", "!team1", "!team2")
    ]
    assert await enforcer.ban_rule_for("@raid9:s") is None


async def test_more_joins_than_the_threshold_within_the_window_lock_the_room_once(
    service: TeamService,
) -> None:
    db = service.repository.db
    team_id = await _team_room(service, "Équipe exposée", "!wave")
    await _team_room(service, "Équipe calme", "!calm")
    guard = JoinGuard(
        db,
        _enforcer(db),
        cast(SpaceDirectory, None),
        settings=_settings(joins=3, seconds=60),
        appservice_bot="@ralliement:s",
        our_users=frozenset(),
        wake_actions=lambda: None,
        wake_rooms=lambda: None,
    )
    rooms = ManagedRooms(db)
    wave, calm = await rooms.get("!wave"), await rooms.get("!calm")
    assert wave is not None and calm is not None
    start = 1_000_000
    # Slow joins (one every 30 s) never make a wave.
    for number in range(6):
        joined_at = start + number * 30_000
        assert not await guard.joined(
            calm, f"@slow{number}:s", joined_at=joined_at, event_id=f"$s{number}"
        )
    # Four joins within a minute do, once; later joins change nothing.
    locked = [
        await guard.joined(
            wave, f"@raid{number}:s", joined_at=start + number * 1000, event_id=f"$r{number}"
        )
        for number in range(6)
    ]
    assert locked == [False, False, False, True, False, False]
    lockdown = await RoomGuard(db).lockdown("!wave")
    assert lockdown is not None and lockdown.reason == "join_wave"
    assert await RoomGuard(db).lockdown("!calm") is None
    (alert,) = await AlertOutbox(db).of_kind("join_wave")
    assert alert.payload == {
        "room_id": "!wave",
        "room_name": "Équipe exposée",
        "joins": 4,
        "seconds": 60,
        "joiners": ["@raid0:s", "@raid1:s", "@raid2:s", "@raid3:s"],
    }
    assert team_id in [request.team_id for request in await RoomSyncQueue(db).due()]
    assert len(await RoomGuard(db).joins_since(start, "!wave")) == 6

    # Switched off in that room: no lockdown however many come.
    await RoomGuard(db).switch("!calm", "join_wave", enabled=False, set_by="@mod:s")
    for number in range(6):
        assert not await guard.joined(
            calm, f"@fast{number}:s", joined_at=start + 200_000 + number, event_id=f"$f{number}"
        )
    assert await RoomGuard(db).lockdown("!calm") is None
