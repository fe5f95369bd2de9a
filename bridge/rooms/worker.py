"""Works through the room projection outbox: each requested team's room is brought up to date.

Requests written by this process wake the worker at once; those written by other processes (the
bots, the CLI) are found by polling, every :data:`POLL_SECONDS`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from bridge.db.room_sync import RoomSyncQueue

from .projector import TeamRoomProjector

log = logging.getLogger("bridge.rooms.worker")

POLL_SECONDS = 0.5
BATCH = 20


class RoomSyncWorker:
    """A background task draining :class:`RoomSyncQueue` through a :class:`TeamRoomProjector`."""

    def __init__(self, queue: RoomSyncQueue, projector: TeamRoomProjector) -> None:
        self.queue = queue
        self.projector = projector
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="room-sync")

    def wake(self) -> None:
        self._wake.set()

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def run_once(self) -> int:
        """Carry out the due requests; returns how many were handled."""
        requests = await self.queue.due(BATCH)
        for request in requests:
            try:
                fixes = await self.projector.sync(request.team_id)
            except Exception as error:
                log.warning("Room sync of team %s failed: %s", request.team_id, error)
                await self.queue.failed(request, f"{type(error).__name__}: {error}")
                continue
            for fix in fixes:
                log.info("Team %s: %s", request.team_id, fix)
            await self.queue.done(request)
        return len(requests)

    async def _run(self) -> None:
        while True:
            try:
                handled = await self.run_once()
            except Exception:
                log.exception("Room sync loop failed; retrying")
                handled = 0
            if handled:
                continue
            self._wake.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), POLL_SECONDS)
