"""Section turn: end of speech → first reply audio, split with `lingxi.turn.metrics`."""

from __future__ import annotations

import argparse
import asyncio
import random
from typing import Any

from callbench.client import Call, Samples
from callbench.pacing import run_calls, wait_event
from callbench.server import ServerProcess, engine_env
from callbench.stats import fmt, pct, stat_row, summary, table


async def turn_call(call: Call, turns: int, rng: random.Random, samples: Samples,
                    speech_s: tuple[float, float]) -> None:
    for _ in range(turns):
        await asyncio.sleep(rng.uniform(0.2, 0.5))
        call.drain_responses()
        _onset, end = await call.speak(rng.uniform(*speech_s))
        resp = await call.next_response(10)
        if resp is None or not await wait_event(resp.first_delta, 10):
            samples.no_reply += 1
            continue
        assert resp.first_delta_at is not None
        samples.turns += 1
        samples.turn_ms.append((resp.first_delta_at - end) * 1000)
        if call.speech_stopped_at is not None:
            samples.stopped_ms.append((call.speech_stopped_at - end) * 1000)
        await wait_event(resp.done, 15)
        if await wait_event(resp.metrics_ready, 2) and resp.metrics is not None:
            samples.turn_metrics.append({**resp.metrics,
                                         "client_total_ms": (resp.first_delta_at - end) * 1000})


async def run_turn_async(url: str, calls_n: int, turns: int, chunk_ms: int, seed: int,
                         deflate: bool, speech_s: tuple[float, float]) -> Samples:
    async def scenario(call: Call, n: int, rng: random.Random, samples: Samples) -> None:
        await turn_call(call, n, rng, samples, speech_s)

    return await run_calls(url, calls_n, turns, chunk_ms, seed, deflate, scenario)


def section_turn(args: argparse.Namespace) -> dict[str, Any]:
    configs = [(0.0, 0.0, 0.0), (args.sim_asr_delay, args.sim_first_token_delay,
                                 args.sim_tts_delay)]
    out: dict[str, Any] = {}
    for asr, tok, tts in configs:
        label = f"asr={asr}s first_token={tok}s tts_first_chunk={tts}s"
        with ServerProcess(engine_env(asr, tok, tts)) as srv:
            s = asyncio.run(run_turn_async(srv.ws_url, args.turn_calls, args.turn_turns,
                                           args.chunk_ms, args.seed, args.deflate,
                                           args.turn_speech_s))
        out[label] = _report_turn(args, label, s)
    return out


def _report_turn(args: argparse.Namespace, label: str, s: Samples) -> dict[str, Any]:
    """Print one engine-delay configuration's table; return its JSON part."""
    m = s.turn_metrics

    def col(key: str, rows: list[dict[str, float]] = m) -> list[float]:
        return [r[key] for r in rows if key in r]

    endpointing = [r["client_total_ms"] - r["first_audio_ms"] for r in m
                   if "first_audio_ms" in r]
    print(f"\n## Turn latency — engine delays {label} ({len(s.turn_ms)} turns over "
          f"{args.turn_calls} calls; server_vad silence_duration_ms 500)")
    headers = ["end of speech → … (ms)", "n", "p50", "p95", "p99", "max"]
    print(table(headers, [
        stat_row("first audio delta (client, total)", s.turn_ms),
        stat_row("  speech_stopped arrives (client)", s.stopped_ms),
        stat_row("  endpointing+transport = total − first_audio", endpointing),
        stat_row("  post-endpoint first_audio_ms (server)", col("first_audio_ms")),
        stat_row("    engine_ms", col("engine_ms")),
        stat_row("      asr_wait_ms", col("asr_wait_ms")),
        stat_row("      responder_first_token_ms", col("responder_first_token_ms")),
        stat_row("      tts_first_chunk_ms", col("tts_first_chunk_ms")),
        stat_row("    server_overhead_ms", col("server_overhead_ms")),
    ]))
    print(f"no reply: {s.no_reply}; errors: {s.errors or 0}; client pacing lateness p99 "
          f"{fmt(pct(s.send_late_ms, 99))} ms")
    return {
        "total_ms": summary(s.turn_ms), "speech_stopped_ms": summary(s.stopped_ms),
        "endpointing_ms": summary(endpointing),
        **{k: summary(col(k)) for k in ("first_audio_ms", "engine_ms", "asr_wait_ms",
                                        "responder_first_token_ms", "tts_first_chunk_ms",
                                        "server_overhead_ms")},
        "raw_metrics": m,
    }
