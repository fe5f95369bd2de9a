"""The Matrix side of ``bench.reminders``: receivers that note when each message arrives, and the
bare matrix-nio sender of the baseline.

Receivers and the sender are ``MatrixUser`` (matrix-nio with encryption, syncing in the
background, as in the integration tests). Each receiver records, for every decrypted message, the
key that names it — ``org.ralliement.reminder`` ``{id, occurrence}`` for a reminder,
``org.ralliement.bench`` (a number) for a baseline message — and the wall time it was handed to
the client (after its sync and decryption), so duplicates are counted per key.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nio import MatrixRoom, MegolmEvent, RoomCreateResponse, RoomMessageText, RoomSendResponse

from tests.support.matrix_user import MatrixUser

log = logging.getLogger("bench.reminders")

REMINDER_KEY = "org.ralliement.reminder"
BARE_KEY = "org.ralliement.bench"
ENCRYPTION = {
    "type": "m.room.encryption",
    "state_key": "",
    "content": {"algorithm": "m.megolm.v1.aes-sha2"},
}


def now_ms() -> float:
    return time.time() * 1000


@dataclass
class Arrivals:
    """What the receivers got: arrival times (ms since the epoch) per message key."""

    ours: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    bare: dict[int, list[float]] = field(default_factory=lambda: defaultdict(list))
    undecryptable: list[str] = field(default_factory=list)

    def watch(self, user: MatrixUser) -> None:
        user.client.add_event_callback(self._on_text, RoomMessageText)
        user.client.add_event_callback(self._on_undecryptable, MegolmEvent)

    async def _on_text(self, room: MatrixRoom, event: RoomMessageText) -> None:
        arrived = now_ms()
        content: dict[str, Any] = event.source.get("content", {})
        reminder = content.get(REMINDER_KEY)
        if isinstance(reminder, dict):
            self.ours[f"{reminder.get('id')}/{reminder.get('occurrence')}"].append(arrived)
        number = content.get(BARE_KEY)
        if isinstance(number, int):
            self.bare[number].append(arrived)

    async def _on_undecryptable(self, room: MatrixRoom, event: MegolmEvent) -> None:
        self.undecryptable.append(f"{event.event_id} from {event.sender} in {room.room_id}")

    async def wait(self, series: dict[Any, list[float]], count: int, timeout: float) -> bool:
        """Until ``count`` different keys arrived in ``series`` (False after ``timeout`` s)."""
        deadline = time.monotonic() + timeout
        while len(series) < count:
            if time.monotonic() > deadline:
                return False
            await asyncio.sleep(0.1)
        return True


async def room_with(owner: MatrixUser, guest: MatrixUser, timeout: float = 60) -> str:
    """An encrypted DM made by ``owner``, which ``guest`` joins (neither joins invites alone)."""
    response = await owner.client.room_create(
        is_direct=True, invite=[guest.user_id], initial_state=[ENCRYPTION]
    )
    if not isinstance(response, RoomCreateResponse):
        raise RuntimeError(f"creating a room for {guest.user_id} failed: {response}")
    room_id = response.room_id
    joined = await guest.client.join(room_id)
    if getattr(joined, "room_id", None) != room_id:
        raise RuntimeError(f"{guest.user_id} could not join {room_id}: {joined}")

    def both_in() -> bool:
        room = owner.client.rooms.get(room_id)
        other = guest.client.rooms.get(room_id)
        return (
            room is not None
            and other is not None
            and {owner.user_id, guest.user_id} <= set(room.users)
            and other.encrypted
        )

    await owner.wait_until(both_in, timeout)
    return room_id


async def send_numbered(sender: MatrixUser, room_id: str, number: int) -> str | None:
    """One baseline message; None when it was sent, else why not."""
    content = {"msgtype": "m.text", "body": f"bench {number}", BARE_KEY: number}
    try:
        response = await sender.client.room_send(
            room_id, "m.room.message", content, ignore_unverified_devices=True
        )
    except Exception as error:
        return repr(error)
    return None if isinstance(response, RoomSendResponse) else str(response)


async def close_user(user: MatrixUser) -> None:
    """Close even when the sync loop died (``MatrixUser.close`` would re-raise first)."""
    try:
        await user.close()
    except Exception:
        log.exception("Closing %s failed", user.user_id)
        with contextlib.suppress(Exception):
            await user.client.close()


def count_events(path: Path) -> int | None:
    """How many events Synapse has persisted (None if its database cannot be read)."""
    try:
        with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as db:
            return int(db.execute("SELECT COUNT(*) FROM events").fetchone()[0])
    except sqlite3.Error as error:
        log.warning("Counting Synapse's events failed: %s", error)
        return None


def count_in_log(path: Path, needles: tuple[str, ...]) -> int:
    """Lines of a log file that contain any of ``needles``."""
    try:
        lines = path.read_text(errors="replace").splitlines()
    except OSError:
        return 0
    return sum(1 for line in lines if any(needle in line for needle in needles))
