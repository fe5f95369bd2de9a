"""N event reminders due at once, sent by the reminders bot, next to a bare encrypted send loop.

What is measured, on a dev stack of its own (``DevStack`` in a fresh temp folder, on free ports,
exactly what ``ralliement up`` runs, with only the reminders bot enabled):

* ours: N ``event_attendee`` reminders made by the domain — a team, events, and RSVPs of a few
  receivers (``--receivers``, 4) through ``EventService.rsvp``, each receiver having set five
  offsets (so each RSVP makes five rows) — then given one due time, a few seconds ahead, by a
  single ``UPDATE`` (the rows are otherwise untouched: the bench does not wait hours). The
  reminders bot's scheduler claims them in batches, writes each message from its event and
  sends it, encrypted, in the receiver's DM with the bot, with the reminder's transaction id.
  The team room's and the organiser's report reminders are cancelled: only DMs are counted.
* bare: a plain matrix-nio client (``MatrixUser``, no runtime) sends N encrypted messages in a
  loop, one after the other, round-robin to one encrypted DM with each receiver.

The receivers are matrix-nio E2EE clients syncing in the background; each message carries a key
(``org.ralliement.reminder`` ``{id, occurrence}`` or ``org.ralliement.bench``), so every
delivery, and every duplicate, is counted where people would see it. Time until the last is
delivered: from the due time (ours) or the first send (bare) to the first arrival of the last
message. Lateness: first arrival minus due time (ours) or minus that message's send (bare).
Also from the database: ``sent_at - due_at``, statuses, rows marked late. From the bots' log:
lines about reminders not sent and about rate limiting (there should be none: the bots are
appservice users, and the registration says ``rate_limited: false``).

Warm-up (not counted): one RSVP per receiver (five reminders each) sent at once, and one bare
message per room, so Olm sessions and room keys exist before measuring. The bare series runs
first; a homeserver slows down as its database grows, so that order does not favour ours.

Run from the repository root: ``.venv/bin/python -m bench.reminders [-n 2000] [--json]``.
It asserts nothing about time; exit status 1 when a message is missing or duplicated.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import math
import sys
import time
from collections.abc import Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from mautrix.util.async_db import Database

from bridge.db import create_database
from bridge.db.events import EventRepository
from bridge.db.reminder_settings import ReminderSettingsRepository
from bridge.db.teams import TeamRepository
from bridge.domain.events import EventPlace, EventService
from bridge.domain.teams import TeamService
from ralliement.config import load_config
from ralliement.devstack.accounts import register_user
from ralliement.devstack.stack import StackState, app_config_dict
from tests.support.matrix_user import MatrixUser

from .figures import Summary
from .harness import BenchRun, progress, run_stack_bench
from .reminder_clients import (
    Arrivals,
    close_user,
    count_events,
    count_in_log,
    now_ms,
    room_with,
    send_numbered,
)
from .reminder_figures import Results, Series, json_line, table

log = logging.getLogger("bench.reminders")

PASSWORD = "bench horse battery staple"
PARIS = ZoneInfo("Europe/Paris")
OFFSETS = "5h,4h,3h,2h,1h"  # five reminders per RSVP
PER_RSVP = 5
PLACE = EventPlace("Place Bellecour, 69002 Lyon", "Lyon 2e Arrondissement", "69002")
LEAD_MS = 3_000  # the due time, ahead of the UPDATE that sets it
SETUP_TIMEOUT = 120.0
AFTERMATH_S = 5.0  # waited after the last arrival, for duplicates
REMINDERS_BOT = {
    "enabled": True,
    "localpart": "ralliement_rappels",
    "displayname": "Ralliement – Rappels",
}


class BenchError(RuntimeError):
    """The benchmark cannot go on; the message says what failed."""


def stack_overrides(stack_dir: Path, port: int) -> dict[str, Any]:
    """The dev stack's bots, with only the reminders bot enabled."""
    stack_dir.mkdir(parents=True, exist_ok=True)
    bots = dict(app_config_dict(StackState.load_or_create(stack_dir / "stack.json", port))["bots"])
    for name in ("welcome", "agenda"):
        bots[name] = {**bots[name], "enabled": False}
    bots["reminders"] = {**REMINDERS_BOT, **bots.get("reminders", {}), "enabled": True}
    return {"bots": bots}


