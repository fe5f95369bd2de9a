"""One ban across N rooms: our path from a policy rule, next to raw ban calls in a loop.

What is measured, on a dev stack of its own (``DevStack`` in a fresh temp folder, on free ports,
exactly what ``ralliement up`` runs):

* setup (not measured): N rooms (default 300) made with plain ``createRoom`` calls as the
  appservice bot (room version 12, 8 at a time) and recorded as teams with a direct ``INSERT``
  into ``team`` (id, name, kind, room id): to the appservice they are managed team rooms like any
  other, without the projection's state, bots and space links, which a ban does not need and
  which would make the setup take minutes.
* ours: one ``m.policy.rule.user`` rule (``m.ban``, a user without wildcards) written in the
  campaign's policy list as the moderation bot writes it for ``!ban``. The homeserver sends it to
  the appservice, which records it, writes N ban actions in the same transaction and carries
  them out (8 at a time). Timed from just before the rule's ``PUT`` until the database shows the
  N actions done, polled every 25 ms. Per ban: rule written → that room's action done.
* raw: N ``POST /rooms/{id}/ban`` calls in a plain loop, one after the other, as the appservice
  bot (same HTTP client), for another user. Per ban: that call's round trip.

Each target is a fresh registered user who is in none of the rooms (a campaign-wide ban is
mostly pre-emptive). After a warm-up (one of each, not counted) the series alternate in
``--blocks`` blocks (raw, ours, raw, ours...), and the appservice settles between blocks (empty
inbox, no pending action), so load from anything else on the machine falls on both alike. At the
end every room's member state of every target is read back: each must be ``ban``.

Run from the repository root: ``.venv/bin/python -m bench.moderation [--rooms 300] [--json]``.
It asserts nothing about time; it only prints. Exit status 1 when a ban is missing or failed.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from mautrix.api import Method
from mautrix.api import Path as ApiPath
from mautrix.types import UserID
from mautrix.util.async_db import Database

from bridge.db.clock import now_ms
from bridge.db.policy import PolicyStore, RoomPurpose
from bridge.domain.moderation.policy import rule_content, rule_state_key
from bridge.rooms import open_room_projection, state
from bridge.rooms.matrix import RoomClient
from ralliement.config import load_config
from ralliement.devstack.accounts import register_user

from .figures import Summary
from .harness import BenchRun, progress, run_stack_bench

log = logging.getLogger("bench.moderation")

PASSWORD = "bench horse battery staple"
POLL_SECONDS = 0.025
CREATE_CONCURRENCY = 8
SETTLE_TIMEOUT = 120.0


class BenchError(RuntimeError):
    """The benchmark cannot go on; the message says what failed."""


@dataclass(frozen=True)
class Block:
    series: str
    user_id: str
    seconds: float


@dataclass
class Results:
    rooms: int
    blocks: list[Block] = field(default_factory=list)
    latencies_ms: dict[str, list[float]] = field(default_factory=lambda: {"ours": [], "raw": []})
    verified: int = 0
    problems: list[str] = field(default_factory=list)

    def seconds(self, series: str) -> float:
        return sum(block.seconds for block in self.blocks if block.series == series)

    def count(self, series: str) -> int:
        return sum(1 for block in self.blocks if block.series == series)

    @property
    def ratio(self) -> float:
        raw = self.seconds("raw")
        return self.seconds("ours") / raw if raw else float("nan")


class Bans:
    """The rooms and the two series, on one running stack."""

    def __init__(
        self, client: RoomClient, db: Database, policy_list: str, moderation_bot: str
    ) -> None:
        self.client = client
        self.db = db
        self.policy_list = policy_list
        self.moderation_bot = moderation_bot
        self.rooms: list[str] = []

    async def make_rooms(self, n: int) -> None:
        """``n`` rooms created by the appservice bot, recorded as teams."""
        slots = asyncio.Semaphore(CREATE_CONCURRENCY)

        async def one(number: int) -> str:
            async with slots:
                room_id = await self.client.create_room(
                    {
                        "room_version": state.ROOM_VERSION,
                        "preset": "private_chat",
                        "name": f"Équipe bench {number:04d}",
                    }
                )
            await self.db.execute(
                "INSERT INTO team (id, name, kind, room_id, created_at)"
                " VALUES ($1, $2, 'thematic', $3, $4)",
                f"bench-{number:04d}",
                f"Équipe bench {number:04d}",
                room_id,
                now_ms(),
            )
            return room_id

        self.rooms = list(await asyncio.gather(*(one(number) for number in range(n))))

    async def ours(self, user_id: str, results: Results | None) -> Block:
        """Write the rule; wait until the appservice has banned ``user_id`` everywhere."""
        path = ApiPath.v3.rooms[self.policy_list].state["m.policy.rule.user"][
            rule_state_key(user_id)
        ]
        moderation_bot = self.client.api.user(UserID(self.moderation_bot))
        written_ms = now_ms()
        started = time.perf_counter()
        await moderation_bot.request(Method.PUT, path, rule_content(user_id, "bench"))
        deadline = started + 60 + len(self.rooms) * 0.5
        while True:
            rows = await self.db.fetch(
                "SELECT done_at, failed_at, last_error FROM moderation_action"
                " WHERE user_id = $1 AND action = 'ban'",
                user_id,
            )
            now = time.perf_counter()
            done = [row["done_at"] for row in rows if row["done_at"] is not None]
            failed = [row["last_error"] for row in rows if row["failed_at"] is not None]
            if failed:
                raise BenchError(f"{len(failed)} bans of {user_id} failed: {failed[:3]}")
            if len(done) >= len(self.rooms):
                break
            if now > deadline:
                raise BenchError(
                    f"after {now - started:.0f} s, {len(done)} of {len(self.rooms)} bans of"
                    f" {user_id} are done"
                )
            await asyncio.sleep(POLL_SECONDS)
        if results is not None:
            results.latencies_ms["ours"] += [float(at - written_ms) for at in done]
        return Block("ours", user_id, now - started)

    async def raw(self, user_id: str, results: Results | None) -> Block:
        """Ban ``user_id`` from every room, one call after the other."""
        latencies = []
        started = time.perf_counter()
        for room_id in self.rooms:
            sent = time.perf_counter()
            await self.client.ban(room_id, user_id, "bench")
            latencies.append((time.perf_counter() - sent) * 1000)
        seconds = time.perf_counter() - started
        if results is not None:
            results.latencies_ms["raw"] += latencies
        return Block("raw", user_id, seconds)

    async def settle(self) -> None:
        """Wait until the appservice's inbox is processed and no action is pending."""
        deadline = time.monotonic() + SETTLE_TIMEOUT
        while True:
            inbox = await self.db.fetchval(
                "SELECT COUNT(*) FROM inbox_event WHERE processed_at IS NULL AND failed_at IS NULL"
            )
            pending = await self.db.fetchval(
                "SELECT COUNT(*) FROM moderation_action WHERE done_at IS NULL AND failed_at IS NULL"
            )
            if not inbox and not pending:
                return
            if time.monotonic() > deadline:
                progress(f"not settled after {SETTLE_TIMEOUT:.0f} s ({inbox}, {pending}); going on")
                return
            await asyncio.sleep(0.2)

    async def verify(self, user_ids: list[str], results: Results) -> None:
        """Every target's membership in every room, read back from the homeserver."""
        slots = asyncio.Semaphore(16)

        async def one(room_id: str, user_id: str) -> None:
            async with slots:
                member = await self.client.state_event(room_id, "m.room.member", user_id)
            if (member or {}).get("membership") == "ban":
                results.verified += 1
            else:
                results.problems.append(f"{user_id} not banned from {room_id}: {member!r}")

        await asyncio.gather(*(one(room, user) for user in user_ids for room in self.rooms))


