"""Round trip of a bot command over E2EE, next to a bare echo bot on the same homeserver.

What is measured: the wall time, seen by a real E2EE user (``MatrixUser`` from the tests, on
matrix-nio), from the moment it starts sending a message in an encrypted DM to the moment it holds
the decrypted reply to that message (the first event whose ``m.relates_to.m.in_reply_to`` names
it). That covers: encrypting and sending, Synapse, the bot's sync and decryption, the bot's work,
its encrypted reply, Synapse again, the user's sync and decryption.

Two bots answer the same user, in the same run, on the same dev stack (``DevStack`` in a fresh
temp folder, on free ports):

* the welcome bot, asked ``!aide``: our runtime — sync callback, work queue, command parsing,
  registry, i18n, help text, our reply path (key query, idempotent transaction id);
* a bare echo bot: a plain matrix-nio ``AsyncClient`` with encryption, logged in with a password,
  its own store, no command layer, no cross-signing, which answers every ``m.text`` from its sync
  callback with an ``m.notice`` echo carrying the same ``m.in_reply_to`` (after the one crypto
  chore any bot needs before sending: a key query when device lists changed).

Same homeserver, same client library, same encryption, same user, same reply matching: what the
baseline lacks is exactly our runtime, so the gap between the two series is its cost. The
exchanges are sequential and interleaved (welcome, echo, welcome, echo, ...) so that load from
anything else on the machine falls on both series alike. Warm-up exchanges (Olm sessions, room
keys, caches) are not counted.

Also recorded, to tell where the time goes: the bot side, i.e. the reply's ``origin_server_ts``
minus the command's (both stamped by Synapse, millisecond resolution): the bot's sync wake-up,
decryption, work and send, plus Synapse persisting the reply. The rest of the round trip is the
user's send and its own sync.

Percentiles are nearest-rank: the p-th percentile is the smallest sample with at least p % of the
samples at or below it, so every figure printed is a round trip that really happened.

Run from the repository root:
``.venv/bin/python -m bench.roundtrip [-n 200] [--warmup 5] [--json]``.
It asserts nothing about time; it only prints. Exit status 1 when an exchange failed.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import math
import shutil
import signal
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nio import (
    AsyncClient,
    AsyncClientConfig,
    InviteMemberEvent,
    LocalProtocolError,
    LoginResponse,
    MatrixRoom,
    RoomMessageText,
    RoomSendResponse,
)

from ralliement.devstack.accounts import register_user
from ralliement.devstack.stack import DevStack, free_port
from tests.support.matrix_user import MatrixUser, Received

log = logging.getLogger("bench.roundtrip")

PASSWORD = "bench horse battery staple"
SYNC_TIMEOUT_MS = 30_000  # The same long poll as our bots (bots/client.py).
SETUP_TIMEOUT = 60.0
MAX_CONSECUTIVE_FAILURES = 3
SLOWEST_SHOWN = 5


class BenchError(RuntimeError):
    """The benchmark cannot go on; the message says what failed."""


class ExchangeFailed(RuntimeError):
    """One exchange got no usable reply in time."""


class EchoBot:
    """The baseline: the least a matrix-nio E2EE bot does to answer a message with a reply."""

    def __init__(self, homeserver: str, user_id: str, store_dir: Path) -> None:
        store_dir.mkdir(parents=True, exist_ok=True)
        self.client = AsyncClient(
            homeserver,
            user_id,
            store_path=str(store_dir),
            config=AsyncClientConfig(encryption_enabled=True, store_sync_tokens=True),
        )
        self.errors: list[str] = []
        self._sync: asyncio.Task[None] | None = None

    @property
    def user_id(self) -> str:
        return str(self.client.user_id)

    async def start(self, password: str) -> None:
        response = await self.client.login(password, device_name="bench echo bot")
        if not isinstance(response, LoginResponse):
            raise BenchError(f"echo bot: login failed: {response}")
        if self.client.should_upload_keys:
            await self.client.keys_upload()
        await self.client.sync(timeout=0, full_state=True)
        self.client.add_event_callback(self._on_invite, InviteMemberEvent)
        self.client.add_event_callback(self._on_text, RoomMessageText)
        self._sync = asyncio.create_task(self._sync_forever(), name="bench-echo-sync")

    async def close(self) -> None:
        try:
            if self._sync is not None:
                self._sync.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await self._sync
                self._sync = None
        finally:
            await self.client.close()

    async def _sync_forever(self) -> None:
        try:
            await self.client.sync_forever(timeout=SYNC_TIMEOUT_MS)
        except Exception as error:
            self.errors.append(f"sync loop died: {error!r}")
            log.exception("Echo bot %s: sync loop died", self.user_id)
            raise

    # Callbacks run inside the sync loop: an exception there would end it, so none escapes.

    async def _on_invite(self, room: MatrixRoom, event: InviteMemberEvent) -> None:
        if event.state_key != self.user_id or event.membership != "invite":
            return
        try:
            await self.client.join(room.room_id)
        except Exception as error:
            self.errors.append(f"joining {room.room_id} failed: {error!r}")

    async def _on_text(self, room: MatrixRoom, event: RoomMessageText) -> None:
        if event.sender == self.user_id:
            return
        content = {
            "msgtype": "m.notice",
            "body": event.body,
            "m.relates_to": {"m.in_reply_to": {"event_id": event.event_id}},
        }
        response: object
        try:
            if self.client.should_query_keys:
                with contextlib.suppress(LocalProtocolError):
                    await self.client.keys_query()
            response = await self.client.room_send(
                room.room_id, "m.room.message", content, ignore_unverified_devices=True
            )
        except Exception as error:
            response = error
        if not isinstance(response, RoomSendResponse):
            self.errors.append(f"echo of {event.event_id} failed: {response!r}")


# Figures.


def nearest_rank(ordered: Sequence[float], percent: float) -> float:
    """The nearest-rank percentile of an already sorted, non-empty sequence."""
    rank = max(1, math.ceil(percent / 100 * len(ordered)))
    return ordered[rank - 1]


@dataclass(frozen=True)
class Summary:
    """Milliseconds."""

    n: int
    p50: float
    p95: float
    max: float
    mean: float

    @classmethod
    def of(cls, values: Sequence[float]) -> Summary | None:
        if not values:
            return None
        ordered = sorted(values)
        return cls(
            n=len(ordered),
            p50=nearest_rank(ordered, 50),
            p95=nearest_rank(ordered, 95),
            max=ordered[-1],
            mean=statistics.fmean(ordered),
        )

    def as_dict(self) -> dict[str, float | int]:
        return {
            "n": self.n,
            "p50": round(self.p50, 2),
            "p95": round(self.p95, 2),
            "max": round(self.max, 2),
            "mean": round(self.mean, 2),
        }


@dataclass(frozen=True)
class Sample:
    number: int  # 1-based among the counted exchanges
    total_ms: float
    bot_side_ms: float | None


@dataclass
class Series:
    """One bot's exchanges."""

    key: str
    label: str
    bot: str
    room_id: str
    body: str
    samples: list[Sample] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    def total(self) -> Summary | None:
        return Summary.of([s.total_ms for s in self.samples])

    def bot_side(self) -> Summary | None:
        return Summary.of([s.bot_side_ms for s in self.samples if s.bot_side_ms is not None])

    def slowest(self) -> list[Sample]:
        return sorted(self.samples, key=lambda s: s.total_ms, reverse=True)[:SLOWEST_SHOWN]


