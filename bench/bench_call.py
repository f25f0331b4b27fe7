#!/usr/bin/env python
"""End-to-end call benchmark: a real `lingxi serve` subprocess (fake engines) and plain
`websockets` clients streaming real-time audio.

Sections
  barge  barge-in latency: the client starts speaking while a reply plays; speech onset (wall
         time of the first append carrying speech) → speech_started, → last audio delta of the
         cancelled reply, → response.done (cancelled).
  turn   turn latency: end of speech (wall time of the last append carrying speech) → first
         audio delta, split with the `lingxi.turn.metrics` event into endpointing (+transport)
         vs post-endpoint engine time and server overhead; once with engine delays 0 and once
         with simulated delays.
  load   concurrency ramp: N calls each speaking, listening, barging in or letting the reply
         finish, for a fixed time per step; lateness of every paced audio delta against its
         real-time schedule, server CPU (from /proc), server-side event lag (/metrics), and the
         client's own CPU.

Run:  .venv/bin/python bench/bench_call.py --section all [--quick] [--json OUT]
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from callbench.barge import section_barge
from callbench.load import section_load
from callbench.server import EXTRA_ENV, machine_facts
from callbench.stats import table
from callbench.turn import section_turn


def env_pair(text: str) -> tuple[str, str]:
    key, sep, value = text.partition("=")
    if not sep or not key:
        raise argparse.ArgumentTypeError(f"expected KEY=VALUE, got {text!r}")
    return key, value


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--section", choices=["barge", "turn", "load", "all"], default="all")
    p.add_argument("--quick", action="store_true", help="small N: a smoke run under ~60 s")
    p.add_argument("--json", metavar="OUT", help="write results as JSON")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--chunk-ms", type=int, choices=[20, 40, 100], default=20,
                   help="append size for the barge and turn sections")
    p.add_argument("--load-chunk-ms", type=int, choices=[20, 40, 100], default=40,
                   help="append size for the load section")
    p.add_argument("--deflate", action="store_true",
                   help="negotiate permessage-deflate (the openai SDK's default)")
    p.add_argument("--barge-turns", type=int, default=30)
    p.add_argument("--barge-calls", type=int, default=3)
    p.add_argument("--turn-turns", type=int, default=30)
    p.add_argument("--turn-calls", type=int, default=5)
    p.add_argument("--asr-delay", type=float, default=0.0,
                   help="LINGXI_FAKE_ASR_DELAY_S for barge and load")
    p.add_argument("--first-token-delay", type=float, default=0.0,
                   help="LINGXI_FAKE_FIRST_TOKEN_S for barge and load")
    p.add_argument("--tts-delay", type=float, default=0.0,
                   help="LINGXI_FAKE_TTS_FIRST_CHUNK_S for barge and load")
    p.add_argument("--sim-asr-delay", type=float, default=0.3,
                   help="the turn section's second run: ASR delay (s)")
    p.add_argument("--sim-first-token-delay", type=float, default=0.2)
    p.add_argument("--sim-tts-delay", type=float, default=0.1)
    p.add_argument("--steps", type=lambda s: [int(x) for x in s.split(",")],
                   default=[25, 50, 75, 100, 150, 200, 300, 400],
                   help="concurrency steps, e.g. 25,50")
    p.add_argument("--max-calls", type=int, default=10_000)
    p.add_argument("--load-duration", type=float, default=20.0, help="seconds per step")
    p.add_argument("--client-procs", type=int, default=0,
                   help="client processes for the load (0: 1 below 100 calls, else 2)")
    p.add_argument("--stop-lag-ms", type=float, default=250.0,
                   help="a step fails (and the ramp stops) when delta lag p99 exceeds this")
    p.add_argument("--server-env", type=env_pair, action="append", default=[],
                   metavar="KEY=VALUE", help="extra environment for the server (repeatable), "
                   "e.g. LINGXI_MIN_SPEECH_MS=32 or PYTHONPATH=DIR-with-uvloop")
    p.add_argument("--profile-server", metavar="PROF",
                   help="run the server under cProfile (barge/load sections), write stats here")
    return p


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    args = build_parser().parse_args(argv)
    args.turn_speech_s = (1.2, 1.8)
    if args.quick:
        args.barge_turns, args.barge_calls = 6, 2
        args.turn_turns, args.turn_calls = 4, 2
        args.turn_speech_s = (0.6, 0.9)
        args.steps = [s for s in (10, 25) if s <= args.max_calls]
        args.load_duration = 5.0
    return args


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv)
    EXTRA_ENV.update(dict(args.server_env))
    facts = machine_facts()
    started = time.monotonic()
    print("# Lingxi call benchmark (fake engines, real server subprocess, websockets clients)")
    print(table(["machine", "value"], [[k, str(v)] for k, v in facts.items()]))
    if EXTRA_ENV:
        print(f"extra server environment: {EXTRA_ENV}")
    results: dict[str, Any] = {"machine": facts, "args": {
        k: v for k, v in vars(args).items() if isinstance(v, int | float | str | list | tuple)}}
    if args.section in ("barge", "all"):
        results["barge"] = section_barge(args)
    if args.section in ("turn", "all"):
        results["turn"] = section_turn(args)
    if args.section in ("load", "all"):
        results["load"] = section_load(args)
    print(f"\n(total bench time {time.monotonic() - started:.0f} s)")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1, ensure_ascii=False))
        print(f"results written to {args.json}")


if __name__ == "__main__":
    main()
