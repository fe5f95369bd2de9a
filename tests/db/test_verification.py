"""Email verification codes on both engines: what the person reads in the mail and is told back."""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest

from bridge.db import create_database
from bridge.db.verification import VerificationRepository
from bridge.domain.verification import (
    CODE_FORMAT,
    EXPIRED,
    INVALID_EMAIL,
    NONE_PENDING,
    RATE_LIMITED,
    SEND_FAILED,
    TOO_MANY_ATTEMPTS,
    WRONG_CODE,
    VerificationError,
    VerificationService,
    VerificationSettings,
)
from ralliement.mail import MailError

ALICE, BOB, CAROL, DAVE = (f"@{name}:localhost" for name in ("alice", "bob", "carol", "dave"))
START = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)


@dataclass
class Mail:
    to: str
    subject: str
    text: str

    @property
    def code(self) -> str:
        match = re.search(r"^ +([0-9]{6})$", self.text, re.MULTILINE)
        assert match, self.text
        return match.group(1)


@dataclass
class CapturingMailer:
    """Keeps what it is asked to send; fails with ``MailError`` while ``failing`` is set."""

    sent: list[Mail] = field(default_factory=list)
    failing: bool = False

    async def send(self, to: str, subject: str, text: str, html: str | None = None) -> None:
        if self.failing:
            raise MailError("the SMTP server 127.0.0.1:25 did not answer within 30 s")
        self.sent.append(Mail(to, subject, text))


@dataclass
class Clock:
    now: datetime = START

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@dataclass
class Setup:
    service: VerificationService
    mailer: CapturingMailer
    clock: Clock
    repository: VerificationRepository


@pytest.fixture
async def setup(database_url: str) -> AsyncIterator[Setup]:
    db = create_database(database_url)
    await db.start()
    mailer, clock, repository = CapturingMailer(), Clock(), VerificationRepository(db)
    service = VerificationService(repository, mailer, VerificationSettings(), clock=clock)
    try:
        yield Setup(service, mailer, clock, repository)
    finally:
        await db.stop()


async def refused(key: str, coroutine: object) -> VerificationError:
    with pytest.raises(VerificationError) as error:
        await coroutine  # type: ignore[misc]
    assert error.value.key == key
    return error.value