# The exchanges.


def _server_ts(message: Received) -> int | None:
    value = message.source.get("origin_server_ts")
    return value if isinstance(value, int) else None


def _bot_side_ms(user: MatrixUser, command_id: str, reply: Received) -> float | None:
    command = next((m for m in reversed(user.received) if m.event_id == command_id), None)
    if command is None:
        return None
    sent, answered = _server_ts(command), _server_ts(reply)
    return None if sent is None or answered is None else float(answered - sent)


async def exchange(
    user: MatrixUser, series: Series, number: int, name: str, limit: float
) -> Sample:
    """Send the series' message and wait, at most ``limit`` seconds, for the decrypted reply to
    it; ``name`` is for errors."""
    phase = "sending the message"
    started = time.perf_counter()
    try:
        async with asyncio.timeout(limit):
            command_id = await user.send_text(series.room_id, series.body)
            phase = f"waiting for the reply to {command_id}"
            reply = await user.reply_to(command_id, timeout=limit)
    except TimeoutError:
        raise ExchangeFailed(
            f"{series.label} {name}: nothing within {limit:g} s while {phase}"
        ) from None
    except Exception as error:
        raise ExchangeFailed(f"{series.label} {name}: failed while {phase}: {error!r}") from error
    elapsed_ms = (time.perf_counter() - started) * 1000
    if reply.sender != series.bot:
        raise ExchangeFailed(
            f"{series.label} {name}: the reply to {command_id} came from {reply.sender}"
        )
    if not reply.decrypted:
        raise ExchangeFailed(
            f"{series.label} {name}: the reply {reply.event_id} to {command_id} arrived but "
            "could not be decrypted"
        )
    return Sample(number, elapsed_ms, _bot_side_ms(user, command_id, reply))


