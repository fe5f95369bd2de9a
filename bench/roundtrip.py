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
* a bare echo bot (``bench/echo_bot.py``): a plain matrix-nio ``AsyncClient`` with encryption,
  logged in with a password, its own store, no command layer, no cross-signing, which answers
  every ``m.text`` from its sync callback with an ``m.notice`` echo carrying the same
  ``m.in_reply_to`` (after the one crypto chore any bot needs before sending: a key query when
  device lists changed).

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
import logging
import sys
import time
from collections.abc import Sequence

from ralliement.devstack.accounts import register_user
from tests.support.matrix_user import MatrixUser, Received

from .echo_bot import EchoBot, EchoBotError
from .figures import Sample, Series, json_line, table
from .harness import BenchRun, progress, run_stack_bench

log = logging.getLogger("bench.roundtrip")

PASSWORD = "bench horse battery staple"
SETUP_TIMEOUT = 60.0
MAX_CONSECUTIVE_FAILURES = 3


class BenchError(RuntimeError):
    """The benchmark cannot go on; the message says what failed."""


class ExchangeFailed(RuntimeError):
    """One exchange got no usable reply in time."""


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


async def run(n: int, warmup: int, limit: float, keep: bool) -> list[Series]:
    """Start a stack in a fresh temp folder, measure, stop everything whatever happens."""
    async with BenchRun(keep) as run:
        _, info, secret = await run.start_stack()
        tester = await register_user(info.homeserver, secret, "bench_user", PASSWORD)
        echo_account = await register_user(info.homeserver, secret, "bench_echo", PASSWORD)

        user = MatrixUser(info.homeserver, tester.user_id, run.data_dir / "user")
        run.resources.push_async_callback(_close_user, user)
        await user.login(PASSWORD)
        echo = EchoBot(info.homeserver, echo_account.user_id, run.data_dir / "echo")
        run.resources.push_async_callback(echo.close)
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
        run.clean = not any(one.failures for one in series) and not echo.errors
        return series


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
    try:
        series = await run(args.n, args.warmup, args.timeout, args.keep)
    except (BenchError, EchoBotError) as error:
        print(f"bench.roundtrip: {error}", file=sys.stderr)
        return 1
    print(table(series, args.n, args.warmup))
    if args.json:
        print(json_line(series, args.n, args.warmup))
    return 1 if any(one.failures for one in series) else 0


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    return run_stack_bench("roundtrip", lambda: _main(args))


if __name__ == "__main__":
    sys.exit(main())
