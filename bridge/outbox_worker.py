"""The loop every outbox worker of the appservice runs: drain what is due, then sleep until woken
(rows written by this process) or until the next poll (rows written by other processes)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from abc import ABC, abstractmethod


class OutboxWorker(ABC):
    """``start()`` a background task calling :meth:`run_once` while it finds work; ``wake()``
    after writing a row; ``stop()`` cancels it."""

    #: Name of the background task (and what the logs call it).
    task_name = "outbox"
    #: How often rows written by other processes are looked for.
    poll_seconds = 0.5
    #: Pause after the loop itself failed (e.g. the database is unreachable).
    failure_pause_seconds = 1.0

    def __init__(self, log: logging.Logger) -> None:
        self.log = log
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    @abstractmethod
    async def run_once(self) -> int:
        """Work through what is due now; returns how much was handled (0: nothing was due)."""

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name=self.task_name)

    def wake(self) -> None:
        self._wake.set()

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _run(self) -> None:
        while True:
            try:
                handled = await self.run_once()
            except Exception:
                self.log.exception("The %s loop failed; retrying", self.task_name)
                handled = 0
                await asyncio.sleep(self.failure_pause_seconds)
            if handled:
                continue
            self._wake.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self.poll_seconds)