async def open_chat(user: MatrixUser, bot: str, *, greeted: bool) -> str:
    """An encrypted DM with ``bot``, once it joined (and greeted, for the welcome bot)."""
    try:
        room_id = await user.direct_chat(bot, timeout=SETUP_TIMEOUT)
        if greeted:
            greeting = await user.wait_for(lambda m: m.sender == bot, timeout=SETUP_TIMEOUT)
            if not greeting.decrypted:
                raise BenchError(f"the greeting of {bot} could not be decrypted")
    except TimeoutError:
        raise BenchError(f"{bot} did not join (and greet) within {SETUP_TIMEOUT:.0f} s") from None
    return room_id


async def measure(
    user: MatrixUser, series: list[Series], n: int, warmup: int, limit: float, echo: EchoBot
) -> None:
    """``warmup + n`` rounds; each round is one exchange with each bot, in turn."""
    consecutive_failures = 0
    for round_number in range(warmup + n):
        counted = round_number >= warmup
        number = round_number - warmup + 1
        name = f"#{number}" if counted else f"warm-up #{round_number + 1}"
        for one in series:
            try:
                sample = await exchange(user, one, number, name, limit)
            except ExchangeFailed as failure:
                one.failures.append(str(failure))
                progress(str(failure))
                consecutive_failures += 1
                if consecutive_failures >= MAX_CONSECUTIVE_FAILURES:
                    echo_errors = "; ".join(echo.errors[-3:]) or "none"
                    raise BenchError(
                        f"{consecutive_failures} exchanges failed in a row, giving up. "
                        f"Last: {failure}. Echo bot errors: {echo_errors}"
                    ) from None
                continue
            consecutive_failures = 0
            if counted:
                one.samples.append(sample)
        if counted and (number % 50 == 0 or number == n):
            progress(f"{number}/{n} rounds")


async def _close_user(user: MatrixUser) -> None:
    """``MatrixUser.close`` re-raises what killed its sync loop and then skips closing the
    client: log that and close the client anyway, so the stack still stops cleanly."""
    try:
        await user.close()
    except Exception:
        log.exception("Closing the measuring user failed")
        await user.client.close()


