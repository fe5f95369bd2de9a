"""The moderation repositories on both engines: actions in order, rules and the bans they
caused, the join log and join waves."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from mautrix.util.async_db import Database

from bridge.db import create_database
from bridge.db.moderation_actions import ActionKind, ActionQueue, ActionRequest
from bridge.db.policy import PolicyStore, RoomPurpose
from bridge.domain.moderation.policy import parse_rule

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
