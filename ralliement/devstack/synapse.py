"""A local Synapse for development and tests: generated config, process lifecycle.

The same code writes the homeserver used by ``ralliement up`` and by the integration tests, so
what the tests exercise is what a newcomer runs.
"""

from __future__ import annotations

import asyncio
import json
import logging
import secrets
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
import yaml
from signedjson.key import generate_signing_key, write_signing_keys

from ralliement.files import write_private

from .processes import stop_process

log = logging.getLogger("ralliement.devstack.synapse")

# Generous limits: the dev homeserver serves one developer or one test session, and the bots and
# benchmarks legitimately burst. Production homeservers keep their own limits.
_UNLIMITED = {"per_second": 10_000, "burst_count": 100_000}
# Flat limits, and those split by sub-key (``rc_login.account``...). A flat value given to a split
# key is silently ignored by Synapse, so both shapes are spelled out.
_FLAT_RATE_LIMITS = (
    "rc_message",
    "rc_registration",
    "rc_admin_redaction",
    "rc_key_requests",
    "rc_room_creation",
    "rc_profile",
    "rc_3pid_validation",
    "rc_joins_per_room",
    "rc_media_create",
    "rc_delayed_event_mgmt",
    "rc_reports",
    "rc_user_directory",
)
_SPLIT_RATE_LIMITS = {
    "rc_login": ("address", "account", "failed_attempts"),
    "rc_joins": ("local", "remote"),
    "rc_invites": ("per_room", "per_user", "per_issuer"),
}


def _rate_limits() -> dict[str, Any]:
    limits: dict[str, Any] = {key: dict(_UNLIMITED) for key in _FLAT_RATE_LIMITS}
    for key, parts in _SPLIT_RATE_LIMITS.items():
        limits[key] = {part: dict(_UNLIMITED) for part in parts}
    limits["rc_federation"] = {"window_size": 1000, "sleep_limit": 10_000, "reject_limit": 10_000}
    return limits


@dataclass(frozen=True)
class SynapseSecrets:
    """Secrets that must survive a restart of the dev homeserver."""

    registration_shared_secret: str
    macaroon_secret_key: str
    form_secret: str

    @classmethod
    def load_or_create(cls, path: Path) -> SynapseSecrets:
        if path.exists():
            return cls(**json.loads(path.read_text()))
        created = cls(*(secrets.token_urlsafe(32) for _ in range(3)))
        write_private(path, json.dumps(created.__dict__, indent=2))
        return created


@dataclass(frozen=True)
class SynapseSetup:
    """Where a generated homeserver lives and how to reach it."""

    directory: Path
    server_name: str
    port: int
    secrets: SynapseSecrets

    @property
    def config_path(self) -> Path:
        return self.directory / "homeserver.yaml"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def log_path(self) -> Path:
        return self.directory / "homeserver.log"


def write_synapse_config(
    directory: Path,
    *,
    server_name: str,
    port: int,
    appservice_registrations: list[Path],
) -> SynapseSetup:
    """Write (or refresh) a loopback-only SQLite Synapse config in ``directory``.

    Secrets and the signing key are created once and kept; everything else is rewritten so that a
    new port or registration takes effect on the next start.
    """
    directory.mkdir(parents=True, exist_ok=True)
    setup = SynapseSetup(
        directory=directory.resolve(),
        server_name=server_name,
        port=port,
        secrets=SynapseSecrets.load_or_create(directory / "secrets.json"),
    )
    signing_key = directory / "signing.key"
    if not signing_key.exists():
        with open(signing_key, "w") as key_file:
            write_signing_keys(key_file, [generate_signing_key("a_" + secrets.token_hex(2))])
        signing_key.chmod(0o600)
    log_config = directory / "log.yaml"
    log_config.write_text(yaml.safe_dump(_log_config(setup.log_path)))
    config: dict[str, Any] = {
        "server_name": server_name,
        "public_baseurl": setup.url + "/",
        "pid_file": str(setup.directory / "homeserver.pid"),
        "listeners": [
            {
                "port": port,
                "bind_addresses": ["127.0.0.1"],
                "type": "http",
                "tls": False,
                "x_forwarded": False,
                "resources": [{"names": ["client"], "compress": False}],
            }
        ],
        "database": {
            "name": "sqlite3",
            "args": {"database": str(setup.directory / "homeserver.db")},
        },
        "log_config": str(log_config),
        "media_store_path": str(setup.directory / "media"),
        "signing_key_path": str(signing_key),
        "registration_shared_secret": setup.secrets.registration_shared_secret,
        "macaroon_secret_key": setup.secrets.macaroon_secret_key,
        "form_secret": setup.secrets.form_secret,
        "report_stats": False,
        "enable_registration": False,
        "trusted_key_servers": [],
        "suppress_key_server_warning": True,
        "federation_domain_whitelist": [],
        "url_preview_enabled": False,
        "presence": {"enabled": False},
        "app_service_config_files": [str(p.resolve()) for p in appservice_registrations],
        **_rate_limits(),
    }
    setup.config_path.write_text(yaml.safe_dump(config, sort_keys=False))
    return setup


def _log_config(log_path: Path) -> dict[str, Any]:
    return {
        "version": 1,
        "formatters": {"precise": {"format": "%(asctime)s %(name)s %(levelname)s %(message)s"}},
        "handlers": {
            "file": {
                "class": "logging.FileHandler",
                "formatter": "precise",
                "filename": str(log_path),
                "encoding": "utf8",
            }
        },
        "loggers": {"synapse.storage.SQL": {"level": "WARNING"}},
        "root": {"level": "INFO", "handlers": ["file"]},
        "disable_existing_loggers": False,
    }


class SynapseError(RuntimeError):
    """The homeserver did not start or stopped unexpectedly."""


class SynapseProcess:
    """Runs the generated homeserver as a child process."""

    def __init__(self, setup: SynapseSetup) -> None:
        self.setup = setup
        self._process: asyncio.subprocess.Process | None = None

    async def start(self, timeout: float = 60.0) -> None:
        """Start Synapse and wait until its client API answers."""
        if await _is_healthy(self.setup.url):
            raise SynapseError(f"port {self.setup.port} is already taken by another server")
        stderr = await asyncio.to_thread(open, self.setup.directory / "stderr.log", "ab")
        self._process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "synapse.app.homeserver",
            "--config-path",
            str(self.setup.config_path),
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=stderr,
            start_new_session=True,
        )
        stderr.close()  # the child has its own copy
        deadline = asyncio.get_running_loop().time() + timeout
        while asyncio.get_running_loop().time() < deadline:
            if self._process.returncode is not None:
                raise SynapseError(
                    f"Synapse exited with code {self._process.returncode}; "
                    f"see {self.setup.log_path} and {self.setup.directory / 'stderr.log'}"
                )
            if await _is_healthy(self.setup.url):
                log.info("Synapse is ready on %s", self.setup.url)
                return
            await asyncio.sleep(0.2)
        await self.stop()
        raise SynapseError(f"Synapse did not answer on {self.setup.url} within {timeout:.0f} s")

    async def wait(self) -> int:
        assert self._process is not None
        return await self._process.wait()

    async def stop(self, timeout: float = 15.0) -> None:
        """Stop Synapse gracefully, killing it if it does not stop in time."""
        process, self._process = self._process, None
        if process is not None:
            await stop_process(process, timeout)


async def _is_healthy(url: str) -> bool:
    try:
        async with (
            aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=2)) as session,
            session.get(url + "/health") as response,
        ):
            return response.status == 200
    except (aiohttp.ClientError, TimeoutError):
        return False