async def run(n: int, blocks: int, keep: bool) -> Results:
    """Start a stack in a fresh temp folder, measure, stop everything whatever happens."""
    results = Results(n)
    async with BenchRun(keep) as run:
        stack, info, secret = await run.start_stack()
        config = load_config(stack.config_path)
        projection = await run.resources.enter_async_context(open_room_projection(config))
        policy_list = await PolicyStore(projection.db).room(RoomPurpose.POLICY)
        if policy_list is None:
            raise BenchError("the appservice made no policy list (is the moderation bot on?)")
        bench = Bans(
            projection.client,
            projection.db,
            policy_list.room_id,
            config.bot_user_id("moderation"),
        )
        progress(f"creating {n} rooms as the appservice bot ...")
        started = time.perf_counter()
        await bench.make_rooms(n)
        progress(f"{n} rooms in {time.perf_counter() - started:.1f} s; settling")
        await bench.settle()

        numbers = iter(range(1000))

        async def target() -> str:
            account = await register_user(
                info.homeserver, secret, f"bench_cible_{next(numbers)}", PASSWORD
            )
            return account.user_id

        progress("warm-up: one ban of each kind (not counted)")
        await bench.raw(await target(), None)
        await bench.settle()
        await bench.ours(await target(), None)
        await bench.settle()
        ours_users = []
        for number in range(blocks):
            for series in ("raw", "ours"):
                user_id = await target()
                if series == "raw":
                    block = await bench.raw(user_id, results)
                else:
                    block = await bench.ours(user_id, results)
                    ours_users.append(user_id)
                results.blocks.append(block)
                progress(f"block {number + 1}/{blocks} {series}: {block.seconds:.2f} s")
                await bench.settle()
        await bench.verify(ours_users, results)
        for problem in results.problems[:10]:
            progress(problem)
        run.clean = not results.problems
        return results