def other_code(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


# --- The happy path -----------------------------------------------------------------


async def test_code_mailed_then_typed_back(setup: Setup, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    await setup.service.start(ALICE, "  Alice.Martin@Example.ORG ", "fr")

    (mail,) = setup.mailer.sent
    assert mail.to == "alice.martin@example.org"
    assert mail.subject == f"Votre code de vérification : {mail.code}"
    assert "valable 15 minutes" in mail.text
    assert "Si vous n'avez rien demandé, ignorez ce message" in mail.text
    assert await setup.service.check(ALICE, mail.code) == "alice.martin@example.org"
    await refused(NONE_PENDING, setup.service.check(ALICE, mail.code))  # used up
    assert mail.code not in caplog.text, "the code is never logged"


async def test_mail_in_english(setup: Setup) -> None:
    await setup.service.start(BOB, "bob@example.org", "en")

    (mail,) = setup.mailer.sent
    assert mail.subject == f"Your verification code: {mail.code}"
    assert "valid for 15 minutes" in mail.text
    assert "If you did not ask for it, ignore this message" in mail.text


@pytest.mark.parametrize("typed", ["{a} {b}", "{a}-{b}", " {a}{b}\n", "{a} - {b}", "{a}.{b}"])
async def test_code_typed_with_spaces_or_dashes(setup: Setup, typed: str) -> None:
    await setup.service.start(ALICE, "alice@example.org", "fr")
    code = setup.mailer.sent[0].code

    typed_code = typed.format(a=code[:3], b=code[3:])

    assert await setup.service.check(ALICE, typed_code) == "alice@example.org"


async def test_code_typed_with_full_width_digits(setup: Setup) -> None:
    await setup.service.start(ALICE, "alice@example.org", "fr")
    code = setup.mailer.sent[0].code

    wide = "".join(chr(ord(digit) - ord("0") + ord("０")) for digit in code)

    assert await setup.service.check(ALICE, wide) == "alice@example.org"


async def test_only_a_hash_of_the_code_is_stored(setup: Setup) -> None:
    await setup.service.start(ALICE, "alice@example.org", "fr")
    code = setup.mailer.sent[0].code

    row = await setup.repository.db.fetchrow("SELECT * FROM email_code")

    assert row is not None
    assert code not in " ".join(str(value) for value in dict(row).values())


async def test_a_new_code_replaces_the_pending_one(setup: Setup) -> None:
    await setup.service.start(ALICE, "alice@example.org", "fr")
    await setup.service.start(ALICE, "alice.m@example.org", "fr")
    first, second = (mail.code for mail in setup.mailer.sent)

    if first != second:
        await refused(WRONG_CODE, setup.service.check(ALICE, first))
    assert await setup.service.check(ALICE, second) == "alice.m@example.org"


async def test_cancel_drops_the_code(setup: Setup) -> None:
    await setup.service.start(ALICE, "alice@example.org", "fr")

    await setup.service.cancel(ALICE)
    await setup.service.cancel(ALICE)  # nothing pending: nothing happens

    await refused(NONE_PENDING, setup.service.check(ALICE, setup.mailer.sent[0].code))


async def test_codes_are_per_user(setup: Setup) -> None:
    await setup.service.start(ALICE, "shared@example.org", "fr")
    code = setup.mailer.sent[0].code

    await refused(NONE_PENDING, setup.service.check(BOB, code))
    assert await setup.service.check(ALICE, code) == "shared@example.org"


# --- Wrong, late, malformed ---------------------------------------------------------


async def test_five_wrong_codes_kill_the_code(setup: Setup) -> None:
    await setup.service.start(ALICE, "alice@example.org", "fr")
    code = setup.mailer.sent[0].code
    wrong = other_code(code)

    left = [
        (await refused(WRONG_CODE, setup.service.check(ALICE, wrong))).params["attempts_left"]
        for _ in range(4)
    ]
    await refused(TOO_MANY_ATTEMPTS, setup.service.check(ALICE, wrong))

    assert left == [4, 3, 2, 1]
    await refused(TOO_MANY_ATTEMPTS, setup.service.check(ALICE, code))  # even the right one
    await setup.service.start(ALICE, "alice@example.org", "fr")  # a new code starts afresh
    assert await setup.service.check(ALICE, setup.mailer.sent[1].code) == "alice@example.org"


async def test_concurrent_wrong_codes_are_each_counted_once(setup: Setup) -> None:
    await setup.service.start(ALICE, "alice@example.org", "fr")
    code = setup.mailer.sent[0].code
    wrong = other_code(code)

    results = await asyncio.gather(
        *(setup.service.check(ALICE, wrong) for _ in range(12)), return_exceptions=True
    )

    keys = sorted(r.key for r in results if isinstance(r, VerificationError))
    assert len(keys) == 12
    assert keys.count(WRONG_CODE) == 4
    assert keys.count(TOO_MANY_ATTEMPTS) == 8
    pending = await setup.repository.pending(ALICE)
    assert pending is not None and pending.attempts == 5
    await refused(TOO_MANY_ATTEMPTS, setup.service.check(ALICE, code))


async def test_right_code_among_concurrent_wrong_ones(setup: Setup) -> None:
    await setup.service.start(ALICE, "alice@example.org", "fr")
    code = setup.mailer.sent[0].code
    tries = [other_code(code)] * 2 + [code] + [other_code(code)] * 2

    results = await asyncio.gather(
        *(setup.service.check(ALICE, typed) for typed in tries), return_exceptions=True
    )

    assert results.count("alice@example.org") == 1  # 4 wrong ones at most: it goes through
    assert all(isinstance(r, VerificationError) for r in results if r != "alice@example.org")


async def test_expired_code(setup: Setup) -> None:
    await setup.service.start(ALICE, "alice@example.org", "fr")
    code = setup.mailer.sent[0].code

    setup.clock.advance(minutes=14, seconds=59)
    await refused(WRONG_CODE, setup.service.check(ALICE, other_code(code)))
    setup.clock.advance(seconds=1)

    await refused(EXPIRED, setup.service.check(ALICE, code))
    await refused(EXPIRED, setup.service.check(ALICE, other_code(code)))


async def test_code_ttl_comes_from_the_settings(setup: Setup) -> None:
    service = VerificationService(
        setup.repository,
        setup.mailer,
        VerificationSettings(code_ttl_minutes=5, max_attempts=2),
        clock=setup.clock,
    )
    await service.start(ALICE, "alice@example.org", "fr")
    code = setup.mailer.sent[0].code

    assert "valable 5 minutes" in setup.mailer.sent[0].text
    await refused(WRONG_CODE, service.check(ALICE, other_code(code)))
    await refused(TOO_MANY_ATTEMPTS, service.check(ALICE, other_code(code)))
    await service.start(ALICE, "alice@example.org", "fr")
    setup.clock.advance(minutes=5)
    await refused(EXPIRED, service.check(ALICE, setup.mailer.sent[1].code))


@pytest.mark.parametrize("typed", ["12345", "1234567", "abcdef", "", "12 34 5"])
async def test_not_a_code_costs_no_try(setup: Setup, typed: str) -> None:
    await setup.service.start(ALICE, "alice@example.org", "fr")

    error = await refused(CODE_FORMAT, setup.service.check(ALICE, typed))

    assert error.params == {"digits": 6}
    pending = await setup.repository.pending(ALICE)
    assert pending is not None and pending.attempts == 0


async def test_no_code_asked(setup: Setup) -> None:
    await refused(NONE_PENDING, setup.service.check(ALICE, "123456"))


NOT_ADDRESSES = ["alice", "alice@", "@example.org", "a b@example.org", "alice@example",
                 "alice@example.org\nBcc: x@example.org"]  # fmt: skip


@pytest.mark.parametrize("typed", NOT_ADDRESSES)
async def test_not_an_address(setup: Setup, typed: str) -> None:
    await refused(INVALID_EMAIL, setup.service.start(ALICE, typed, "fr"))

    assert setup.mailer.sent == []


# --- Rate limits --------------------------------------------------------------------


async def test_three_codes_per_user_per_hour(setup: Setup) -> None:
    for minute, address in ((0, "a@example.org"), (10, "b@example.org"), (20, "c@example.org")):
        setup.clock.now = START + timedelta(minutes=minute)
        await setup.service.start(ALICE, address, "fr")
    setup.clock.now = START + timedelta(minutes=30)

    error = await refused(RATE_LIMITED, setup.service.start(ALICE, "d@example.org", "fr"))

    assert error.params == {"minutes": 30}  # the send at 9:00 leaves the hour at 10:00
    assert len(setup.mailer.sent) == 3
    await setup.service.start(BOB, "d@example.org", "fr")  # another person is not limited
    setup.clock.now = START + timedelta(minutes=60)
    await setup.service.start(ALICE, "d@example.org", "fr")
    assert await setup.service.check(ALICE, setup.mailer.sent[-1].code) == "d@example.org"


async def test_three_codes_per_address_per_hour(setup: Setup) -> None:
    for minute, user in ((0, ALICE), (1, BOB), (2, CAROL)):
        setup.clock.now = START + timedelta(minutes=minute, seconds=30)
        await setup.service.start(user, "Target@example.org", "fr")

    error = await refused(RATE_LIMITED, setup.service.start(DAVE, "target@EXAMPLE.org", "fr"))

    assert error.params == {"minutes": 58}  # 9:00:30 + 1 h − 9:02:30, rounded up
    await setup.service.start(DAVE, "dave@example.org", "fr")  # his own address is fine
    setup.clock.now = START + timedelta(hours=1, minutes=1)
    await setup.service.start(DAVE, "target@example.org", "fr")


async def test_limits_hold_under_concurrent_requests(setup: Setup) -> None:
    users = [f"@user{i}:localhost" for i in range(8)]

    results = await asyncio.gather(
        *(setup.service.start(user, "target@example.org", "fr") for user in users),
        return_exceptions=True,
    )

    refusals = [r for r in results if isinstance(r, VerificationError)]
    assert [r.key for r in refusals] == [RATE_LIMITED] * 5
    assert len(setup.mailer.sent) == 3


async def test_limit_wait_is_at_least_a_minute(setup: Setup) -> None:
    for _ in range(3):
        await setup.service.start(ALICE, "alice@example.org", "fr")
    setup.clock.advance(minutes=59, seconds=59)

    error = await refused(RATE_LIMITED, setup.service.start(ALICE, "alice@example.org", "fr"))

    assert error.params == {"minutes": 1}


# --- A mail that cannot be sent -----------------------------------------------------


async def test_failed_send_leaves_no_code_and_is_not_counted(setup: Setup) -> None:
    await setup.service.start(ALICE, "alice@example.org", "fr")
    setup.mailer.failing = True

    for _ in range(5):
        await refused(SEND_FAILED, setup.service.start(ALICE, "alice@example.org", "fr"))

    await refused(NONE_PENDING, setup.service.check(ALICE, setup.mailer.sent[0].code))
    setup.mailer.failing = False
    await setup.service.start(ALICE, "alice@example.org", "fr")
    await setup.service.start(ALICE, "alice@example.org", "fr")
    assert len(setup.mailer.sent) == 3
    assert await setup.service.check(ALICE, setup.mailer.sent[-1].code) == "alice@example.org"