def progress(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


async def run(n: int, warmup: int, limit: float, keep: bool) -> list[Series]:
    """Start a stack in a fresh temp folder, measure, stop everything whatever happens."""
    data_dir = Path(tempfile.mkdtemp(prefix="ralliement-bench-"))
    clean = False  # Keep the folder (logs) when anything went wrong.
    try:
        # Closed in reverse order, each even when an earlier one raises: clients, then the stack.
        async with contextlib.AsyncExitStack() as resources:
            stack = DevStack(data_dir / "stack", port=free_port())
            resources.push_async_callback(stack.stop)
            progress(f"starting Synapse, the appservice and the bots in {data_dir} ...")
            info = await stack.start()
            assert stack.synapse is not None
            secret = stack.synapse.setup.secrets.registration_shared_secret
            tester = await register_user(info.homeserver, secret, "bench_user", PASSWORD)
            echo_account = await register_user(info.homeserver, secret, "bench_echo", PASSWORD)

            user = MatrixUser(info.homeserver, tester.user_id, data_dir / "user")
            resources.push_async_callback(_close_user, user)
            await user.login(PASSWORD)
            echo = EchoBot(info.homeserver, echo_account.user_id, data_dir / "echo")
            resources.push_async_callback(echo.close)
            await echo.start(PASSWORD)

            welcome_bot = info.bots["welcome"]
            series = [
                Series(
                    "welcome",
                    "welcome bot !aide",
                    welcome_bot,
                    await open_chat(user, welcome_bot, greeted=True),
                    "!aide",
                ),
                Series(
                    "echo",
                    "bare echo bot",
                    echo.user_id,
                    await open_chat(user, echo.user_id, greeted=False),
                    "!aide",
                ),
            ]
            progress(f"measuring: {warmup} warm-up + {n} rounds, welcome and echo interleaved")
            await measure(user, series, n, warmup, limit, echo)
            for error in echo.errors:
                progress(f"echo bot error: {error}")
            clean = not any(one.failures for one in series) and not echo.errors
            return series
    finally:
        if clean and not keep:
            shutil.rmtree(data_dir, ignore_errors=True)
        else:
            progress(f"data folder kept: {data_dir} (logs in {data_dir / 'stack' / 'logs'})")


# Output.


def _cell(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"


def table(series: list[Series], n: int, warmup: int) -> str:
    head = (
        f"{'':<20}{'N':>5}{'p50':>9}{'p95':>9}{'max':>9}{'mean':>9}   "
        f"bot side: {'p50':>6}{'p95':>7}{'max':>7}"
    )
    lines = [
        "Round trip over E2EE: start of send → decrypted reply received, in ms",
        f"{warmup} warm-up exchanges per bot not counted; bots interleaved; "
        "percentiles: nearest rank",
        head,
    ]
    for one in series:
        total, side = one.total(), one.bot_side()
        n_done = total.n if total else 0
        p50, p95, top, mean = (
            (total.p50, total.p95, total.max, total.mean) if total else (None,) * 4
        )
        s50, s95, stop = (side.p50, side.p95, side.max) if side else (None,) * 3
        failed = f"   ({len(one.failures)} failed)" if one.failures else ""
        lines.append(
            f"{one.label:<20}{n_done:>5}{_cell(p50):>9}{_cell(p95):>9}{_cell(top):>9}"
            f"{_cell(mean):>9}   {'':>10}{_cell(s50):>6}{_cell(s95):>7}{_cell(stop):>7}{failed}"
        )
    ratios = _ratios(series)
    if ratios:
        lines.append(f"welcome / echo: p50 ×{ratios['p50']:.2f}, p95 ×{ratios['p95']:.2f}")
    for one in series:
        shown = ", ".join(
            f"#{s.number} {s.total_ms:.0f}"
            + (f" (bot {s.bot_side_ms:.0f})" if s.bot_side_ms is not None else "")
            for s in one.slowest()
        )
        lines.append(f"slowest {one.label}: {shown or '—'}")
    return "\n".join(lines)


def _ratios(series: list[Series]) -> dict[str, float] | None:
    by_key = {one.key: one.total() for one in series}
    welcome, echo = by_key.get("welcome"), by_key.get("echo")
    if welcome is None or echo is None:
        return None
    return {"p50": welcome.p50 / echo.p50, "p95": welcome.p95 / echo.p95}


def json_line(series: list[Series], n: int, warmup: int) -> str:
    figures: dict[str, Any] = {
        "unit": "ms",
        "n": n,
        "warmup": warmup,
        "order": "interleaved",
        "percentiles": "nearest-rank",
    }
    for one in series:
        total, side = one.total(), one.bot_side()
        figures[one.key] = {
            "label": one.label,
            **(total.as_dict() if total else {"n": 0}),
            "bot_side": side.as_dict() if side else None,
            "failed": len(one.failures),
        }
    ratios = _ratios(series)
    figures["ratio"] = {k: round(v, 3) for k, v in ratios.items()} if ratios else None
    return json.dumps(figures, ensure_ascii=False)


# Entry point.


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.roundtrip",
        description="Welcome bot !aide round trip vs a bare matrix-nio echo bot, over E2EE.",
    )
    parser.add_argument("-n", type=int, default=200, help="counted exchanges per bot (200)")
    parser.add_argument("--warmup", type=int, default=5, help="uncounted exchanges per bot (5)")
    parser.add_argument(
        "--timeout", type=float, default=30.0, help="seconds allowed for one exchange (30)"
    )
    parser.add_argument("--json", action="store_true", help="also print one JSON line")
    parser.add_argument(
        "--keep",
        action="store_true",
        help="keep the temp folder (stack logs) after a successful run",
    )
    args = parser.parse_args(argv)
    if args.n < 1 or args.warmup < 0 or args.timeout <= 0:
        parser.error("-n must be ≥ 1, --warmup ≥ 0, --timeout > 0")
    return args


async def _main(args: argparse.Namespace) -> int:
    main_task = asyncio.current_task()
    assert main_task is not None
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, main_task.cancel)
    try:
        series = await run(args.n, args.warmup, args.timeout, args.keep)
    except BenchError as error:
        print(f"bench.roundtrip: {error}", file=sys.stderr)
        return 1
    print(table(series, args.n, args.warmup))
    if args.json:
        print(json_line(series, args.n, args.warmup))
    return 1 if any(one.failures for one in series) else 0


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(
        level=logging.WARNING,
        stream=sys.stderr,
        format="%(asctime)s %(name)s %(levelname)s %(message)s",
    )
    try:
        return asyncio.run(_main(args))
    except (KeyboardInterrupt, asyncio.CancelledError):
        print("bench.roundtrip: interrupted; the stack was stopped", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