# --- output ----------------------------------------------------------------------------------


def table(results: Results) -> str:
    n = results.rooms
    lines = [
        f"One ban across {n} rooms, {results.count('ours')} blocks of each, alternating",
        "series | blocks s (each) | mean s | bans/s | per ban ms p50 / p95 / p99 / max",
    ]
    for series, label in (("ours", "ours (policy rule)"), ("raw", "raw POST /ban loop")):
        times = [block.seconds for block in results.blocks if block.series == series]
        count = len(times)
        total = sum(times)
        summary = Summary.of(results.latencies_ms[series])
        per_ban = (
            f"{summary.p50:.0f} / {summary.p95:.0f} / {summary.p99:.0f} / {summary.max:.0f}"
            if summary
            else "-"
        )
        each = ", ".join(f"{t:.2f}" for t in times)
        rate = n * count / total if total else float("nan")
        lines.append(
            f"{label} | {total:.2f} ({each}) | {total / max(count, 1):.2f} | {rate:.0f} | {per_ban}"
        )
    lines.append(f"ours / raw: ×{results.ratio:.2f} (goal ≤ 1.2)")
    lines.append(
        "per ban: ours = rule written → that room's ban done; raw = that call's round trip"
    )
    lines.append(f"verified banned: {results.verified}; problems: {len(results.problems)}")
    return "\n".join(lines)


def json_line(results: Results) -> str:
    data: dict[str, Any] = {
        "rooms": results.rooms,
        "ratio": round(results.ratio, 3),
        "verified": results.verified,
        "problems": len(results.problems),
    }
    for series in ("ours", "raw"):
        summary = Summary.of(results.latencies_ms[series])
        data[series] = {
            "blocks_s": [round(b.seconds, 3) for b in results.blocks if b.series == series],
            "per_ban_ms": summary.as_dict() if summary else None,
        }
    return json.dumps(data)


# --- entry point -----------------------------------------------------------------------------


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.moderation",
        description="One ban across N rooms from a policy rule vs raw ban calls in a loop.",
    )
    parser.add_argument("--rooms", type=int, default=300, help="managed rooms (300)")
    parser.add_argument(
        "--blocks", type=int, default=4, help="bans of each kind, alternating, raw first (4)"
    )
    parser.add_argument("--json", action="store_true", help="also print one JSON line")
    parser.add_argument(
        "--keep", action="store_true", help="keep the temp folder (stack logs) after a good run"
    )
    args = parser.parse_args(argv)
    if args.blocks < 1 or args.rooms < 1:
        parser.error("--blocks and --rooms must be ≥ 1")
    return args


async def _main(args: argparse.Namespace) -> int:
    try:
        results = await run(args.rooms, args.blocks, args.keep)
    except BenchError as error:
        print(f"bench.moderation: {error}", file=sys.stderr)
        return 1
    print(table(results))
    if args.json:
        print(json_line(results))
    return 1 if results.problems else 0


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    return run_stack_bench("moderation", lambda: _main(args))


if __name__ == "__main__":
    sys.exit(main())
