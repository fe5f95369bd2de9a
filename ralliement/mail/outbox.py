"""Mail written to a folder instead of sent: the local dev stack's and the tests' transport."""

from __future__ import annotations

import asyncio
import os
import secrets
import tempfile
import time
from pathlib import Path

from .base import MailError, build_message


class OutboxMailer:
    """Writes each message as an RFC 5322 ``.eml`` file in ``folder`` (mode 0600).

    Files are named ``<UTC time>-<random>.eml`` so that ``ls`` lists them oldest first, and written
    atomically (a reader never sees half a message).
    """

    def __init__(self, folder: Path, sender: str) -> None:
        self.folder = folder
        self.sender = sender

    async def send(self, to: str, subject: str, text: str, html: str | None = None) -> None:
        message = build_message(self.sender, to, subject, text, html, readable=True)
        await asyncio.to_thread(self._write, message.as_bytes())

    def _write(self, data: bytes) -> Path:
        stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
        path = self.folder / f"{stamp}-{time.time_ns() % 10**9:09d}-{secrets.token_hex(3)}.eml"
        try:
            self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            fd, temporary = tempfile.mkstemp(dir=self.folder, prefix=".", suffix=".tmp")
        except OSError as error:
            raise MailError(
                f"cannot write to the outbox folder {self.folder} ({error.strerror or error})"
            ) from None
        try:
            with os.fdopen(fd, "wb") as handle:  # mkstemp creates the file with mode 0600
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temporary, path)
        except OSError as error:
            Path(temporary).unlink(missing_ok=True)
            raise MailError(
                f"cannot write to the outbox folder {self.folder} ({error.strerror or error})"
            ) from None
        return path
