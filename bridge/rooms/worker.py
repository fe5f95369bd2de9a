"""Works through the room projection outbox: each requested team's room is brought up to date.

Requests written by this process wake the worker at once; those written by other processes (the
bots, the CLI) are found by polling, every :data:`POLL_SECONDS`.
"""

from __future__ import annotations

import logging

from bridge.db.room_sync import RoomSyncQueue
from bridge.outbox_worker import OutboxWorker

from .projector import TeamRoomProjector

log = logging.getLogger("bridge.rooms.worker")

POLL_SECONDS = 0.5
BATCH = 20


class RoomSyncWorker(OutboxWorker):
    """A background task draining :class:`RoomSyncQueue` through a :class:`TeamRoomProjector`."""

    task_name = "room-sync"
    poll_seconds = POLL_SECONDS

    def __init__(self, queue: RoomSyncQueue, projector: TeamRoomProjector) -> None:
        super().__init__(log)
        self.queue = queue
        self.projector = projector

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
