"""A conversation with a bot through the Element-engine test client, for integration tests.

Drives ``tests/element/client.mjs --interactive`` (matrix-js-sdk + Rust crypto, a cross-signed
device, "exclude insecure devices" by default): one JSON command per line on its stdin, JSON lines
back until ``{"event": "done"}``. The protocol is described in ``tests/element/README.md``.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import shutil
import subprocess
from collections import deque
from pathlib import Path
from types import TracebackType
from typing import Any, Literal, Self

ELEMENT_DIR = Path(__file__).resolve().parents[1] / "element"
CLIENT = ELEMENT_DIR / "client.mjs"

Line = dict[str, Any]
"""One JSON line printed by the client, e.g. ``{"event": "reply", "body": ...}``."""


class ElementClientError(RuntimeError):
    """The Element-engine client failed a step; the message carries its output and stderr."""


def install_element_client() -> Path:
    """Return the client script, after installing its npm dependencies from the lock file if
    they are missing."""
    if shutil.which("node") is None:
        raise ElementClientError("Node.js is required for the Element-engine client")
    if not (ELEMENT_DIR / "node_modules" / "matrix-js-sdk").exists():
        subprocess.run(
            ["npm", "ci", "--no-audit", "--no-fund", "--prefix", str(ELEMENT_DIR)],
            check=True,
            capture_output=True,
        )
    return CLIENT


class ElementConversation:
    """An encrypted DM with ``bot``, opened by a fresh Element-engine device of ``user``.

    Use as ``async with ElementConversation(...) as conv``: entering logs in, bootstraps
    cross-signing, creates the DM and waits for the bot's greeting (see :attr:`greeting`);
    leaving quits the client (and kills it if it does not exit in time).

    Bot messages are returned as the client's ``reply`` lines (``body``, ``formatted_body``,
    ``msgtype``, ``in_reply_to``, ``decrypted``...) or ``utd`` lines for undecryptable ones.

    Args:
        isolation: ``"signed"`` is Element's "exclude insecure devices"
            (``OnlySignedDevicesIsolationMode``), ``"all"`` trusts every device.
        greeting_count: how many bot messages to await once the bot has joined the DM (default:
            1, the welcome bot's greeting; 0 for a bot that does not greet).
        room: talk with the bot in this room (joined, accepting its invite) instead of a new DM.
        reply_timeout: seconds to wait for the bot's messages at each step.
        step_timeout: seconds after which the client gives up on a step and exits.
    """

    def __init__(
        self,
        homeserver: str,
        user: str,
        password: str,
        bot: str,
        *,
        isolation: Literal["signed", "all"] = "signed",
        greeting_count: int | None = None,
        room: str | None = None,
        reply_timeout: float = 30,
        step_timeout: float = 120,
    ) -> None:
        self.args = [
            "--interactive",
            *("--homeserver", homeserver, "--user", user, "--bot", bot),
            *("--isolation", isolation, "--reply-timeout", str(reply_timeout)),
            *("--timeout", str(step_timeout)),
            *(() if greeting_count is None else ("--greeting", str(greeting_count))),
            *(() if room is None else ("--room", room)),
        ]
        self.password = password
        self.step_timeout = step_timeout
        self.setup: list[Line] = []
        self.greeting: list[Line] = []
        self.room_id = ""
        self.last_sent_event_id: str | None = None
        self._process: asyncio.subprocess.Process | None = None
        self._stderr: deque[str] = deque(maxlen=60)
        self._stderr_reader: asyncio.Task[None] | None = None

    async def __aenter__(self) -> Self:
        self._process = await asyncio.create_subprocess_exec(
            "node",
            str(CLIENT),
            *self.args,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            env={**os.environ, "ELEMENT_CLIENT_PASSWORD": self.password},
            limit=2**20,  # one JSON line per message: allow long ones
        )
        self._stderr_reader = asyncio.create_task(self._read_stderr())
        try:
            self.setup, done = await self._read_step("setup")
        except BaseException:
            with contextlib.suppress(ElementClientError):
                await self.close()
            raise
        self.greeting = _messages(self.setup)
        self.room_id = str(done["room_id"])
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if exc is None:
            await self.close()
        else:  # the test's own failure is the one to report
            with contextlib.suppress(ElementClientError):
                await self.close()

    async def send(self, text: str, expect: int = 1) -> list[Line]:
        """Send ``text`` and return the bot's next ``expect`` messages (``reply``/``utd`` lines,
        preceded by any that arrived unasked since the last step, marked ``queued``)."""
        lines, done = await self._step({"send": text, "expect": expect})
        self.last_sent_event_id = done.get("sent_event_id")
        return _messages(lines)

    async def wait(self, n: int) -> list[Line]:
        """Return the bot's next ``n`` messages, already arrived or not, without sending."""
        lines, _ = await self._step({"wait": n})
        return _messages(lines)

    async def invites(self, expect: int = 0) -> list[Line]:
        """The rooms the user is invited to (``room_id``, ``name``, ``inviter``), once there are at
        least ``expect`` of them."""
        lines, _ = await self._step({"invites": True, "expect": expect})
        return [room for line in lines if line["event"] == "invites" for room in line["rooms"]]

    async def join(self, room_id: str) -> None:
        """Join ``room_id`` (accepting its invite)."""
        await self._step({"join": room_id})

    async def close(self) -> None:
        """Quit the client; kill it if it has not exited within 15 s."""
        process = self._process
        if process is None:
            return
        self._process = None
        code: int | None = None
        try:
            if process.returncode is None and process.stdin is not None:
                with contextlib.suppress(ConnectionError):
                    process.stdin.write(b'{"quit": true}\n')
                    await process.stdin.drain()
                    process.stdin.close()
            try:
                code = await asyncio.wait_for(process.wait(), 15)
            except TimeoutError:
                process.kill()
                await process.wait()
        finally:
            if self._stderr_reader is not None:
                await self._stderr_reader
        if code is None:
            raise ElementClientError(f"the client did not quit; killed{self._stderr_tail()}")
        if code != 0:
            raise ElementClientError(f"the client exited with {code}{self._stderr_tail()}")

    async def _step(self, command: Line) -> tuple[list[Line], Line]:
        process = self._require_process()
        assert process.stdin is not None
        process.stdin.write(json.dumps(command).encode() + b"\n")
        await process.stdin.drain()
        return await self._read_step(command)

    async def _read_step(self, what: object) -> tuple[list[Line], Line]:
        """The lines the client printed for one step, and its ``done`` line; raises if the step
        failed, the client died, or it took longer than the step timeout."""
        stdout = self._require_process().stdout
        assert stdout is not None
        lines: list[Line] = []
        problem = "failed"
        try:
            async with asyncio.timeout(self.step_timeout + 10):
                while raw := await stdout.readline():
                    line: Line = json.loads(raw)
                    if line["event"] != "done":
                        lines.append(line)
                    elif line["ok"]:
                        return lines, line
                    else:
                        break
                else:
                    problem = "failed: the client exited"
                    if self._stderr_reader is not None:  # let its last words arrive
                        await asyncio.wait([self._stderr_reader], timeout=5)
        except TimeoutError:
            problem = "timed out"
        raise ElementClientError(f"{what!r} {problem}: {lines}{self._stderr_tail()}")

    def _require_process(self) -> asyncio.subprocess.Process:
        if self._process is None:
            raise ElementClientError("the conversation is not open")
        return self._process

    async def _read_stderr(self) -> None:
        # Always drained, so that a verbose client (ELEMENT_CLIENT_LOG=debug) never blocks on it.
        stream = self._process.stderr if self._process else None
        assert stream is not None
        while raw := await stream.readline():
            self._stderr.append(raw.decode(errors="replace").rstrip())

    def _stderr_tail(self) -> str:
        return "\nclient stderr (tail):\n" + "\n".join(self._stderr) if self._stderr else ""


def _messages(lines: list[Line]) -> list[Line]:
    return [line for line in lines if line["event"] in {"reply", "utd"}]
