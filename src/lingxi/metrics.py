"""Prometheus metrics shared by the transport and the session."""

from __future__ import annotations

import collections
import os
import time

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from prometheus_client.multiprocess import MultiProcessCollector

_LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.25, 0.5, 1, 2, 5, 10)

CALLS_ACTIVE = Gauge("lingxi_calls_active", "Calls currently connected",
                     multiprocess_mode="livesum")
CALLS_TOTAL = Counter("lingxi_calls_total", "Calls accepted", ["dialect"])
TURNS_TOTAL = Counter("lingxi_turns_total", "User turns committed")
AFFECT_LATE_TOTAL = Counter("lingxi_affect_late_total",
                            "User turns whose voice was not yet heard when the words arrived")
RESPONSES_TOTAL = Counter("lingxi_responses_total", "Replies finished", ["status"])
BARGE_INS_TOTAL = Counter("lingxi_barge_ins_total", "Replies cancelled by the user speaking")
ERRORS_TOTAL = Counter("lingxi_client_errors_total", "Error events sent", ["code"])
DROPPED_CHUNKS = Counter("lingxi_stale_chunks_dropped_total", "Chunks of cancelled replies dropped")
EVENT_LAG = Histogram(
    "lingxi_event_lag_seconds", "Time from an event being produced to being written",
    buckets=_LATENCY_BUCKETS,
)
FIRST_AUDIO = Histogram(
    "lingxi_turn_first_audio_seconds", "End of turn detected → first reply audio sent",
    buckets=_LATENCY_BUCKETS,
)
SERVER_OVERHEAD = Histogram(
    "lingxi_turn_server_overhead_seconds", "Part of the turn latency not spent in engines",
    buckets=_LATENCY_BUCKETS,
)
GUARD_BLOCKS = Counter("lingxi_guard_blocks_total", "Reply clauses the output guard blocked",
                       ["code"])
RISK_TURNS = Counter("lingxi_risk_turns_total", "User turns by assessed risk level", ["level"])
SECOND_OPINIONS = Counter("lingxi_second_opinions_total",
                          "The language model's second opinions on borderline turns, by "
                          "outcome (raised, kept: no higher level, none: failed or no answer)",
                          ["outcome"])
SKILL_TURNS = Counter("lingxi_skill_turns_total", "Replies by the skill that answered",
                      ["skill"])
AUDIO_SEND_LATE = Histogram(
    "lingxi_audio_send_late_seconds",
    "How late paced reply audio left, against its real-time schedule (event-loop lag)",
    buckets=_LATENCY_BUCKETS,
)


VAD_ROUND = Histogram(
    "lingxi_vad_round_appends", "Appends heard together in one round of the hearing thread "
    "(the VAD batch across calls)", buckets=(1, 2, 4, 8, 16, 32, 64, 128, 256))

ENGINE_FAILURES = Counter("lingxi_engine_failures_total",
                          "Engine failures a caller felt (recognition, model, reply)", ["part"])
_RECENT_S = 300.0
_failures: dict[str, collections.deque[float]] = {}


def engine_failed(part: str) -> None:
    """An engine failed a caller: counted, and remembered a while for /healthz."""
    ENGINE_FAILURES.labels(part).inc()
    recent = _failures.setdefault(part, collections.deque(maxlen=1000))
    recent.append(time.monotonic())


def recent_failures() -> dict[str, int]:
    """Failures in the last five minutes, by part (this worker's)."""
    since = time.monotonic() - _RECENT_S
    return {part: n for part, times in _failures.items()
            if (n := sum(1 for t in times if t >= since))}


def forget_failures() -> None:
    """Start /healthz's memory of failures afresh (a test's clean slate)."""
    _failures.clear()


def exposition() -> tuple[bytes, str]:
    """The metrics page; with several workers, summed over all of them."""
    if "PROMETHEUS_MULTIPROC_DIR" in os.environ:
        registry = CollectorRegistry()
        MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        return generate_latest(registry), CONTENT_TYPE_LATEST
    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST
