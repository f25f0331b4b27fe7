#!/usr/bin/env python
"""Load time and per-turn encode latency of the risk model's sentence encoders (issue 15).

Each encoder runs in a fresh process, one after the other: load (import, construct, first
encode of one sentence), then single-sentence encodes of short written turns from the training
files (8–40 characters, zh and en, each encoded alone as a call turn is), p50 / p95 per language.
The 1-minute load average is printed before and after each encoder (the machine is shared).

Run:  .venv/bin/python bench/bench_encoders.py [e5 gemma] [--turns 60]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from collections.abc import Sequence

import numpy as np

from lingxi.safety.riskdata import read_training


def sentences(lang: str, count: int) -> list[str]:
    seen = dict.fromkeys(e.text for e in read_training() if e.lang == lang
                         and 8 <= len(e.text) <= 40)
    return list(seen)[:count]


def one(name: str, turns: int) -> dict[str, object]:
    start = time.perf_counter()
    from lingxi.safety.encoder import encoder_named

    encoder = encoder_named(name)
    encoder(["warm-up turn: 你好"])
    load = time.perf_counter() - start
    out: dict[str, object] = {"encoder": name, "load_s": round(load, 2)}
    for lang in ("zh", "en"):
        times = []
        for text in sentences(lang, turns):
            begin = time.perf_counter()
            encoder([text])
            times.append(1000 * (time.perf_counter() - begin))
        out[lang] = {"n": len(times), "p50_ms": round(float(np.percentile(times, 50)), 1),
                     "p95_ms": round(float(np.percentile(times, 95)), 1)}
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("encoders", nargs="*", default=["e5", "gemma"])
    parser.add_argument("--turns", type=int, default=60)
    parser.add_argument("--one", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(one(args.one, args.turns)))
        return 0
    for name in args.encoders:
        before = os.getloadavg()[0]
        result = subprocess.run([sys.executable, __file__, "--one", name, "--turns",
                                 str(args.turns)], capture_output=True, text=True, check=True)
        record = json.loads(result.stdout.strip().splitlines()[-1])
        record["load_average_1min"] = [round(before, 2), round(os.getloadavg()[0], 2)]
        print(json.dumps(record, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
