"""The ``ralliement`` command as a newcomer runs it."""

from __future__ import annotations

import asyncio
import json
import signal
import sys
from pathlib import Path

import pytest

from ralliement.devstack.stack import free_port

RALLIEMENT = [sys.executable, "-m", "ralliement"]


async def run(*args: str, timeout: float = 60) -> tuple[int, str, str]:
    process = await asyncio.create_subprocess_exec(
        *RALLIEMENT, *args, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
    )
    out, err = await asyncio.wait_for(process.communicate(), timeout)
    assert process.returncode is not None
    return process.returncode, out.decode(), err.decode()


async def up_until_ready(data: Path, port: int) -> tuple[asyncio.subprocess.Process, dict]:
    process = await asyncio.create_subprocess_exec(
        *RALLIEMENT,
        "up",
        "--data",
        str(data),
        "--port",
        str(port),
        "--json",
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    assert process.stdout is not None
    while True:
        line = (await asyncio.wait_for(process.stdout.readline(), 120)).decode()
        assert line, f"up exited early: {(await process.stderr.read()).decode()}"  # type: ignore[union-attr]
        if line.startswith("{"):
            return process, json.loads(line)


async def stop(process: asyncio.subprocess.Process) -> tuple[int, str]:
    process.send_signal(signal.SIGINT)
    out, _ = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode is not None
    return process.returncode, out.decode()


async def test_up_runs_everything_then_reuses_the_same_folder(tmp_path: Path) -> None:
    data, port = tmp_path / "data", free_port()
    process, ready = await up_until_ready(data, port)
    assert ready == {
        "homeserver": f"http://127.0.0.1:{port}",
        "server_name": "localhost",
        "bots": {
            "welcome": "@ralliement_bienvenue:localhost",
            "agenda": "@ralliement_agenda:localhost",
            "reminders": "@ralliement_rappels:localhost",
            "moderation": "@ralliement_moderation:localhost",
        },
    }
    code, _, err = await run(
        "user", "add", "alice", "--password", "pw-alice-1", "--data", str(data)
    )
    assert code == 0, err
    code, _, err = await run("user", "add", "alice", "--password", "pw", "--data", str(data))
    assert code == 1 and "User ID already taken" in err
    code, out = await stop(process)
    assert code == 0 and out.rstrip().endswith("Stopped.")

    registration = (data / "registration.yaml").read_text()
    session = (data / "bots" / "ralliement_bienvenue" / "session.json").read_text()
    process, ready_again = await up_until_ready(data, port)
    try:
        assert ready_again == ready
        assert (data / "registration.yaml").read_text() == registration  # same tokens
        # Same bot device: its session (and crypto store) were reused, not recreated.
        assert (data / "bots" / "ralliement_bienvenue" / "session.json").read_text() == session
        code, _, err = await run("user", "add", "alice", "--password", "x", "--data", str(data))
        assert "already taken" in err  # same homeserver data
    finally:
        code, _ = await stop(process)
    assert code == 0


async def test_user_add_without_a_stack_says_how_to_start_one(tmp_path: Path) -> None:
    code, _, err = await run("user", "add", "bob", "--data", str(tmp_path / "none"))
    assert code == 2
    assert "run `ralliement up` first" in err


async def test_bad_config_stops_with_one_line_naming_the_key(tmp_path: Path) -> None:
    config = tmp_path / "config.yaml"
    config.write_text("homeserver:\n  adress: http://127.0.0.1:8008\n")
    code, out, err = await run("bridge", "-c", str(config))
    assert code == 2
    assert out == ""
    assert len(err.strip().splitlines()) == 1
    assert "unknown key `homeserver.adress`" in err and "homeserver.address" in err

    code, _, err = await run("bots", "-c", str(tmp_path / "missing.yaml"))
    assert code == 2 and "config file not found" in err


async def test_generate_registration_for_a_production_config(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RALLIEMENT_PICKLE_KEY", "a-pickle-key-from-the-environment")
    example = Path(__file__).resolve().parents[2] / "config" / "example.yaml"
    config = tmp_path / "config.yaml"
    config.write_text(example.read_text())
    code, out, err = await run("generate-registration", "-c", str(config))
    assert code == 0, err
    registration = tmp_path / "registration.yaml"
    assert f"Wrote {registration}" in out
    assert registration.stat().st_mode & 0o077 == 0, "the registration holds secrets"
    assert "as_token:" in registration.read_text()
