"""Section load: a ramp of concurrent calls, one step at a time, and its report."""

from __future__ import annotations

import argparse
import time
from dataclasses import asdict
from typing import Any

from callbench.server import ServerProcess, engine_env
from callbench.stats import fmt, table
from callbench.step import StepResult, run_load_step


def section_load(args: argparse.Namespace) -> dict[str, Any]:
    steps = [n for n in args.steps if n <= args.max_calls]
    env = engine_env(args.asr_delay, args.first_token_delay, args.tts_delay)
    print(f"\n## Concurrency ramp ({args.load_duration:.0f} s per step, {args.load_chunk_ms} ms "
          f"appends, permessage-deflate {'on' if args.deflate else 'off'}; each call: speak "
          "1.2-1.8 s, reply, listen 1-2 s, barge in (50 %) or let it finish)")
    print("   lag = lateness of each paced audio delta vs its real-time due time "
          "(t0 + max(0, pos − 400 ms)); live progress:")
    with ServerProcess(env, profile_out=args.profile_server) as srv:
        results = _ramp(args, srv, steps)
    print(_client_table(results))
    print()
    print(_server_table(results))
    passing = [r for r in results if not r.failed and r.lag["p99"] is not None
               and float(r.lag["p99"]) <= 50.0]
    best = max(r.calls for r in passing) if passing else None
    print(f"largest step with delta lag p99 ≤ 50 ms: {best if best is not None else 'none'}")
    # The delta lag alone hides a server that hears its calls late (a call's audio then waits
    # unread in its socket): turns answered and interruptions heard in time are the other half.
    kept_up = [r.calls for r in passing if _kept_up(r)]
    heard = max(kept_up) if kept_up else None
    print(f"  ... whose turns also kept up (turn p50 ≤ {TURN_P50_MS:.0f} ms, speech onset → "
          f"speech_started p95 ≤ {ONSET_P95_MS:.0f} ms): "
          f"{heard if heard is not None else 'none'}")
    print("   (ms unless noted; 'srv evlag' = lingxi_event_lag_seconds, enqueue→write, bucket "
          "upper bounds; 'srv late' = lingxi_audio_send_late_seconds, paced audio wake-up "
          "lateness; 'cli late' = client pacer lateness; 'ping' = ws ping RTT on one call)")
    for r in results:
        if r.worker_errors:
            print(f"   worker errors at {r.calls}: {r.worker_errors}")
    return {"steps": [asdict(r) for r in results], "largest_ok_calls": best,
            "largest_kept_up_calls": heard}


# Turns kept up: the fake engines answer at once, so a turn is the VAD's 500 ms silence plus
# the server's own delays (one call alone: p50 ~0.7 s); an interruption heard within 0.5 s.
TURN_P50_MS = 1200.0
ONSET_P95_MS = 500.0


def _kept_up(r: StepResult) -> bool:
    turn, onset = r.turn["p50"], r.speech_started["p95"]
    return (turn is not None and float(turn) <= TURN_P50_MS
            and onset is not None and float(onset) <= ONSET_P95_MS)


def _ramp(args: argparse.Namespace, srv: ServerProcess, steps: list[int]) -> list[StepResult]:
    """Run the steps in order, printing progress; stop after the first failed one."""
    results: list[StepResult] = []
    for n in steps:
        procs = args.client_procs or (1 if n < 100 else 2)
        r = run_load_step(srv, n, procs, args.load_duration, args.load_chunk_ms, args.seed,
                          args.deflate, args.stop_lag_ms)
        results.append(r)
        print(f"   {n:4d} calls: lag p99 {fmt(r.lag['p99'])} ms, server CPU "
              f"{r.server_cpu_pct:.0f} % (loop thread {r.loop_cpu_pct:.0f} %, waited for a "
              f"core {r.loop_wait_pct:.0f} %), client CPU {r.client_cpu_pct:.0f} %"
              f"{'  FAILED: ' + r.fail_reason if r.failed else ''}", flush=True)
        print("        server CPU ms per call-second: " + ", ".join(
            f"{k} {v:.2f}" for k, v in r.thread_ms_per_call_s.items()), flush=True)
        if r.failed:
            break
        time.sleep(1.0)
    return results


def _client_table(results: list[StepResult]) -> str:
    return table(
        ["calls", "procs", "deltas", "lag p50", "p95", "p99", "max", "turn p50", "p95",
         "onset→ss p95", "→done p95", "srv CPU%", "(sys)", "cli CPU%", "sys busy%", "cli late p99",
         "ping p99"],
        [[str(r.calls), str(r.client_procs), str(r.deltas), fmt(r.lag["p50"]),
          fmt(r.lag["p95"]), fmt(r.lag["p99"]), fmt(r.lag["max"]), fmt(r.turn["p50"]),
          fmt(r.turn["p95"]), fmt(r.speech_started["p95"]), fmt(r.barge_done["p95"]),
          fmt(r.server_cpu_pct, 0), fmt(r.server_sys_pct, 0), fmt(r.client_cpu_pct, 0),
          fmt(r.system_busy_pct, 0),
          fmt(r.send_late["p99"]), fmt(r.ping["p99"])] for r in results])


def _server_table(results: list[StepResult]) -> str:
    return table(
        ["calls", "connected", "turns", "srv evlag p50≤", "p99≤", "mean", "srv late p99≤",
         "srv ovh p95≤",
         "RSS MB", "active after", "missed barge", "no reply", "errors", "status"],
        [[str(r.calls), str(r.connected), str(r.turns), fmt(r.server_event_lag_p50_ms),
          fmt(r.server_event_lag_p99_ms), fmt(r.server_event_lag_mean_ms, 2),
          fmt(r.server_send_late_p99_ms), fmt(r.server_overhead_p95_ms),
          fmt(r.server_rss_mb, 0), fmt(r.calls_active_after, 0),
          str(r.barge_missed), str(r.no_reply), str(sum(r.errors.values())),
          ("FAIL: " + r.fail_reason) if r.failed else "ok"] for r in results])
