#!/usr/bin/env python
"""The load knee with the real voice activity detector.

bench_call.py's concurrency ramp (a real `lingxi serve`, N websockets clients streaming
real-time audio, each speaking, listening, barging in or not), with the silero VAD model in
the server instead of the energy detector, and the callers speaking words (espeak-ng) that the
model hears as speech. Recognition, replies and voice stay the instant fakes: what is measured
is what N streams of audio cost one server process (decode, resample, VAD, turn detection,
paced reply audio), as event lag: how late each reply audio delta arrives against its
real-time schedule (p50/p95/p99), and the server's own enqueue→write lag from /metrics.

Run:  .venv/bin/python bench/bench_load.py [--steps 25,50,100,150,200] [--load-duration 20]
      (any bench_call.py option; --server-env LINGXI_WORKERS=2 for two worker processes)
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

from bench_call import main as bench_call
from callbench.audio import SPEECH_ENV

SERVER_ENV = {"LINGXI_ENGINES": "fake", "LINGXI_FAKE_VAD": "silero", "LINGXI_DUTIES": "false",
              "LINGXI_MEMORY": "false", "LINGXI_LLM": "off", "LINGXI_AFFECT": "false",
              "LINGXI_MAX_CALLS": "1000"}


def main(argv: Sequence[str] | None = None) -> None:
    os.environ[SPEECH_ENV] = "espeak"  # the client processes inherit it
    given = list(sys.argv[1:] if argv is None else argv)
    server = [a for k, v in SERVER_ENV.items() for a in ("--server-env", f"{k}={v}")]
    steps = [] if "--steps" in given else ["--steps", "25,50,100,150,200"]
    bench_call(["--section", "load", *server, *steps, *given])


if __name__ == "__main__":
    main()
