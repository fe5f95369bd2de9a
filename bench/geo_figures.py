"""Figures of ``bench.geo``: latencies per radius and variant, the table and the JSON line."""

from __future__ import annotations

import json
import statistics
from dataclasses import dataclass, field
from typing import Any

from .figures import Summary

#: p95 goals at the default sizes, in ms (issue 6).
GOAL_P95_MS = {"postgres": 5.0, "sqlite": 30.0}
GOAL_EVENTS = {"postgres": 1_000_000, "sqlite": 100_000}


@dataclass
class Series:
    """One variant's queries at one radius."""

    key: str  # "ours" or a baseline's key
    label: str
    radius_km: int
    times_ms: list[float] = field(default_factory=list)
    found: list[int] = field(default_factory=list)

    def latency(self) -> Summary | None:
        return Summary.of(self.times_ms)


@dataclass
class Results:
    engine: str
    server: str
    events: int
    teams: int
    searchable: float
    seeding_s: float
    queries: int
    baseline_queries: int
    seed: int
    series: list[Series] = field(default_factory=list)
    compared: int = 0
    mismatches: list[str] = field(default_factory=list)

    def goal(self) -> dict[int, bool]:
        """Whether "ours" meets the p95 goal at each radius."""
        goal = GOAL_P95_MS[self.engine]
        met = {}
        for one in self.series:
            latency = one.latency()
            if one.key == "ours" and latency is not None:
                met[one.radius_km] = latency.p95 <= goal
        return met


def _cell(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def table(results: Results) -> str:
    goal, at = GOAL_P95_MS[results.engine], GOAL_EVENTS[results.engine]
    lines = [
        f"Events near a point — {results.server}, {results.events:,} events, {results.teams:,} "
        f"teams ({results.searchable:.1%} public, confirmed and not over; seeded in "
        f"{results.seeding_s:.0f} s)",
        "Random communes of the gazetteer, limit 5, first page unless said; ms from call to "
        "answer (EventSearchRepository.near), nearest-rank percentiles; radii and variants "
        "interleaved, point by point",
        f"{'radius':<8}{'variant':<34}{'N':>5}{'p50':>9}{'p95':>9}{'p99':>9}{'max':>9}"
        f"{'mean':>9}{'found':>7}",
    ]
    for one in results.series:
        latency = one.latency()
        values = (
            (latency.p50, latency.p95, latency.p99, latency.max, latency.mean)
            if latency
            else (None,) * 5
        )
        found = statistics.fmean(one.found) if one.found else 0
        lines.append(
            f"{f'{one.radius_km} km':<8}{one.label:<34}{latency.n if latency else 0:>5}"
            + "".join(f"{_cell(value):>9}" for value in values)
            + f"{found:>7.1f}"
        )
    lines.append(
        f"same answers as the baselines: {results.compared - len(results.mismatches)}"
        f"/{results.compared} queries compared"
    )
    met = results.goal()
    verdicts = ", ".join(f"{radius} km {'met' if ok else 'NOT met'}" for radius, ok in met.items())
    lines.append(f"goal: ours p95 ≤ {goal:g} ms at {at:,} events → {verdicts}")
    if results.events != at:
        lines.append(f"(the goal is set for {at:,} events; this run has {results.events:,})")
    lines += [f"mismatch: {m}" for m in results.mismatches[:5]]
    return "\n".join(lines)


def json_line(results: Results) -> str:
    figures: dict[str, Any] = {
        "unit": "ms",
        "percentiles": "nearest-rank",
        "engine": results.engine,
        "server": results.server,
        "events": results.events,
        "teams": results.teams,
        "searchable": round(results.searchable, 4),
        "seeding_s": round(results.seeding_s, 1),
        "queries": results.queries,
        "baseline_queries": results.baseline_queries,
        "seed": results.seed,
        "limit": 5,
        "radii": {},
        "compared": results.compared,
        "mismatches": len(results.mismatches),
        "goal_p95_ms": GOAL_P95_MS[results.engine],
        "goal_met": results.goal(),
    }
    for one in results.series:
        latency = one.latency()
        figures["radii"].setdefault(str(one.radius_km), {})[one.key] = {
            "label": one.label,
            **(latency.as_dict() if latency else {"n": 0}),
            "found_mean": round(statistics.fmean(one.found), 2) if one.found else 0,
        }
    return json.dumps(figures, ensure_ascii=False)
