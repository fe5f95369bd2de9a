"""The welcome bot works with Element's engine (matrix-js-sdk + rust crypto) in the mode Element
uses since April 2026: exclude insecure devices (OnlySignedDevicesIsolationMode)."""

from __future__ import annotations

import asyncio
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from ralliement.devstack.accounts import register_user
from ralliement.devstack.stack import StackInfo
from tests.integration.conftest import PASSWORD

ELEMENT_DIR = Path(__file__).resolve().parents[1] / "element"


@pytest.fixture(scope="session")
def element_client() -> Path:
    """The Node client, installed from the lock file if needed."""
    if shutil.which("node") is None:
        pytest.fail("Node.js is required for the Element-engine tests")
    if not (ELEMENT_DIR / "node_modules" / "matrix-js-sdk").exists():
        subprocess.run(
            ["npm", "ci", "--no-audit", "--no-fund", "--prefix", str(ELEMENT_DIR)],
            check=True,
            capture_output=True,
        )
    return ELEMENT_DIR / "client.mjs"


async def run_element(client: Path, *args: str, timeout: float = 120) -> list[dict[str, Any]]:
    process = await asyncio.create_subprocess_exec(
        "node",
        str(client),
        *args,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    stdout, stderr = await asyncio.wait_for(process.communicate(), timeout)
    lines = [json.loads(line) for line in stdout.decode().splitlines() if line.startswith("{")]
    assert process.returncode == 0, f"element client failed: {lines}\n{stderr.decode()[-2000:]}"
    return lines


async def test_encrypted_round_trip_with_element_excluding_insecure_devices(
    element_client: Path, stack_info: StackInfo, shared_secret: str
) -> None:
    account = await register_user(stack_info.homeserver, shared_secret, "elena", PASSWORD)
    bot = stack_info.bots["welcome"]
    lines = await run_element(
        element_client,
        "--homeserver",
        stack_info.homeserver,
        "--user",
        account.user_id,
        "--password",
        PASSWORD,
        "--bot",
        bot,
        "--isolation",
        "signed",
        "--body",
        "!aide",
        "--count",
        "2",
        "--reply-relation",
    )
    ready = next(line for line in lines if line["event"] == "ready")
    assert ready["cross_signed"] is True and ready["isolation"] == "signed"

    devices = [line for line in lines if line["event"] == "bot_device"]
    assert devices and all(d["signed_by_owner"] for d in devices), devices

    replies = [line for line in lines if line["event"] == "reply"]
    assert len(replies) == 2
    for reply in replies:
        assert reply["decryption_error"] is None
        assert reply["encrypted"] is True
        assert reply["reply_msgtype"] == "m.notice"
        assert "Voici ce que je sais faire" in reply["reply_body"]
    assert lines[-1] == {**lines[-1], "event": "done", "ok": True}
