"""Carries out the moderation actions owed to rooms: bans, unbans, kicks and redactions.

Actions are rows (:mod:`bridge.db.moderation_actions`) written by whoever decided them, in the
same transaction. This worker claims the due ones and performs them as the appservice bot, which
created every managed room (unlimited power in room version 12) and which the homeserver does not
rate-limit; up to :data:`CONCURRENCY` at a time, so one user's ban across hundreds of rooms goes
at the homeserver's pace rather than one round trip after another. Rows written by this process
wake the worker at once; rows written by other processes (the bots) are found by polling every
:data:`POLL_SECONDS`. Rows left undone by a crash are simply still due after a restart.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

from mautrix.errors import MatrixRequestError

from bridge.db.moderation_actions import Action, ActionKind, ActionQueue
from bridge.outbox_worker import OutboxWorker
from bridge.rooms.matrix import RoomClient

log = logging.getLogger("bridge.moderation.worker")

POLL_SECONDS = 0.25
CONCURRENCY = 8
BATCH = 200


@dataclass(frozen=True)
class Outcome:
    """What became of one action: done (perhaps with nothing to do), or failed."""

    done: bool
    error: str = ""
    permanent: bool = False


DONE = Outcome(done=True)


class ActionWorker(OutboxWorker):
    """A background task draining :class:`ActionQueue` through a :class:`RoomClient`."""

    task_name = "moderation-actions"
    poll_seconds = POLL_SECONDS

    def __init__(
        self, queue: ActionQueue, client: RoomClient, *, concurrency: int = CONCURRENCY
    ) -> None:
        super().__init__(log)
        self.queue = queue
        self.client = client
        self._slots = asyncio.Semaphore(concurrency)

    async def run_once(self) -> int:
        """Carry out the due actions at once; returns how many were tried."""
        actions = await self.queue.due(BATCH)
        if not actions:
            return 0
        await asyncio.gather(*(self._settle(action) for action in actions))
        return len(actions)

    async def _settle(self, action: Action) -> None:
        """Carry ``action`` out and record the outcome at once (a crash redoes at most the
        actions under way, and redoing one is harmless)."""
        outcome = await self._carry_out(action)
        if outcome.done:
            await self.queue.done([action.id])
        else:
            await self.queue.failed(action, outcome.error, permanent=outcome.permanent)

    async def _carry_out(self, action: Action) -> Outcome:
        async with self._slots:
            try:
                await self._perform(action)
            except MatrixRequestError as error:
                outcome = _outcome_of(action, error)
            except (OSError, TimeoutError) as error:
                outcome = Outcome(False, f"{type(error).__name__}: {error}")
            else:
                log.info(
                    "%s %s in %s (%s)",
                    action.kind,
                    action.user_id,
                    action.room_id,
                    action.cause,
                )
                return DONE
        if outcome.done:
            log.info("%s %s in %s: nothing to do", action.kind, action.user_id, action.room_id)
        else:
            level = logging.WARNING if outcome.permanent else logging.INFO
            log.log(
                level,
                "%s %s in %s failed%s: %s",
                action.kind,
                action.user_id,
                action.room_id,
                " for good" if outcome.permanent else ", will retry",
                outcome.error,
            )
        return outcome

    async def _perform(self, action: Action) -> None:
        room, user, reason = action.room_id, action.user_id, action.reason
        if action.kind is ActionKind.BAN:
            await self.client.ban(room, user, reason)
        elif action.kind is ActionKind.UNBAN:
            await self.client.unban(room, user, reason)
        elif action.kind is ActionKind.KICK:
            await self.client.kick(room, user, reason)
        elif action.kind is ActionKind.REDACT:
            assert action.target_event is not None, "a redaction names its event"
            txn_id = f"ralliement.mod.{action.id}"
            await self.client.redact(room, action.target_event, txn_id, reason)


def _outcome_of(action: Action, error: MatrixRequestError) -> Outcome:
    """Whether a refusal means the job is already done, can never be done, or may work later.

    Synapse answers ``M_BAD_STATE`` to unbanning someone who is not banned, and "not in the room"
    to kicking someone already gone: both are what was wanted. Banning someone already banned
    with the same reason is accepted by Synapse as the same event.
    """
    message = f"{error.errcode} ({error.http_status}): {error.message}"
    if action.kind is ActionKind.UNBAN and error.errcode == "M_BAD_STATE":
        return DONE
    if action.kind is ActionKind.KICK and "not in the room" in (error.message or ""):
        return DONE
    if action.kind is ActionKind.KICK and error.errcode == "M_BAD_STATE":
        return DONE  # "Cannot kick user who was banned": already out
    if error.http_status == 429 or error.http_status >= 500:
        return Outcome(False, message)
    # Other 4xx answers (M_FORBIDDEN: the target outranks us, we are not in the room; M_NOT_FOUND:
    # no such room or event) would be the same next time.
    return Outcome(False, message, permanent=True)
