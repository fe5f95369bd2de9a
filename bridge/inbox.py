"""Processes the durable inbox in order, after the transaction that brought the events was acked.

Handlers run one event at a time in arrival order. An event whose handler raises is retried with
backoff, then parked as failed with its error, so one bad event never blocks the others forever and
nothing is silently dropped.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

from mautrix.types import Event, EventType, SerializerError

from .db.inbox import InboxEvent, InboxRepository

log = logging.getLogger("bridge.inbox")

EventHandler = Callable[[Event], Awaitable[None]]

MAX_ATTEMPTS = 5
RETRY_BASE_MS = 1_000


class InboxProcessor:
    """Runs the handlers over stored events; ``wake()`` after storing new ones."""

    def __init__(self, repository: InboxRepository, handlers: list[EventHandler]) -> None:
        self.repository = repository
        self.handlers = handlers
        self._wakeup = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def wake(self) -> None:
        self._wakeup.set()

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="bridge-inbox")

    async def stop(self) -> None:
        if self._task:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _run(self) -> None:
        while True:
            try:
                processed = await self.process_pending()
            except Exception:
                log.exception("Inbox processing failed; retrying in 5 s")
                processed = 0
                await asyncio.sleep(5)
            if processed:
                continue
            self._wakeup.clear()
            # Wake up on new events, or periodically for events waiting for a retry.
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wakeup.wait(), timeout=RETRY_BASE_MS / 1000)

    async def process_pending(self) -> int:
        """Process every event that is due; returns how many were looked at."""
        batch = await self.repository.next_batch()
        for stored in batch:
            await self._process(stored)
        return len(batch)

    async def _process(self, stored: InboxEvent) -> None:
        try:
            event = Event.deserialize(_with_prev_content(stored.raw))
        except SerializerError as error:
            log.warning("Event %s cannot be parsed, parked: %s", stored.event_id, error)
            await self.repository.mark_failed(stored.seq, f"unparseable: {error}")
            return
        is_state = getattr(event, "state_key", None) is not None
        event.type = event.type.with_class(
            EventType.Class.STATE if is_state else EventType.Class.MESSAGE
        )
        try:
            for handler in self.handlers:
                await handler(event)
        except Exception as error:
            attempt = stored.attempts + 1
            if attempt >= MAX_ATTEMPTS:
                log.exception("Event %s failed %d times, parked", stored.event_id, attempt)
                await self.repository.mark_failed(stored.seq, repr(error))
            else:
                delay = RETRY_BASE_MS * 2 ** (attempt - 1)
                log.warning("Event %s failed (%r), retry in %d ms", stored.event_id, error, delay)
                await self.repository.mark_retry(stored.seq, repr(error), delay)
            return
        await self.repository.mark_processed(stored.seq)


def _with_prev_content(raw: dict) -> dict:
    """mautrix expects ``prev_content`` under ``unsigned`` (older servers put it at top level)."""
    if "prev_content" in raw and "prev_content" not in raw.get("unsigned", {}):
        raw = {**raw, "unsigned": {**raw.get("unsigned", {}), "prev_content": raw["prev_content"]}}
    return raw
