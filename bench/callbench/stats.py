"""Statistics and plain-text tables."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def pct(values: Sequence[float], q: float) -> float | None:
    if not values:
        return None
    return float(np.percentile(np.asarray(values, dtype=np.float64), q))


def summary(values: Sequence[float]) -> dict[str, float | int | None]:
    return {
        "n": len(values), "p50": pct(values, 50), "p95": pct(values, 95),
        "p99": pct(values, 99), "max": max(values) if values else None,
        "mean": float(np.mean(values)) if values else None,
    }


def fmt(x: float | int | None, digits: int = 1) -> str:
    if x is None:
        return "-"
    if isinstance(x, int):
        return str(x)
    return f"{x:.{digits}f}"


def table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h)
              for i, h in enumerate(headers)]
    def line(cells: Sequence[str]) -> str:
        return "  ".join(c.ljust(w) if i == 0 else c.rjust(w)
                         for i, (c, w) in enumerate(zip(cells, widths, strict=True)))
    out = [line(headers), "  ".join("-" * w for w in widths)]
    out.extend(line(r) for r in rows)
    return "\n".join(out)


def stat_row(label: str, values: Sequence[float], *, p99: bool = True) -> list[str]:
    s = summary(values)
    row = [label, fmt(s["n"]), fmt(s["p50"]), fmt(s["p95"])]
    if p99:
        row.append(fmt(s["p99"]))
    row.append(fmt(s["max"]))
    return row