class Bench:
    def __init__(self, db: Database, bot: str, synapse_db: Path, bots_log: Path) -> None:
        self.db = db
        self.bot = bot
        self.synapse_db = synapse_db
        self.bots_log = bots_log
        self.arrivals = Arrivals()
        self.receivers: list[MatrixUser] = []
        self.bare_rooms: list[str] = []
        self.warm_up_event = ""

    async def make_reminders(self, n: int, organiser: str) -> int:
        """Events and RSVPs through the domain: ``n`` reminders to measure, and the warm-up's.
        Returns how many rows the domain made (the extra ones, over ``n``, are cancelled)."""
        teams = TeamService(TeamRepository(self.db))
        team = await teams.create_team_at("Équipe bench rappels", "local", "69002", organiser)
        events = EventService(EventRepository(self.db), teams.repository)
        settings = ReminderSettingsRepository(self.db)
        for receiver in self.receivers:
            await settings.set_offsets(receiver.user_id, OFFSETS)
        start = datetime.now(PARIS).replace(microsecond=0) + timedelta(hours=8)
        warm_up = await events.create_event(team.id, organiser, "Échauffement", start, PLACE)
        self.warm_up_event = warm_up.id
        count = math.ceil(n / (PER_RSVP * len(self.receivers)))
        for number in range(count):
            event = await events.create_event(
                team.id, organiser, f"Tractage bench {number + 1}", start, PLACE
            )
            for user in self.receivers:
                if number == 0:
                    await events.rsvp(warm_up.id, user.user_id, going=True)
                await events.rsvp(event.id, user.user_id, going=True)
            if (number + 1) % 25 == 0:
                progress(f"{number + 1}/{count} events, {len(self.receivers)} RSVPs each")
        await self.db.execute(
            "UPDATE reminder SET status = 'cancelled'"
            " WHERE kind IN ('event_room', 'event_report') AND status = 'scheduled'"
        )
        measured = await self.db.fetch(
            "SELECT id FROM reminder WHERE kind = 'event_attendee' AND event_id <> $1 ORDER BY id",
            warm_up.id,
        )
        for row in measured[n:]:
            await self.db.execute(
                "UPDATE reminder SET status = 'cancelled' WHERE id = $1", row["id"]
            )
        return len(measured)

    async def settle(self) -> None:
        """Until the appservice has published every event (no ``room_sync`` row left)."""
        deadline = time.monotonic() + SETUP_TIMEOUT * 3
        while await self.db.fetchval("SELECT COUNT(*) FROM room_sync"):
            if time.monotonic() > deadline:
                progress("the appservice still has room syncs queued; going on")
                return
            await asyncio.sleep(0.5)

    async def due_now(self, *, warm_up: bool) -> tuple[float, list[str]]:
        """Make the warm-up's (or the measured) reminders due at once; their due time and keys."""
        due = now_ms() + LEAD_MS
        which = "event_id = $2" if warm_up else "event_id <> $2"
        rows = await self.db.fetch(
            f"UPDATE reminder SET due_at = $1 WHERE kind = 'event_attendee'"
            f" AND status = 'scheduled' AND {which} RETURNING id, occurrence",
            int(due),
            self.warm_up_event,
        )
        return due, [f"{row['id']}/{row['occurrence']}" for row in rows]

    async def bare(self, sender: MatrixUser, n: int, timeout: float) -> Series:
        for index, room in enumerate(self.bare_rooms):  # warm-up: a room key in each room
            if error := await send_numbered(sender, room, -1 - index):
                raise BenchError(f"bare warm-up send failed: {error}")
        if not await self.arrivals.wait(self.arrivals.bare, len(self.bare_rooms), SETUP_TIMEOUT):
            raise BenchError("bare warm-up: messages did not arrive")
        self.arrivals.bare.clear()
        events = await asyncio.to_thread(count_events, self.synapse_db)
        started = now_ms()
        sent: dict[int, float] = {}
        errors = 0
        for number in range(n):
            sent[number] = now_ms()
            if error := await send_numbered(
                sender, self.bare_rooms[number % len(self.bare_rooms)], number
            ):
                errors += 1
                progress(f"bare send {number} failed: {error}")
        await self.arrivals.wait(self.arrivals.bare, n, timeout)
        after = await asyncio.to_thread(count_events, self.synapse_db)
        await asyncio.sleep(AFTERMATH_S)
        series = Series("bare nio loop", n, started, dict(self.arrivals.bare), sent, errors=errors)
        series.events = None if events is None or after is None else after - events
        return series

    async def ours(self, n: int, timeout: float, results: Results) -> Series:
        events = await asyncio.to_thread(count_events, self.synapse_db)
        due, keys = await self.due_now(warm_up=False)
        if len(keys) != n:
            results.problems.append(f"{len(keys)} reminders made due instead of {n}")
        await asyncio.sleep(max(0.0, (due - now_ms()) / 1000))
        await self.arrivals.wait(self.arrivals.ours, len(keys), timeout)
        after = await asyncio.to_thread(count_events, self.synapse_db)
        await asyncio.sleep(AFTERMATH_S)
        series = Series("reminders bot", n, due, dict(self.arrivals.ours), dict.fromkeys(keys, due))
        series.events = None if events is None or after is None else after - events
        rows = await self.db.fetch(
            "SELECT status, sent_at, due_at, late FROM reminder WHERE kind = 'event_attendee'"
            " AND event_id <> $1 AND due_at = $2",
            self.warm_up_event,
            int(due),
        )
        for row in rows:
            results.statuses[row["status"]] = results.statuses.get(row["status"], 0) + 1
        results.marked = Summary.of(
            [float(row["sent_at"] - row["due_at"]) for row in rows if row["sent_at"] is not None]
        )
        results.late_marked = sum(1 for row in rows if row["late"])
        return series


