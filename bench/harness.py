"""What every benchmark against a real stack shares: progress lines, a fresh temp folder, the
stack started in it, and everything stopped whatever happens (the folder is kept, with its logs,
when the run went wrong or ``keep`` asks for it)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import shutil
import signal
import sys
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path
from types import TracebackType
from typing import Any

from ralliement.devstack.stack import DevStack, StackInfo, free_port


def progress(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def run_stack_bench(name: str, bench: Callable[[], Awaitable[int]]) -> int:
    """Run ``bench`` (which prints its figures and returns the exit status) with warnings logged
    to stderr; Ctrl-C or SIGTERM cancel it, which stops its stack, and exit with 130."""
    logging.basicConfig(
        level=logging.WARNING,
        stream=sys.stderr,
        format="%(asctime)s %(name)s %(levelname)s %(message)s",
    )

    async def cancellable() -> int:
        task = asyncio.current_task()
        assert task is not None
        asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, task.cancel)
        return await bench()

    try:
        return asyncio.run(cancellable())
    except (KeyboardInterrupt, asyncio.CancelledError):
        print(f"bench.{name}: interrupted; the stack was stopped", file=sys.stderr)
        return 130


class BenchRun:
    """``async with BenchRun(keep) as run:`` a temp folder, ``run.resources`` (closed in reverse
    order, each even when an earlier one raises) and :meth:`start_stack`. Set ``run.clean`` once
    the run succeeded, or its folder is kept for the logs."""

    def __init__(self, keep: bool) -> None:
        self.keep = keep
        self.clean = False
        self.data_dir = Path(tempfile.mkdtemp(prefix="ralliement-bench-"))
        self.resources = contextlib.AsyncExitStack()

    async def __aenter__(self) -> BenchRun:
        await self.resources.__aenter__()
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        try:
            await self.resources.__aexit__(kind, error, trace)
        finally:
            if self.clean and not self.keep:
                shutil.rmtree(self.data_dir, ignore_errors=True)
            else:
                folder = self.data_dir
                progress(f"data folder kept: {folder} (logs in {folder / 'stack' / 'logs'})")

    async def start_stack(
        self,
        what: str = "Synapse, the appservice and the bots",
        overrides: Callable[[Path, int], dict[str, Any]] | None = None,
    ) -> tuple[DevStack, StackInfo, str]:
        """Start a stack in ``<folder>/stack`` (stopped when the run ends); returns it, its
        info and the homeserver's registration secret."""
        folder, port = self.data_dir / "stack", free_port()
        stack = DevStack(
            folder, port=port, config_overrides=overrides(folder, port) if overrides else {}
        )
        self.resources.push_async_callback(stack.stop)
        progress(f"starting {what} in {self.data_dir} ...")
        info = await stack.start()
        assert stack.synapse is not None
        return stack, info, stack.synapse.setup.secrets.registration_shared_secret
