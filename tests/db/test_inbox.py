"""The appservice's durable inbox: stored before acked, processed once, replays change nothing.

Drives the real aiohttp door of the appservice (no homeserver needed) on both database engines.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from aiohttp.test_utils import TestClient, TestServer
from mautrix.types import Event

from bridge.appservice import DurableAppService
from bridge.db import create_database
from bridge.db.inbox import InboxRepository
from bridge.inbox import InboxProcessor

HS_TOKEN = "hs-secret-token"
AUTH = {"Authorization": f"Bearer {HS_TOKEN}"}


def message(event_id: str, body: str = "hello") -> dict:
    return {
        "event_id": event_id,
        "room_id": "!room:localhost",
        "sender": "@alice:localhost",
        "type": "m.room.message",
        "origin_server_ts": 1,
        "content": {"msgtype": "m.text", "body": body},
    }


@dataclass
class Recorder:
    seen: list[str] = field(default_factory=list)
    fail_times: int = 0

    async def __call__(self, event: Event) -> None:
        if self.fail_times:
            self.fail_times -= 1
            raise RuntimeError("handler crashed")
        self.seen.append(event.event_id)


@dataclass
class RunningAppservice:
    http: TestClient
    repository: InboxRepository
    processor: InboxProcessor


@asynccontextmanager
async def appservice(database_url: str, recorder: Recorder) -> AsyncIterator[RunningAppservice]:
    """One appservice process lifetime: its own database pool and web server."""
    db = create_database(database_url)
    await db.start()
    repository = InboxRepository(db)
    processor = InboxProcessor(repository, handlers=[recorder])
    az = DurableAppService(
        server="http://127.0.0.1:9",
        domain="localhost",
        as_token="as",
        hs_token=HS_TOKEN,
        bot_localpart="ralliement",
        id="ralliement",
        inbox=repository,
        on_stored=processor.wake,
    )
    async with TestClient(TestServer(az.app)) as http:
        try:
            yield RunningAppservice(http, repository, processor)
        finally:
            await db.stop()


async def put(http: TestClient, txn: str, events: list[dict], headers: dict | None = None) -> int:
    response = await http.put(
        f"/_matrix/app/v1/transactions/{txn}",
        json={"events": events},
        headers=AUTH if headers is None else headers,
    )
    return response.status


async def test_transaction_is_stored_then_processed_once(database_url: str) -> None:
    recorder = Recorder()
    async with appservice(database_url, recorder) as running:
        assert await put(running.http, "t1", [message("$a"), message("$b")]) == 200
        assert recorder.seen == []  # acked before processing: stored, not yet handled
        assert await running.repository.counts() == {"pending": 2, "processed": 0, "failed": 0}
        await running.processor.process_pending()
        assert recorder.seen == ["$a", "$b"]


async def test_replays_after_a_restart_change_nothing(database_url: str) -> None:
    recorder = Recorder()
    async with appservice(database_url, recorder) as running:
        assert await put(running.http, "t1", [message("$a")]) == 200
        # Crash before processing: nothing handled yet.
    async with appservice(database_url, recorder) as restarted:
        # The homeserver retries the same transaction, then sends the event again in another one.
        assert await put(restarted.http, "t1", [message("$a")]) == 200
        assert await put(restarted.http, "t2", [message("$a"), message("$c")]) == 200
        await restarted.processor.process_pending()
        await restarted.processor.process_pending()
        assert recorder.seen == ["$a", "$c"]
        assert await restarted.repository.counts() == {"pending": 0, "processed": 2, "failed": 0}


async def test_failing_handler_is_retried_then_succeeds(database_url: str) -> None:
    recorder = Recorder(fail_times=1)
    async with appservice(database_url, recorder) as running:
        assert await put(running.http, "t1", [message("$a")]) == 200
        await running.processor.process_pending()
        assert recorder.seen == []
        await running.repository.db.execute("UPDATE inbox_event SET next_try_at = 0")
        await running.processor.process_pending()
        assert recorder.seen == ["$a"]
        row = await running.repository.db.fetchrow(
            "SELECT attempts, last_error FROM inbox_event WHERE event_id = '$a'"
        )
        assert row["attempts"] == 2
        assert "handler crashed" in row["last_error"]


async def test_requests_without_the_hs_token_are_rejected(database_url: str) -> None:
    recorder = Recorder()
    async with appservice(database_url, recorder) as running:
        missing = await running.http.put(
            "/_matrix/app/v1/transactions/t1", json={"events": [message("$a")]}
        )
        assert missing.status == 401
        assert (await missing.json())["errcode"] == "M_UNAUTHORIZED"
        wrong = await put(
            running.http, "t1", [message("$a")], headers={"Authorization": "Bearer hs-secret-tokeX"}
        )
        assert wrong == 403
        assert await running.repository.counts() == {"pending": 0, "processed": 0, "failed": 0}
        # The rejected transaction id is still free: the real one is stored.
        assert await put(running.http, "t1", [message("$a")]) == 200


async def test_malformed_transactions_get_a_matrix_error(database_url: str) -> None:
    async with appservice(database_url, Recorder()) as running:
        response = await running.http.put(
            "/_matrix/app/v1/transactions/t1", data=b"{not json", headers=AUTH
        )
        assert response.status == 400
        assert (await response.json())["errcode"] == "M_NOT_JSON"
        assert await put(running.http, "t2", [{"no": "event id"}]) == 400