async def run(n: int, receivers: int, timeout: float, keep: bool) -> Results:
    """Start a stack in a fresh temp folder, measure, stop everything whatever happens."""
    results = Results(n, receivers)
    async with BenchRun(keep) as run:
        stack, info, secret = await run.start_stack(
            "Synapse, the appservice and the reminders bot", stack_overrides
        )
        assert stack.synapse is not None
        bot = info.bots.get("reminders")
        if bot is None:
            raise BenchError(f"the reminders bot is not running (bots: {info.bots})")

        async def user(name: str) -> MatrixUser:
            account = await register_user(info.homeserver, secret, name, PASSWORD)
            one = MatrixUser(info.homeserver, account.user_id, run.data_dir / name)
            run.resources.push_async_callback(close_user, one)
            await one.login(PASSWORD)
            return one

        organiser = await register_user(info.homeserver, secret, "bench_organiser", PASSWORD)
        sender = await user("bench_sender")
        config = load_config(stack.config_path)
        db = create_database(config.database.url, migrate=False)
        await db.start()
        run.resources.push_async_callback(db.stop)
        bench = Bench(
            db,
            bot,
            stack.synapse.setup.directory / "homeserver.db",
            run.data_dir / "stack" / "logs" / "bots.log",
        )
        for number in range(receivers):
            receiver = await user(f"bench_receiver{number + 1}")
            bench.arrivals.watch(receiver)
            bench.receivers.append(receiver)
            await receiver.direct_chat(bot, timeout=SETUP_TIMEOUT)
            bench.bare_rooms.append(await room_with(receiver, sender))
        progress(f"making {n} reminders through events and RSVPs ...")
        made = await bench.make_reminders(n, organiser.user_id)
        progress(f"{made} made ({n} kept); waiting for the appservice to publish the events")
        await bench.settle()

        progress("warm-up (not counted)")
        _, keys = await bench.due_now(warm_up=True)
        if not await bench.arrivals.wait(bench.arrivals.ours, len(keys), SETUP_TIMEOUT):
            raise BenchError(
                f"warm-up: {len(bench.arrivals.ours)}/{len(keys)} reminders arrived within "
                f"{SETUP_TIMEOUT:.0f} s (is the reminders bot sending?)"
            )
        bench.arrivals.ours.clear()
        progress(f"bare: {n} encrypted messages in a loop")
        results.bare = await bench.bare(sender, n, timeout)
        progress(f"bare: {results.bare.seconds:.1f} s; ours: {n} reminders due at once")
        results.ours = await bench.ours(n, timeout, results)
        results.undecryptable = len(bench.arrivals.undecryptable)
        results.not_sent_lines = count_in_log(bench.bots_log, ("not sent (",))
        results.rate_limited_lines = count_in_log(bench.bots_log, ("M_LIMIT_EXCEEDED", " 429"))
        for series in (results.bare, results.ours):
            if series.delivered < n:
                results.problems.append(f"{series.label}: {series.delivered}/{n} delivered")
            if series.duplicates:
                results.problems.append(f"{series.label}: {series.duplicates} duplicates")
        run.clean = not results.problems
        return results


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.reminders",
        description="N event reminders due at once vs a bare encrypted send loop, over E2EE.",
    )
    parser.add_argument("-n", type=int, default=2000, help="reminders, and bare messages (2000)")
    parser.add_argument("--receivers", type=int, default=4, help="receiving users (4)")
    parser.add_argument(
        "--timeout", type=float, default=900.0, help="seconds allowed for one series (900)"
    )
    parser.add_argument("--json", action="store_true", help="also print one JSON line")
    parser.add_argument(
        "--keep", action="store_true", help="keep the temp folder (stack logs) after a good run"
    )
    args = parser.parse_args(argv)
    if args.n < 1 or args.receivers < 1 or args.timeout <= 0:
        parser.error("-n and --receivers must be ≥ 1, --timeout > 0")
    return args


async def _main(args: argparse.Namespace) -> int:
    try:
        results = await run(args.n, args.receivers, args.timeout, args.keep)
    except BenchError as error:
        print(f"bench.reminders: {error}", file=sys.stderr)
        return 1
    print(table(results))
    if args.json:
        print(json_line(results))
    return 1 if results.problems else 0


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    return run_stack_bench("reminders", lambda: _main(args))


if __name__ == "__main__":
    sys.exit(main())
