"""A real SMTP server for tests (aiosmtpd), keeping every mail it receives."""

from __future__ import annotations

import asyncio
import re
import time
from email import message_from_bytes
from email.message import Message
from email.policy import default
from typing import Any

from aiosmtpd.controller import Controller

from ralliement.devstack.stack import free_port


class MailCatcher:
    """The aiosmtpd handler: stores each delivered message."""

    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(message_from_bytes(envelope.content, policy=default))
        return "250 OK"

    def to(self, address: str) -> list[Message]:
        return [m for m in self.messages if address.lower() in str(m["To"]).lower()]

    async def code_for(self, address: str, *, after: int = 0, timeout: float = 30) -> str:
        """The 6-digit code of the first mail to ``address`` beyond the ``after`` first ones."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            mails = self.to(address)
            if len(mails) > after:
                body = mails[after].get_body(preferencelist=("plain",))
                assert body is not None
                match = re.search(r"\b(\d{3}) ?(\d{3})\b", body.get_content())
                assert match, body.get_content()
                return match.group(1) + match.group(2)
            await asyncio.sleep(0.1)
        raise AssertionError(f"no mail to {address} after {timeout} s")


class SmtpServer:
    def __init__(self) -> None:
        self.catcher = MailCatcher()
        self.port = free_port()
        self.controller = Controller(self.catcher, hostname="127.0.0.1", port=self.port)

    def start(self) -> None:
        self.controller.start()

    def stop(self) -> None:
        self.controller.stop()

    def config(self) -> dict[str, Any]:
        """The ``mail`` section sending through this server."""
        return {
            "transport": "smtp",
            "host": "127.0.0.1",
            "port": self.port,
            "security": "none",
            "from_address": "Ralliement <noreply@ralliement.test>",
        }
