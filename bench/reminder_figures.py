"""Figures of ``bench.reminders``: one series per sender, the table and the JSON line."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .figures import Summary

GOAL = 0.8


@dataclass
class Series:
    """One sender's N messages, as the receivers saw them.

    ``started_ms`` is when sending could begin: the reminders' due time, or the baseline's first
    send. ``reference_ms`` gives each message its own start (its due time; its send for the
    baseline): lateness is its first arrival minus that.
    """

    label: str
    n: int
    started_ms: float
    arrivals: Mapping[Any, Sequence[float]]
    reference_ms: Mapping[Any, float]
    events: int | None = None
    errors: int = 0

    @property
    def delivered(self) -> int:
        return sum(1 for key in self.reference_ms if self.arrivals.get(key))

    @property
    def duplicates(self) -> int:
        return sum(len(times) - 1 for times in self.arrivals.values() if times)

    @property
    def strangers(self) -> int:
        """Messages received that this series did not send."""
        return sum(1 for key in self.arrivals if key not in self.reference_ms)

    @property
    def seconds(self) -> float:
        """From the start to the first arrival of the last message to arrive."""
        firsts = [min(times) for key, times in self.arrivals.items() if times]
        return (max(firsts) - self.started_ms) / 1000 if firsts else float("nan")

    @property
    def per_second(self) -> float:
        return self.delivered / self.seconds if self.seconds > 0 else float("nan")

    @property
    def lateness(self) -> Summary | None:
        return Summary.of(
            [
                min(self.arrivals[key]) - start
                for key, start in self.reference_ms.items()
                if self.arrivals.get(key)
            ]
        )

    def as_dict(self) -> dict[str, Any]:
        lateness = self.lateness
        return {
            "n": self.n,
            "delivered": self.delivered,
            "duplicates": self.duplicates,
            "strangers": self.strangers,
            "errors": self.errors,
            "seconds": round(self.seconds, 2),
            "per_second": round(self.per_second, 2),
            "lateness_ms": lateness.as_dict() if lateness else None,
            "synapse_events": self.events,
        }


@dataclass
class Results:
    n: int
    receivers: int
    bare: Series | None = None
    ours: Series | None = None
    #: ``sent_at - due_at`` of the reminders, from the database (ms).
    marked: Summary | None = None
    statuses: dict[str, int] = field(default_factory=dict)
    late_marked: int = 0
    undecryptable: int = 0
    #: Lines of the bots' log about reminders not sent, and about rate limiting.
    not_sent_lines: int = 0
    rate_limited_lines: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ratio(self) -> float | None:
        if self.bare is None or self.ours is None or not self.bare.per_second:
            return None
        return self.ours.per_second / self.bare.per_second


def _ms(summary: Summary | None) -> str:
    if summary is None:
        return "–"
    return f"{summary.p50 / 1000:.1f} / {summary.p95 / 1000:.1f} / {summary.max / 1000:.1f} s"


def table(results: Results) -> str:
    lines = [
        f"{results.n} messages to {results.receivers} receivers, each series; lateness is "
        "first arrival at the receiver minus due time (ours) or send start (bare)",
        "",
        "| series | delivered | duplicates | time to last | msgs/s | lateness p50 / p95 / max "
        "| Synapse events/s |",
        "|---|---|---|---|---|---|---|",
    ]
    for series in (results.bare, results.ours):
        if series is None:
            continue
        rate = f"{series.events / series.seconds:.1f}" if series.events and series.seconds else "–"
        lines.append(
            f"| {series.label} | {series.delivered}/{series.n} | {series.duplicates} "
            f"| {series.seconds:.1f} s | {series.per_second:.1f} | {_ms(series.lateness)} "
            f"| {rate} |"
        )
    ratio = results.ratio
    lines += [
        "",
        f"ours / bare throughput: {'–' if ratio is None else f'×{ratio:.2f}'} (goal ≥ {GOAL})",
        f"sent_at − due_at in the database (sent_at is the scheduler's round start): "
        f"{_ms(results.marked)}; "
        f"marked late: {results.late_marked}; statuses: {results.statuses}",
        f"undecryptable at the receivers: {results.undecryptable}; bots log: "
        f"{results.not_sent_lines} 'not sent', {results.rate_limited_lines} rate-limited",
    ]
    lines += [f"PROBLEM: {problem}" for problem in results.problems]
    return "\n".join(lines)


def json_line(results: Results) -> str:
    return json.dumps(
        {
            "bench": "reminders",
            "n": results.n,
            "receivers": results.receivers,
            "bare": results.bare.as_dict() if results.bare else None,
            "ours": results.ours.as_dict() if results.ours else None,
            "ratio": None if results.ratio is None else round(results.ratio, 3),
            "marked_ms": results.marked.as_dict() if results.marked else None,
            "late_marked": results.late_marked,
            "statuses": results.statuses,
            "undecryptable": results.undecryptable,
            "not_sent_lines": results.not_sent_lines,
            "rate_limited_lines": results.rate_limited_lines,
            "problems": results.problems,
        },
        ensure_ascii=False,
    )
