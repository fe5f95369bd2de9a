"""The mailer the ``mail`` section of the configuration asks for."""

from __future__ import annotations

import email.utils
import logging
from typing import cast

from ralliement.config import Config

from .base import Mailer
from .outbox import OutboxMailer
from .smtp import Security, SmtpMailer

log = logging.getLogger("ralliement.mail")


def sender_address(config: Config) -> str:
    """``mail.from_address``, or for the outbox without one, the campaign's name at no-reply."""
    if config.mail.from_address:
        return config.mail.from_address
    return email.utils.formataddr((config.campaign.name, f"noreply@{config.homeserver.domain}"))


def mailer_from_config(config: Config) -> Mailer:
    """An :class:`SmtpMailer` or an :class:`OutboxMailer`, from ``mail.transport``."""
    mail = config.mail
    sender = sender_address(config)
    if mail.transport == "smtp":
        return SmtpMailer(
            mail.host,
            mail.port,
            sender,
            security=cast(Security, mail.security),
            username=mail.username or None,
            password=mail.password or None,
            timeout_s=mail.timeout_s,
        )
    log.warning(
        "mail.transport is outbox: mails are written to %s, not sent — set mail.transport: smtp "
        "to send them",
        mail.outbox_dir,
    )
    return OutboxMailer(mail.outbox_dir, sender)
