"""Child processes of the dev stack (bridge, bots): started, awaited until ready, stopped."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import sys
from pathlib import Path
from typing import Any

from ralliement.readiness import parse_ready

log = logging.getLogger("ralliement.devstack")


class ComponentError(RuntimeError):
    """A component failed to start or died."""


class Component:
    """``python -m ralliement <command> -c <config>`` as a supervised child process."""

    def __init__(self, name: str, args: list[str], log_path: Path) -> None:
        self.name = name
        self.args = args
        self.log_path = log_path
        self.process: asyncio.subprocess.Process | None = None
        self.details: dict[str, Any] = {}
        self._ready = asyncio.Event()
        self._reader: asyncio.Task[None] | None = None

    async def start(self, timeout: float = 120.0) -> dict[str, Any]:
        """Start the child and wait for its ready line; returns the details it announced."""
        self._ready.clear()
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        log_file = await asyncio.to_thread(open, self.log_path, "ab")
        self.process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "ralliement",
            *self.args,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE,
            stderr=log_file,
            start_new_session=True,
        )
        log_file.close()
        self._reader = asyncio.create_task(self._read_stdout())
        waiter = asyncio.create_task(self._ready.wait())
        exited = asyncio.create_task(self.process.wait())
        done, _ = await asyncio.wait(
            {waiter, exited}, timeout=timeout, return_when=asyncio.FIRST_COMPLETED
        )
        waiter.cancel()
        exited.cancel()
        if waiter in done:
            return self.details
        await self.stop()
        reason = "exited" if exited in done else f"was not ready within {timeout:.0f} s"
        raise ComponentError(f"{self.name} {reason}; last log lines:\n{self.log_tail()}")

    async def _read_stdout(self) -> None:
        assert self.process is not None and self.process.stdout is not None
        async for raw in self.process.stdout:
            line = raw.decode(errors="replace").rstrip("\n")
            details = parse_ready(line)
            if details is not None:
                self.details = details
                self._ready.set()
            else:  # Components log to stderr (their log file); stdout is for the ready line.
                log.info("%s: %s", self.name, line)

    def log_tail(self, lines: int = 20) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    async def wait(self) -> int:
        assert self.process is not None
        return await self.process.wait()

    async def stop(self, timeout: float = 15.0, *, kill: bool = False) -> None:
        """SIGTERM (or SIGKILL at once with ``kill``, as a crash would), then SIGKILL if it does
        not stop in time."""
        if self.process is not None:
            await stop_process(self.process, timeout, kill=kill)
        if self._reader is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await self._reader


async def stop_process(
    process: asyncio.subprocess.Process, timeout: float, *, kill: bool = False
) -> None:
    """SIGTERM (SIGKILL with ``kill``) and wait; SIGKILL if it outlives ``timeout``."""
    if process.returncode is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        process.send_signal(signal.SIGKILL if kill else signal.SIGTERM)
    try:
        await asyncio.wait_for(process.wait(), timeout)
    except TimeoutError:
        with contextlib.suppress(ProcessLookupError):
            process.kill()
        await process.wait()
