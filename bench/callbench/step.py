"""Section load: one concurrency step, measured at the clients, the server and the machine."""

from __future__ import annotations

import contextlib
import multiprocessing as mp
import os
import time
from dataclasses import dataclass
from multiprocessing.context import SpawnProcess
from multiprocessing.queues import Queue
from multiprocessing.synchronize import Barrier

from callbench.client import Samples
from callbench.metrics import (
    counter_delta,
    hist_mean_ms,
    histogram_delta,
    histogram_quantile_ms,
    parse_gauge,
)
from callbench.server import ServerProcess, loop_sched, system_busy_ticks, thread_cpu
from callbench.stats import summary
from callbench.worker import WorkerArgs, WorkerResult, load_worker


@dataclass
class StepResult:
    calls: int
    client_procs: int
    duration_s: float
    connected: int
    turns: int
    deltas: int
    appends: int
    lag: dict[str, float | int | None]
    turn: dict[str, float | int | None]
    speech_started: dict[str, float | int | None]
    barge_done: dict[str, float | int | None]
    send_late: dict[str, float | int | None]
    ping: dict[str, float | int | None]
    server_cpu_pct: float
    server_sys_pct: float
    client_cpu_pct: float
    system_busy_pct: float
    server_rss_mb: float
    # The event loop's thread: CPU it used, and time it was ready but waited for a core.
    loop_cpu_pct: float
    loop_wait_pct: float
    # CPU ms per call-second by server thread ("loop", the others), a call-second being 1000
    # ms of one call's audio the server heard (not what the clients sent: a starved server
    # hears less): much steadier than lag when the machine is busy
    thread_ms_per_call_s: dict[str, float]
    server_event_lag_p50_ms: float | None
    server_event_lag_p99_ms: float | None
    server_event_lag_mean_ms: float | None
    server_send_late_p99_ms: float | None
    server_overhead_p95_ms: float | None
    calls_active_after: float | None
    barge_missed: int
    no_reply: int
    connect_failures: int
    disconnects: int
    errors: dict[str, int]
    worker_errors: list[str]
    failed: bool = False
    fail_reason: str = ""


@dataclass
class _Window:
    """The server's /metrics text, CPU times and the machine's jiffies around one step."""

    before: str
    after: str
    wall: float
    cpu0: tuple[float, float]
    cpu1: tuple[float, float]
    ticks0: tuple[int, int]
    ticks1: tuple[int, int]
    rss_mb: float
    loop0: tuple[float, float] = (0.0, 0.0)
    loop1: tuple[float, float] = (0.0, 0.0)
    threads0: dict[str, float] | None = None
    threads1: dict[str, float] | None = None


