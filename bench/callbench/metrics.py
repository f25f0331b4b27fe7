"""Prometheus text from the server's /metrics: histograms, gauges and their differences."""

from __future__ import annotations

import re

Histogram = list[tuple[float, float]]


def parse_histogram(text: str, name: str) -> Histogram:
    pattern = re.compile(rf'^{re.escape(name)}_bucket\{{le="([^"]+)"\}} (\S+)$', re.M)
    return [(float(le), float(count)) for le, count in pattern.findall(text)]


def parse_gauge(text: str, name: str) -> float | None:
    m = re.search(rf"^{re.escape(name)} (\S+)$", text, re.M)
    return float(m.group(1)) if m else None


def histogram_diff(before: Histogram, after: Histogram) -> Histogram:
    old = dict(before)
    return [(le, count - old.get(le, 0.0)) for le, count in after]


def histogram_delta(before: str, after: str, name: str) -> Histogram:
    """The histogram `name` as observed between two scrapes."""
    return histogram_diff(parse_histogram(before, name), parse_histogram(after, name))


def histogram_quantile_ms(h: Histogram, q: float) -> float | None:
    """Upper bound (ms) of the bucket holding quantile q (inf when past the last bucket)."""
    if not h or h[-1][1] <= 0:
        return None
    target = q * h[-1][1]
    for le, count in h:
        if count >= target:
            return le * 1000
    return float("inf")


def counter_delta(before: str, after: str, name: str) -> float:
    """How much a counter (or a histogram's _sum) grew between two scrapes."""
    def value(text: str) -> float:
        m = re.search(rf"^{re.escape(name)} (\S+)$", text, re.M)
        return float(m.group(1)) if m else 0.0

    return value(after) - value(before)


def hist_mean_ms(before: str, after: str, name: str) -> float | None:
    def sc(text: str, suffix: str) -> float:
        m = re.search(rf"^{name}_{suffix} (\S+)$", text, re.M)
        return float(m.group(1)) if m else 0.0

    n = sc(after, "count") - sc(before, "count")
    return None if n <= 0 else 1000 * (sc(after, "sum") - sc(before, "sum")) / n
