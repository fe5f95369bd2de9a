"""A bot's device session on disk: which device it is, with which token, and its E2EE store.

A device id is never reused without its crypto store: that loss is silent for the people talking to
the bot (their clients keep encrypting to keys nobody holds). If the store is gone, the bot logs in
on a fresh device, which its cross-signing keys then sign.
"""

from __future__ import annotations

import json
import logging
import secrets
from dataclasses import asdict, dataclass
from pathlib import Path

from ralliement.files import write_private

from .homeserver_api import HomeserverAPI, HomeserverError

log = logging.getLogger("bots.session")


@dataclass(frozen=True)
class DeviceSession:
    user_id: str
    device_id: str
    access_token: str


class BotFolder:
    """The files of one bot under ``bots.store_dir/<localpart>/``."""

    def __init__(self, root: Path) -> None:
        self.root = root

    @property
    def session_file(self) -> Path:
        return self.root / "session.json"

    @property
    def crypto_dir(self) -> Path:
        return self.root / "crypto"

    @property
    def cross_signing_file(self) -> Path:
        return self.root / "cross_signing.json"

    def crypto_store_file(self, session: DeviceSession) -> Path:
        """Where matrix-nio keeps this device's store (its own naming)."""
        return self.crypto_dir / f"{session.user_id}_{session.device_id}.db"

    def load_session(self) -> DeviceSession | None:
        if not self.session_file.exists():
            return None
        return DeviceSession(**json.loads(self.session_file.read_text()))

    def save_session(self, session: DeviceSession) -> None:
        write_private(self.session_file, json.dumps(asdict(session)))


async def open_device_session(
    api: HomeserverAPI, folder: BotFolder, user_id: str, display_name: str
) -> DeviceSession:
    """The bot's usable device session: the saved one if it and its store are intact, else new."""
    saved = folder.load_session()
    if saved is not None and saved.user_id == user_id:
        if not folder.crypto_store_file(saved).exists():
            log.warning(
                "%s: crypto store of device %s is missing; using a new device",
                user_id,
                saved.device_id,
            )
            await _retire(api, saved)
        elif not await _token_works(api, saved):
            log.warning(
                "%s: device %s was logged out; using a new device", user_id, saved.device_id
            )
        else:
            return saved
    device_id = "RALLIEMENT" + secrets.token_hex(4).upper()
    token, device_id = await api.login(user_id, device_id, display_name)
    session = DeviceSession(user_id, device_id, token)
    folder.save_session(session)
    log.info("%s: logged in on new device %s", user_id, device_id)
    return session


async def _token_works(api: HomeserverAPI, session: DeviceSession) -> bool:
    try:
        await api.whoami(session.access_token)
        return True
    except HomeserverError as error:
        if error.status == 401:
            return False
        raise


async def _retire(api: HomeserverAPI, session: DeviceSession) -> None:
    """Delete a device whose keys are lost so clients stop encrypting to it (best effort)."""
    try:
        await api.delete_device(session.user_id, session.device_id)
    except HomeserverError as error:
        log.warning(
            "%s: could not delete stale device %s: %s", session.user_id, session.device_id, error
        )
