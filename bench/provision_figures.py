"""Figures of ``bench.provision``: blocks, totals, the table and the JSON line."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from .figures import nearest_rank

#: How often the database is polled for the teams' rooms (the resolution of the latencies).
POLL_SECONDS = 0.1
GOAL = 1.5


@dataclass(frozen=True)
class Block:
    """One measured block of one series."""

    series: str  # "ours" or "raw"
    count: int
    seconds: float
    events: int | None


@dataclass
class Results:
    n: int
    order: list[tuple[str, int]] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    latencies_ms: list[float] = field(default_factory=list)
    spaces_created: int = 0
    retried: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    links_verified: int = 0
    same_state_types: bool | None = None

    def total(self, series: str) -> tuple[int, float, int | None]:
        """Rooms, seconds and events (None if not counted) of a series."""
        mine = [block for block in self.blocks if block.series == series]
        events = [block.events for block in mine]
        counted = None if any(e is None for e in events) else sum(e or 0 for e in events)
        return sum(b.count for b in mine), sum(b.seconds for b in mine), counted

    def ratio(self) -> float | None:
        _, ours, _ = self.total("ours")
        _, raw, _ = self.total("raw")
        return ours / raw if raw else None


def _rate(count: float | None, seconds: float) -> str:
    return "—" if count is None or not seconds else f"{count / seconds:.2f}"


def table(results: Results) -> str:
    order = ", ".join(f"{series} {size}" for series, size in results.order)
    lines = [
        f"Provisioning {results.n} teams against a real Synapse (rooms + state + space links)",
        f"order: warm-up (1 team + 1 raw room, not counted), then alternating blocks: {order}; "
        "the stack settles between blocks (not counted)",
        f"{'':<34}{'N':>5}{'total s':>9}{'rooms/s':>9}{'events':>8}{'events/s':>10}",
    ]
    labels = {
        "ours": "ours: create_team_at → room+link",
        "raw": "raw createRoom loop, same body",
    }
    for series, label in labels.items():
        count, seconds, events = results.total(series)
        lines.append(
            f"{label:<34}{count:>5}{seconds:>9.1f}{_rate(count, seconds):>9}"
            f"{events if events is not None else '—':>8}{_rate(events, seconds):>10}"
        )
    if results.latencies_ms:
        ordered = sorted(results.latencies_ms)
        lines.append(
            f"ours per team, create → room id in the database: p50 {nearest_rank(ordered, 50):.0f}"
            f" ms, p95 {nearest_rank(ordered, 95):.0f} ms, max {ordered[-1]:.0f} ms "
            f"(polled every {POLL_SECONDS * 1000:.0f} ms; nearest rank)"
        )
    ratio = results.ratio()
    if ratio is not None:
        verdict = "met" if ratio <= GOAL else "NOT met"
        lines.append(f"ours / raw: ×{ratio:.2f} (goal ≤ {GOAL}×: {verdict})")
    same = {None: "not checked", True: "yes", False: "NO"}[results.same_state_types]
    lines.append(
        f"département spaces created on demand by ours: {results.spaces_created}; "
        f"space links verified: {results.links_verified}/{results.total('ours')[0]}; "
        f"same state types in a raw and an ours room: {same}"
    )
    if results.retried:
        lines.append(f"room syncs retried: {len(results.retried)} (e.g. {results.retried})")
    return "\n".join(lines)


def json_line(results: Results) -> str:
    figures: dict[str, Any] = {
        "n": results.n,
        "order": [f"{series}:{size}" for series, size in results.order],
        "warmup": "1 team + 1 raw room",
    }
    for series in ("ours", "raw"):
        count, seconds, events = results.total(series)
        figures[series] = {
            "rooms": count,
            "seconds": round(seconds, 3),
            "rooms_per_s": round(count / seconds, 3) if seconds else None,
            "events": events,
            "events_per_s": round(events / seconds, 2) if events is not None and seconds else None,
        }
    if results.latencies_ms:
        ordered = sorted(results.latencies_ms)
        figures["ours"]["room_id_ms"] = {
            "p50": round(nearest_rank(ordered, 50)),
            "p95": round(nearest_rank(ordered, 95)),
            "max": round(ordered[-1]),
        }
    figures["ours"]["spaces_created"] = results.spaces_created
    figures["ours"]["links_verified"] = results.links_verified
    ratio = results.ratio()
    figures["ratio"] = round(ratio, 3) if ratio is not None else None
    figures["goal"] = GOAL
    figures["retried"] = len(results.retried)
    figures["problems"] = len(results.problems)
    return json.dumps(figures, ensure_ascii=False)
