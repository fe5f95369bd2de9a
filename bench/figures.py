"""Figures of ``bench.roundtrip``: samples, nearest-rank percentiles, table, JSON line."""

from __future__ import annotations

import json
import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

SLOWEST_SHOWN = 5


def nearest_rank(ordered: Sequence[float], percent: float) -> float:
    """The nearest-rank percentile of an already sorted, non-empty sequence."""
    rank = max(1, math.ceil(percent / 100 * len(ordered)))
    return ordered[rank - 1]


@dataclass(frozen=True)
class Summary:
    """Milliseconds, nearest-rank percentiles."""

    n: int
    p50: float
    p95: float
    p99: float
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
            p99=nearest_rank(ordered, 99),
            max=ordered[-1],
            mean=statistics.fmean(ordered),
        )

    def as_dict(self) -> dict[str, float | int]:
        return {
            "n": self.n,
            **{key: round(getattr(self, key), 3) for key in ("p50", "p95", "p99", "max", "mean")},
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
