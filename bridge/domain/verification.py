"""Proving an email address: a 6-digit code sent by mail, typed back to the welcome bot.

A user has at most one pending code; asking again replaces it. Only a salted HMAC of the code is
stored, compared in constant time. A code is valid ``code_ttl_minutes`` and dies after
``max_attempts`` wrong tries (counted by the database, so concurrent tries cannot exceed it).
Sending is limited per user and per address within an hour, counted from the sending log.

A send the mailer reports as failed leaves no code and is not counted against the limits: nobody
received anything, and an outage of the mail server must not lock people out for an hour. (The
per-user limit still bounds how many mails one account can make us send.)
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import math
import re
import secrets
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from bridge.db.verification import PendingCode, SendLimits, VerificationRepository
from ralliement.config_schema import JoiningConfig
from ralliement.mail import Mailer, MailError, code_mail

from .errors import DomainError
from .supporter_input import normalise_email

log = logging.getLogger("bridge.verification")

CODE_DIGITS = 6
HOUR_MS = 3600 * 1000

# Message keys of the refusals, for the bots' translations.
INVALID_EMAIL = "verification.invalid_email"
RATE_LIMITED = "verification.rate_limited"  # minutes: until a code may be asked again
SEND_FAILED = "verification.send_failed"
NONE_PENDING = "verification.none_pending"
EXPIRED = "verification.expired"
CODE_FORMAT = "verification.code_format"  # digits: how many a code has; no try is counted
WRONG_CODE = "verification.wrong_code"  # attempts_left: wrong tries before the code dies
TOO_MANY_ATTEMPTS = "verification.too_many_attempts"

_SEPARATORS = re.compile(r"[\s\-‐‑‒–—_.]+")
_CODE = re.compile(rf"[0-9]{{{CODE_DIGITS}}}")


class VerificationError(DomainError):
    """A verification request the rules refuse."""


def _utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class VerificationSettings:
    """The rules of the codes (the ``joining`` section of the configuration)."""

    code_ttl_minutes: int = 15
    max_attempts: int = 5
    codes_per_user_per_hour: int = 3
    codes_per_address_per_hour: int = 3

    @classmethod
    def from_config(cls, joining: JoiningConfig) -> VerificationSettings:
        return cls(
            code_ttl_minutes=joining.code_ttl_minutes,
            max_attempts=joining.max_attempts,
            codes_per_user_per_hour=joining.codes_per_user_per_hour,
            codes_per_address_per_hour=joining.codes_per_address_per_hour,
        )


def new_code() -> str:
    """Six random digits from :mod:`secrets`, leading zeros included."""
    return f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"


def hash_code(code: str, salt: bytes | None = None) -> str:
    """``<salt hex>$<HMAC-SHA256(salt, code) hex>``, with a fresh 16-byte salt by default."""
    salt = secrets.token_bytes(16) if salt is None else salt
    digest = hmac.new(salt, code.encode("ascii"), hashlib.sha256).hexdigest()
    return f"{salt.hex()}${digest}"


def code_matches(code: str, stored: str) -> bool:
    """Whether ``code`` is the one hashed in ``stored``; constant time."""
    salt_hex, _, _digest = stored.partition("$")
    try:
        salt = bytes.fromhex(salt_hex)
    except ValueError:
        return False
    return hmac.compare_digest(hash_code(code, salt), stored)


def normalise_code(text: str) -> str | None:
    """The code typed in ``text`` ("123 456", "123-456", full-width digits), or None when it is
    not six digits."""
    compact = _SEPARATORS.sub("", unicodedata.normalize("NFKC", text))
    return compact if _CODE.fullmatch(compact) else None


class VerificationService:
    """Sends codes and checks them.

    Args:
        repository: The codes and the sending log.
        mailer: How the code reaches the person.
        settings: Validity, tries and rate limits.
        clock: The current instant, aware (tests pass a fixed or moving one).
    """

    def __init__(
        self,
        repository: VerificationRepository,
        mailer: Mailer,
        settings: VerificationSettings,
        *,
        clock: Callable[[], datetime] = _utc_now,
    ) -> None:
        self.repository = repository
        self.mailer = mailer
        self.settings = settings
        self.clock = clock

    def _now_ms(self) -> int:
        return int(self.clock().timestamp() * 1000)

    async def start(self, user_id: str, email: str, language: str) -> None:
        """Mail a new code to ``email`` for ``user_id``, replacing any pending one.

        Args:
            user_id: The Matrix user proving the address.
            email: The address, as typed (it is trimmed and lower-cased).
            language: "fr" or "en", for the mail (French otherwise).

        Raises:
            VerificationError: ``verification.invalid_email``; ``verification.rate_limited``
                (``minutes``: until a code may be asked again); ``verification.send_failed``
                (nothing was kept: the person may ask again).
        """
        try:
            address = normalise_email(email)
        except DomainError:
            raise VerificationError(INVALID_EMAIL) from None
        rules = self.settings
        now = self._now_ms()
        code = new_code()
        pending = PendingCode(
            user_id=user_id,
            email=address,
            code_hash=hash_code(code),
            created_at=now,
            expires_at=now + rules.code_ttl_minutes * 60_000,
            attempts=0,
        )
        limits = SendLimits(
            HOUR_MS, rules.codes_per_user_per_hour, rules.codes_per_address_per_hour
        )
        wait_ms = await self.repository.record_send(pending, limits)
        if wait_ms is not None:
            raise VerificationError(RATE_LIMITED, minutes=max(1, math.ceil(wait_ms / 60_000)))
        subject, text = code_mail(code, rules.code_ttl_minutes, language)
        try:
            await self.mailer.send(address, subject, text)
        except MailError as error:
            log.warning("Could not mail a verification code for %s: %s", user_id, error)
            await self.repository.undo_send(pending)
            raise VerificationError(SEND_FAILED) from error
        log.info("Verification code mailed for %s", user_id)

    async def check(self, user_id: str, code: str) -> str:
        """Check the code ``user_id`` typed; on success the code is used up.

        Args:
            user_id: The Matrix user.
            code: As typed: spaces and dashes between the digits are fine.

        Returns:
            The verified address (trimmed, lower case).

        Raises:
            VerificationError: ``verification.none_pending``; ``verification.expired``;
                ``verification.too_many_attempts`` (the code is dead: ask a new one);
                ``verification.code_format`` (``digits``; not six digits: no try counted);
                ``verification.wrong_code`` (``attempts_left`` > 0).
        """
        rules = self.settings
        pending = await self.repository.pending(user_id)
        if pending is None:
            raise VerificationError(NONE_PENDING)
        now = self._now_ms()
        if now >= pending.expires_at:
            raise VerificationError(EXPIRED)
        if pending.attempts >= rules.max_attempts:
            raise VerificationError(TOO_MANY_ATTEMPTS)
        typed = normalise_code(code)
        if typed is None:
            raise VerificationError(CODE_FORMAT, digits=CODE_DIGITS)
        if code_matches(typed, pending.code_hash):
            email = await self.repository.consume(
                user_id, pending.code_hash, rules.max_attempts, now
            )
            if email is None:  # used, replaced or killed since it was read
                return await self._refusal_after_race(user_id, pending.code_hash)
            log.info("Email verified for %s", user_id)
            return email
        attempts = await self.repository.count_wrong_attempt(
            user_id, pending.code_hash, rules.max_attempts
        )
        if attempts is None:
            return await self._refusal_after_race(user_id, pending.code_hash)
        left = rules.max_attempts - attempts
        if left <= 0:
            raise VerificationError(TOO_MANY_ATTEMPTS)
        raise VerificationError(WRONG_CODE, attempts_left=left)

    async def _refusal_after_race(self, user_id: str, code_hash: str) -> str:
        """The refusal when the pending code changed between reading and writing it."""
        pending = await self.repository.pending(user_id)
        if pending is None:
            raise VerificationError(NONE_PENDING)
        left = self.settings.max_attempts - pending.attempts
        if left <= 0:
            raise VerificationError(TOO_MANY_ATTEMPTS)
        if pending.code_hash != code_hash:  # a new code was asked meanwhile: this one is gone
            raise VerificationError(WRONG_CODE, attempts_left=left)
        raise VerificationError(EXPIRED)

    async def cancel(self, user_id: str) -> None:
        """Drop the pending code of ``user_id``, if any."""
        await self.repository.cancel(user_id)
