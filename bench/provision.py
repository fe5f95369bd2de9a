"""Provisioning teams: our path, next to a raw ``createRoom`` loop on the same homeserver.

What is measured, on a dev stack of its own (``DevStack`` in a fresh temp folder, on free ports,
exactly what ``ralliement up`` runs):

* ours: N teams created through ``TeamService.create_team_at`` (what the CLI, the bots and the
  provisioning API call), spread over ten postcodes of ten départements. Each creation stores the
  team and a ``room_sync`` row; the running appservice's ``RoomSyncWorker`` notices it (it polls
  every 0.5 s for rows written by other processes), creates the département space the first time,
  creates the room (initial state, power-level override, invites), saves its id, links it into the
  space (``m.space.child``) and joins the agenda bot. The time runs from the first creation to
  the moment every team of the block has its room id and no ``room_sync`` row left (the worker
  deletes it once the link is sent and the bot joined), seen by polling the database every
  100 ms. Per team: create → room id in the database.
* raw: a plain loop of ``createRoom`` calls as the appservice bot (its ``as_token``), one at a
  time like the worker, each with the very body our projector sends
  (``TeamRoomProjector.creation_request``): same room version, initial state, power-level
  override, invites, and an alias of the same shape (fresh for every room).

N of each, in the same stack: each series is cut into ``--blocks`` blocks (4: N/4 each), run in
alternation (raw, ours, raw, ours, ...) after a warm-up (one team and one raw room, not counted),
so that load from anything else on the machine, and a homeserver slowing down as its database
grows, fall on both alike. Between blocks the stack
settles (not counted): the appservice's inbox is drained and the agenda bot has joined every room
so far (it joins the raw rooms by itself, from the bots process, since it is invited to them).

A single Synapse persists only tens of events per second on a small machine: the ratio ours/raw
is what counts (goal: at most 1.5). Events persisted during each measured block are counted
in Synapse's database (read-only, at the block's edges only).

Run from the repository root: ``.venv/bin/python -m bench.provision [-n 200] [--json]``.
It asserts nothing about time; it only prints. Exit status 1 when a team's room or link is missing.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import sqlite3
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from mautrix.api import Method
from mautrix.api import Path as ApiPath
from mautrix.types import UserID

from bridge.db.clock import now_ms
from bridge.db.spaces import ROOT
from bridge.db.teams import Member, Team
from bridge.domain.roles import Role
from bridge.domain.teams import TeamService, new_team_id
from bridge.rooms import RoomProjection, open_room_projection
from bridge.rooms.matrix import RoomState
from ralliement.config import load_config
from ralliement.devstack.accounts import register_user

from .harness import BenchRun, progress, run_stack_bench
from .provision_figures import POLL_SECONDS, Block, Results, json_line, table

log = logging.getLogger("bench.provision")

PASSWORD = "bench horse battery staple"
#: Ten départements; the teams cycle through them, so their spaces are created on demand.
POSTCODES = (
    "69003",  # Rhône
    "13001",  # Bouches-du-Rhône
    "33000",  # Gironde
    "59000",  # Nord
    "31000",  # Haute-Garonne
    "44000",  # Loire-Atlantique
    "67000",  # Bas-Rhin
    "34000",  # Hérault
    "35000",  # Ille-et-Vilaine
    "38000",  # Isère
)
WARMUP_POSTCODE = "75011"  # not in the cycle: its space is made by the warm-up
SETTLE_POLL_SECONDS = 0.5
SETTLE_TIMEOUT = 180.0


class BenchError(RuntimeError):
    """The benchmark cannot go on; the message says what failed."""


def block_sizes(n: int, blocks: int) -> list[int]:
    """``n`` split into ``blocks`` near-equal parts, larger ones first."""
    return [n // blocks + (1 if i < n % blocks else 0) for i in range(blocks)]


class Provisioning:
    """The two series, on one running stack."""

    def __init__(
        self,
        projection: RoomProjection,
        service: TeamService,
        referent: str,
        agenda: str,
        synapse_db: Path,
    ) -> None:
        self.projection = projection
        self.service = service
        self.db = service.repository.db
        self.referent = referent
        self.agenda = agenda
        self.synapse_db = synapse_db
        self.ours: list[str] = []  # team ids
        self.raw_rooms: list[str] = []
        self._numbers = 0

    def _next_place(self, postcode: str | None = None) -> tuple[str, str]:
        self._numbers += 1
        cycled = POSTCODES[self._numbers % len(POSTCODES)]
        return f"Équipe bench {self._numbers:04d}", postcode or cycled

    # --- the two series ------------------------------------------------------------------

    async def raw_block(self, size: int) -> Block:
        """``size`` createRoom calls in a row, each with the body our projector would send."""
        bodies = [await self._raw_body(*self._next_place()) for _ in range(size)]
        events = await self.events()
        started = time.perf_counter()
        for body in bodies:
            self.raw_rooms.append(await self.projection.client.create_room(body))
        seconds = time.perf_counter() - started
        return Block("raw", size, seconds, _difference(events, await self.events()))

    async def _raw_body(self, name: str, postcode: str) -> dict[str, Any]:
        cleaned, kind, place = self.service.check_new_team(name, "local", postcode)
        assert place is not None
        team = Team(
            id=new_team_id(cleaned),
            name=cleaned,
            kind=kind,
            description="",
            commune=place.commune,
            postcode=place.postcode,
            departement=place.departement,
            latitude=place.latitude,
            longitude=place.longitude,
            room_id=None,
            created_at=now_ms(),
            archived_at=None,
        )
        members = [Member(team.id, self.referent, Role.REFERENT, team.created_at)]
        # The département's space when ours made it already, else the root: the same shape.
        spaces = self.projection.spaces.repository
        space = await spaces.get(place.departement) or await spaces.get(ROOT)
        if space is None:
            raise BenchError("no campaign space yet: the warm-up should have made one")
        return self.projection.projector.creation_request(team, members, space)

    async def ours_block(self, size: int, results: Results, postcode: str | None = None) -> Block:
        """``size`` teams through the domain service, until each has its room and link; in the
        cycled départements unless ``postcode`` is given."""
        spaces_before = len(await self.projection.spaces.repository.all())
        events = await self.events()
        started = time.perf_counter()
        created: dict[str, float] = {}
        for _ in range(size):
            name, place = self._next_place(postcode)
            team = await self.service.create_team_at(name, "local", place, self.referent)
            created[team.id] = time.perf_counter()
        finished, seen = await self._wait_for_rooms(created, results, started + 60 + 5 * size)
        seconds = finished - started
        block = Block("ours", size, seconds, _difference(events, await self.events()))
        results.latencies_ms += [(seen[team] - created[team]) * 1000 for team in created]
        results.spaces_created += len(await self.projection.spaces.repository.all()) - spaces_before
        self.ours += created
        return block

    async def _wait_for_rooms(
        self, created: dict[str, float], results: Results, deadline: float
    ) -> tuple[float, dict[str, float]]:
        """Poll the database until every team has a room id and no pending room sync."""
        seen: dict[str, float] = {}
        while True:
            rooms = await self.db.fetch("SELECT id FROM team WHERE room_id IS NOT NULL")
            queued = await self.db.fetch("SELECT team_id, attempts, last_error FROM room_sync")
            now = time.perf_counter()
            for row in rooms:
                if row["id"] in created:
                    seen.setdefault(row["id"], now)
            waiting = {row["team_id"] for row in queued} & created.keys()
            for row in queued:
                if row["team_id"] in created and row["attempts"]:
                    results.retried[row["team_id"]] = str(row["last_error"])
            if len(seen) == len(created) and not waiting:
                return now, seen
            if now > deadline:
                raise BenchError(
                    f"after {now - min(created.values()):.0f} s, {len(created) - len(seen)} of "
                    f"{len(created)} teams still have no room and {len(waiting)} are queued; "
                    f"last errors: {list(results.retried.values())[-3:]}"
                )
            await asyncio.sleep(POLL_SECONDS)

    # --- between and after blocks --------------------------------------------------------

    async def settle(self) -> None:
        """Wait until the appservice's inbox and outbox are empty and the agenda bot sits in
        every room made so far."""
        deadline = time.monotonic() + SETTLE_TIMEOUT
        expected = len(self.raw_rooms) + len(self.ours)
        agenda = self.projection.client.api.user(UserID(self.agenda))
        while True:
            inbox = await self.db.fetchval(
                "SELECT COUNT(*) FROM inbox_event WHERE processed_at IS NULL AND failed_at IS NULL"
            )
            outbox = await self.db.fetchval("SELECT COUNT(*) FROM room_sync")
            joined = await agenda.request(Method.GET, ApiPath.v3.joined_rooms)
            if not inbox and not outbox and len(joined["joined_rooms"]) >= expected:
                return
            if time.monotonic() > deadline:
                progress(
                    f"not settled after {SETTLE_TIMEOUT:.0f} s (inbox {inbox}, outbox {outbox}, "
                    f"agenda in {len(joined['joined_rooms'])}/{expected} rooms); going on"
                )
                return
            await asyncio.sleep(SETTLE_POLL_SECONDS)

    async def verify(self, results: Results) -> None:
        """Every team of ours has its room, linked from its space; a raw room has the same kinds
        of state as ours."""
        client = self.projection.client
        domain = self.projection.projector.settings.domain
        space_states: dict[str, RoomState] = {}
        for team_id in self.ours:
            team = await self.service.get_team(team_id)
            if team.room_id is None:
                results.problems.append(f"team {team_id} has no room")
                continue
            space = await self.projection.spaces.repository.get(team.departement or ROOT)
            if space is None:
                results.problems.append(f"team {team_id}: no space for {team.departement}")
                continue
            if space not in space_states:
                space_states[space] = await client.state(space)
            link = space_states[space].get("m.space.child", team.room_id)
            if link != {"via": [domain]}:
                results.problems.append(f"team {team_id}: link {link!r} in {space}")
                continue
            results.links_verified += 1
        if self.raw_rooms and self.ours:
            last = await self.service.get_team(self.ours[-1])
            if last.room_id is not None:
                raw = await client.state(self.raw_rooms[-1])
                ours = await client.state(last.room_id)
                results.same_state_types = {t for t, _ in raw.contents} == {
                    t for t, _ in ours.contents
                }

    async def events(self) -> int | None:
        """How many events Synapse has persisted (None if its database cannot be read)."""
        return await asyncio.to_thread(_count_events, self.synapse_db)


def _count_events(path: Path) -> int | None:
    try:
        with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as db:
            return int(db.execute("SELECT COUNT(*) FROM events").fetchone()[0])
    except sqlite3.Error as error:
        log.warning("Counting Synapse's events failed: %s", error)
        return None


def _difference(before: int | None, after: int | None) -> int | None:
    return None if before is None or after is None else after - before


# --- the run ---------------------------------------------------------------------------------


async def run(n: int, blocks: int, keep: bool) -> Results:
    """Start a stack in a fresh temp folder, measure, stop everything whatever happens."""
    results = Results(n)
    async with BenchRun(keep) as run:
        stack, info, secret = await run.start_stack()
        assert stack.synapse is not None
        referent = await register_user(info.homeserver, secret, "bench_referent", PASSWORD)
        config = load_config(stack.config_path)
        projection = await run.resources.enter_async_context(open_room_projection(config))
        bench = Provisioning(
            projection,
            TeamService(projection.teams),
            referent.user_id,
            config.bot_user_id("agenda"),
            stack.synapse.setup.directory / "homeserver.db",
        )

        progress("warm-up: one team and one raw room (not counted)")
        await bench.ours_block(1, Results(1), WARMUP_POSTCODE)
        await bench.raw_block(1)
        await bench.settle()
        sizes = block_sizes(n, blocks)
        rounds = [(series, size) for size in sizes for series in ("raw", "ours")]
        for number, (series, size) in enumerate(rounds):
            results.order.append((series, size))
            if series == "raw":
                block = await bench.raw_block(size)
            else:
                block = await bench.ours_block(size, results)
            results.blocks.append(block)
            progress(f"block {number + 1}/{len(rounds)}: {series} {size} in {block.seconds:.1f} s")
            await bench.settle()
        bench.ours = bench.ours[1:]  # the warm-up team is not counted
        await bench.verify(results)
        for problem in results.problems:
            progress(problem)
        run.clean = not results.problems
        return results


# --- entry point -----------------------------------------------------------------------------


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.provision",
        description="Team provisioning (rooms, state, space links) vs a raw createRoom loop.",
    )
    parser.add_argument("-n", type=int, default=200, help="teams, and as many raw rooms (200)")
    parser.add_argument(
        "--blocks", type=int, default=4, help="blocks per series, alternating, raw first (4)"
    )
    parser.add_argument("--json", action="store_true", help="also print one JSON line")
    parser.add_argument(
        "--keep", action="store_true", help="keep the temp folder (stack logs) after a good run"
    )
    args = parser.parse_args(argv)
    if args.blocks < 1 or args.n < args.blocks:
        parser.error("--blocks must be ≥ 1, and -n at least --blocks")
    return args


async def _main(args: argparse.Namespace) -> int:
    try:
        results = await run(args.n, args.blocks, args.keep)
    except BenchError as error:
        print(f"bench.provision: {error}", file=sys.stderr)
        return 1
    print(table(results))
    if args.json:
        print(json_line(results))
    return 1 if results.problems else 0


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    return run_stack_bench("provision", lambda: _main(args))


if __name__ == "__main__":
    sys.exit(main())