def _spawn_workers(url: str, calls: int, procs: int, duration_s: float, chunk_ms: int,
                   seed: int, deflate: bool
                   ) -> tuple[list[SpawnProcess], Barrier, Queue[WorkerResult]]:
    ctx = mp.get_context("spawn")
    barrier = ctx.Barrier(procs + 1)
    out: Queue[WorkerResult] = ctx.Queue()
    share = [calls // procs + (1 if i < calls % procs else 0) for i in range(procs)]
    workers = []
    for i, n in enumerate(share):
        wa = WorkerArgs(url, n, duration_s, chunk_ms, seed * 1000 + i, deflate,
                        probe=(i == 0), pacer_groups=max(1, 40 // chunk_ms * 2))
        p = ctx.Process(target=load_worker, args=(wa, barrier, out), daemon=True)
        p.start()
        workers.append(p)
    return workers, barrier, out


def _measure(srv: ServerProcess, barrier: Barrier, duration_s: float) -> _Window:
    """Release the workers and read the server and the machine over `duration_s`."""
    before = srv.scrape()
    with contextlib.suppress(Exception):  # a worker failed: its error is in its result
        barrier.wait(300)
    t0, cpu0, ticks0 = time.monotonic(), srv.cpu_split(), system_busy_ticks()
    loop0, threads0 = loop_sched(srv.pid), thread_cpu(srv.pid)
    srv.toggle_profile()
    time.sleep(duration_s)
    srv.toggle_profile()
    wall = time.monotonic() - t0
    cpu1, ticks1, rss = srv.cpu_split(), system_busy_ticks(), srv.rss_mb()
    loop1, threads1 = loop_sched(srv.pid), thread_cpu(srv.pid)
    after = srv.scrape()
    return _Window(before, after, wall, cpu0, cpu1, ticks0, ticks1, rss, loop0, loop1,
                   threads0, threads1)


def _collect(workers: list[SpawnProcess], out: Queue[WorkerResult]) -> list[WorkerResult]:
    results: list[WorkerResult] = []
    for _ in workers:
        try:
            results.append(out.get(timeout=120))
        except Exception as exc:
            results.append(WorkerResult(Samples(), 0.0, 0.0, 0, error=f"no result: {exc}"))
    for p in workers:
        p.join(30)
        if p.is_alive():
            p.terminate()
    return results


def _merge_samples(results: list[WorkerResult]) -> Samples:
    s = Samples()
    for r in results:
        for name in ("lag_ms", "send_late_ms", "turn_ms", "barge_ss_ms", "barge_done_ms",
                     "ping_ms"):
            getattr(s, name).extend(getattr(r.samples, name))
        s.turns += r.samples.turns
        s.deltas += r.samples.deltas
        s.appends += r.samples.appends
        s.no_reply += r.samples.no_reply
        s.barge_missed += r.samples.barge_missed
        s.connect_failures += r.samples.connect_failures
        s.disconnects += r.samples.disconnects
        for k, v in r.samples.errors.items():
            s.errors[k] = s.errors.get(k, 0) + v
    return s


def _per_call_second(w: _Window, chunk_ms: int) -> dict[str, float]:
    heard = counter_delta(w.before, w.after, "lingxi_vad_round_appends_sum")
    call_s = heard * chunk_ms / 1000.0
    if not call_s or w.threads0 is None or w.threads1 is None:
        return {}
    t0, t1 = w.threads0, w.threads1
    return {k: 1000.0 * (t1[k] - t0.get(k, 0.0)) / call_s for k in sorted(t1)
            if t1[k] - t0.get(k, 0.0) > 0.001}


def _step_result(calls: int, procs: int, duration_s: float, w: _Window,
                 results: list[WorkerResult], active: float | None,
                 chunk_ms: int) -> StepResult:
    s = _merge_samples(results)
    (usr0, sys0), (usr1, sys1) = w.cpu0, w.cpu1
    (busy0, tot0), (busy1, tot1) = w.ticks0, w.ticks1
    before, after, wall = w.before, w.after, w.wall
    lag_h = histogram_delta(before, after, "lingxi_event_lag_seconds")
    late_h = histogram_delta(before, after, "lingxi_audio_send_late_seconds")
    ovh_h = histogram_delta(before, after, "lingxi_turn_server_overhead_seconds")
    client_cpu = sum(r.cpu_s for r in results)
    return StepResult(
        calls=calls, client_procs=procs, duration_s=duration_s,
        connected=sum(r.connected for r in results), turns=s.turns, deltas=s.deltas,
        appends=s.appends, lag=summary(s.lag_ms), turn=summary(s.turn_ms),
        speech_started=summary(s.barge_ss_ms), barge_done=summary(s.barge_done_ms),
        send_late=summary(s.send_late_ms), ping=summary(s.ping_ms),
        server_cpu_pct=100 * (usr1 - usr0 + sys1 - sys0) / wall,
        server_sys_pct=100 * (sys1 - sys0) / wall, client_cpu_pct=100 * client_cpu / wall,
        system_busy_pct=100 * (busy1 - busy0) / max(1, tot1 - tot0) * (os.cpu_count() or 1),
        server_rss_mb=w.rss_mb,
        loop_cpu_pct=100 * (w.loop1[0] - w.loop0[0]) / wall,
        loop_wait_pct=100 * (w.loop1[1] - w.loop0[1]) / wall,
        thread_ms_per_call_s=_per_call_second(w, chunk_ms),
        server_event_lag_p50_ms=histogram_quantile_ms(lag_h, 0.5),
        server_event_lag_p99_ms=histogram_quantile_ms(lag_h, 0.99),
        server_event_lag_mean_ms=hist_mean_ms(before, after, "lingxi_event_lag_seconds"),
        server_overhead_p95_ms=histogram_quantile_ms(ovh_h, 0.95),
        server_send_late_p99_ms=histogram_quantile_ms(late_h, 0.99),
        calls_active_after=active, barge_missed=s.barge_missed, no_reply=s.no_reply,
        connect_failures=s.connect_failures, disconnects=s.disconnects, errors=s.errors,
        worker_errors=[r.error for r in results if r.error],
    )


def _judge(step: StepResult, stop_lag_ms: float) -> None:
    """Mark the step failed (and why) when it broke or its delta lag exceeded the limit."""
    reasons = []
    if step.worker_errors:
        reasons.append("worker error")
    if step.connect_failures:
        reasons.append(f"{step.connect_failures} connect failures")
    if step.disconnects:
        reasons.append(f"{step.disconnects} disconnects")
    p99 = step.lag["p99"]
    if p99 is None or float(p99) > stop_lag_ms:
        reasons.append(f"lag p99 > {stop_lag_ms:.0f} ms")
    if step.turns and step.no_reply > 0.05 * (step.turns + step.no_reply):
        reasons.append(f"{step.no_reply} turns without reply")
    step.failed = bool(reasons)
    step.fail_reason = ", ".join(reasons)


def run_load_step(srv: ServerProcess, calls: int, procs: int, duration_s: float, chunk_ms: int,
                  seed: int, deflate: bool, stop_lag_ms: float) -> StepResult:
    procs = max(1, min(procs, calls))
    workers, barrier, out = _spawn_workers(srv.ws_url, calls, procs, duration_s, chunk_ms,
                                           seed, deflate)
    window = _measure(srv, barrier, duration_s)
    results = _collect(workers, out)
    time.sleep(1.5)
    active = parse_gauge(srv.scrape(), "lingxi_calls_active")
    step = _step_result(calls, procs, duration_s, window, results, active, chunk_ms)
    _judge(step, stop_lag_ms)
    return step
