"""One real dev stack (Synapse + appservice + bots) for the whole test session.

It is started by the same code as ``ralliement up``, on free loopback ports in a temp folder.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path

import pytest

from ralliement.devstack.accounts import register_user
from ralliement.devstack.stack import DevStack, StackInfo, free_port
from tests.support.matrix_user import MatrixUser
from tests.support.smtp import SmtpServer

PASSWORD = "correct horse battery staple"
_user_numbers = itertools.count(1)


@pytest.fixture(scope="session")
def smtp() -> Iterator[SmtpServer]:
    """A real SMTP server (aiosmtpd) the stack's bots send their mails to."""
    server = SmtpServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
async def stack(
    tmp_path_factory: pytest.TempPathFactory, smtp: SmtpServer
) -> AsyncIterator[DevStack]:
    dev = DevStack(
        tmp_path_factory.mktemp("stack"),
        port=free_port(),
        config_overrides={
            "mail": smtp.config(),
            "moderation": {
                # Join waves only where a test makes one: 20 joins of one room within a minute.
                "join_wave_joins": 20,
                "join_wave_seconds": 60,
                # The forbidden word of test_moderation_protections.py.
                "words": ["connard"],
            },
        },
    )
    await dev.start()
    try:
        yield dev
    finally:
        await dev.stop()


@pytest.fixture(scope="session")
def stack_info(stack: DevStack) -> StackInfo:
    assert stack.info is not None
    return stack.info


@pytest.fixture(scope="session")
def shared_secret(stack: DevStack) -> str:
    secrets = json.loads((stack.data_dir / "synapse" / "secrets.json").read_text())
    return str(secrets["registration_shared_secret"])


NewUser = Callable[[], Awaitable[MatrixUser]]


@pytest.fixture
async def new_user(
    stack_info: StackInfo, shared_secret: str, tmp_path: Path
) -> AsyncIterator[NewUser]:
    """Make fresh logged-in E2EE users (closed at the end of the test)."""
    users: list[MatrixUser] = []

    async def make() -> MatrixUser:
        localpart = f"user{next(_user_numbers)}_{tmp_path.name[-6:]}".lower()
        account = await register_user(stack_info.homeserver, shared_secret, localpart, PASSWORD)
        user = MatrixUser(stack_info.homeserver, account.user_id, tmp_path / localpart)
        await user.login(PASSWORD)
        users.append(user)
        return user

    yield make
    for user in users:
        await user.close()
