"""What every transport shares: the :class:`Mailer` protocol, its error, and the message."""

from __future__ import annotations

import email.utils
from email.message import EmailMessage
from typing import Protocol


class MailError(Exception):
    """A message could not be handed over; the text says why, without the message's content."""


class Mailer(Protocol):
    """Sends one message to one recipient."""

    async def send(self, to: str, subject: str, text: str, html: str | None = None) -> None:
        """Send ``text`` (and ``html`` as an alternative part, if given) to ``to``.

        Raises:
            MailError: The message was not handed over (server unreachable, refused, timeout,
                folder not writable).
        """
        ...


def build_message(
    sender: str,
    to: str,
    subject: str,
    text: str,
    html: str | None = None,
    *,
    readable: bool = False,
) -> EmailMessage:
    """An RFC 5322 message, UTF-8, with ``Date`` and a ``Message-ID`` on the sender's domain.

    With ``readable``, the body is kept as plain UTF-8 (8bit) rather than quoted-printable, so that
    ``cat`` shows it as written: for files, not for SMTP.

    Raises:
        MailError: ``sender`` or ``to`` is not a usable address (e.g. holds a line break).
    """
    message = EmailMessage()
    try:
        message["From"] = sender
        message["To"] = to
        message["Subject"] = subject
    except (ValueError, IndexError) as error:  # the header registry refuses line breaks
        raise MailError(f"invalid address or subject ({error})") from None
    message["Date"] = email.utils.formatdate(localtime=False, usegmt=True)
    domain = email.utils.parseaddr(sender)[1].rpartition("@")[2] or "localhost"
    message["Message-ID"] = email.utils.make_msgid(domain=domain)
    cte = "8bit" if readable else None
    message.set_content(text, cte=cte)
    if html is not None:
        message.add_alternative(html, subtype="html", cte=cte)
    return message
