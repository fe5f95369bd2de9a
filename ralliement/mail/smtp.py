"""Mail handed to an SMTP server (aiosmtplib): STARTTLS, TLS from the first byte, or plain."""

from __future__ import annotations

import logging
import ssl
from typing import Literal

import aiosmtplib

from .base import MailError, build_message

log = logging.getLogger("ralliement.mail")

Security = Literal["starttls", "tls", "none"]


class SmtpMailer:
    """Sends each message in its own SMTP session.

    Args:
        host: The SMTP server's host name.
        port: Its port (usually 587 with STARTTLS, 465 with TLS, 25 without).
        sender: The ``From`` address, e.g. "Ralliement <noreply@example.org>".
        security: "starttls" (the server must offer STARTTLS), "tls" (TLS from the first byte)
            or "none" (plain text: only for a relay on the same machine or network).
        username: Authenticates with it (and ``password``) when set.
        password: Never logged, never part of an error message.
        timeout_s: For connecting, and for each reply of the server.
        tls_context: Certificate checks (default: the system's trusted authorities).
    """

    def __init__(
        self,
        host: str,
        port: int,
        sender: str,
        *,
        security: Security = "starttls",
        username: str | None = None,
        password: str | None = None,
        timeout_s: float = 30.0,
        tls_context: ssl.SSLContext | None = None,
    ) -> None:
        self.host = host
        self.port = port
        self.sender = sender
        self.security = security
        self.username = username or None
        self._password = password
        self.timeout_s = timeout_s
        self._tls_context = tls_context

    def __repr__(self) -> str:
        return (
            f"SmtpMailer(host={self.host!r}, port={self.port}, security={self.security!r}, "
            f"username={self.username!r})"
        )

    async def send(self, to: str, subject: str, text: str, html: str | None = None) -> None:
        message = build_message(self.sender, to, subject, text, html)
        where = f"{self.host}:{self.port}"
        try:
            await aiosmtplib.send(
                message,
                hostname=self.host,
                port=self.port,
                username=self.username,
                password=self._password if self.username else None,
                use_tls=self.security == "tls",
                start_tls=self.security == "starttls",
                timeout=self.timeout_s,
                tls_context=self._tls_context,
            )
        except aiosmtplib.SMTPAuthenticationError as error:
            raise MailError(
                f"the SMTP server {where} refused the login of {self.username!r} "
                f"({error.code} {error.message}) — check mail.username and mail.password"
            ) from None
        except aiosmtplib.SMTPRecipientsRefused as error:
            reasons = "; ".join(f"{e.code} {e.message}" for e in error.recipients)
            raise MailError(f"the SMTP server {where} refused the recipient ({reasons})") from None
        except aiosmtplib.SMTPResponseException as error:
            raise MailError(
                f"the SMTP server {where} refused the message ({error.code} {error.message})"
            ) from None
        except aiosmtplib.SMTPTimeoutError:
            raise MailError(
                f"the SMTP server {where} did not answer within {self.timeout_s:g} s"
            ) from None
        except aiosmtplib.SMTPConnectError as error:
            raise MailError(
                f"cannot connect to the SMTP server {where} ({error}) — check mail.host, "
                "mail.port and mail.security"
            ) from None
        except aiosmtplib.SMTPException as error:
            raise MailError(f"SMTP error with {where} ({error}) — check mail.security") from None
        except (ssl.SSLError, OSError) as error:
            raise MailError(f"cannot talk to the SMTP server {where} ({error})") from None
        log.debug("Mail handed to %s", where)
