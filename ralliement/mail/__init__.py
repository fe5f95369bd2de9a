"""Sending mail: the verification codes of people joining the campaign.

A :class:`Mailer` sends one plain-text message (optionally with an HTML part). Two transports:
:class:`SmtpMailer` hands it to an SMTP server (aiosmtplib; STARTTLS, TLS or plain, with optional
authentication), and :class:`OutboxMailer` writes it as an ``.eml`` file in a folder, for the local
dev stack and for tests. :func:`mailer_from_config` picks one from the ``mail`` section.
"""

from __future__ import annotations

from .base import Mailer, MailError, build_message
from .factory import mailer_from_config, sender_address
from .outbox import OutboxMailer
from .smtp import SmtpMailer
from .texts import code_mail

__all__ = [
    "MailError",
    "Mailer",
    "OutboxMailer",
    "SmtpMailer",
    "build_message",
    "code_mail",
    "mailer_from_config",
    "sender_address",
]
