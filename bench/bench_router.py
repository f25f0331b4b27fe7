"""What the turn router costs a turn, and what whispering costs the voice.

    .venv/bin/python bench/bench_router.py [--turns 400]

Routes a mix of turns (plain talk, memory questions, whisper requests, crisis lines, persona
switches, backchannels, story requests) through the default skills with a stand-in responder
and prints p50/p95 of route + perform (everything the router adds before the responder's
first word); then the CPU seconds the whisper effect (WORLD resynthesis) takes per second of speech.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np

from lingxi.engines.tts.effects import world
from lingxi.skills import default_skills
from lingxi.skills.testing import run_turn

TURNS = ["今天一大早误机了，整个下午的会都泡汤了", "你记得我什么？", "小声跟我说句悄悄话",
         "换林黛玉来跟我说", "嗯嗯", "I failed my driving test again", "speak normally",
         "活着真没意思", "然后呢", "what's the weather like tomorrow in Beijing", "讲三打白骨精",
         "tell me the tortoise and the hare"]


def pct(xs: list[float], q: float) -> float:
    return statistics.quantiles(xs, n=100)[int(q) - 1] if len(xs) > 1 else xs[0]


async def routing(n: int) -> list[float]:
    skills = default_skills()
    out = []
    for i in range(n):
        t = time.perf_counter()
        await run_turn(skills, TURNS[i % len(TURNS)], cut_short="我们慢慢来。" if i % 3 else "")
        out.append((time.perf_counter() - t) * 1000)
    return out


def whisper_cost(seconds: float = 3.0, rate: int = 22_050) -> float:
    t = np.arange(int(rate * seconds)) / rate
    voiced = (0.3 * np.sin(2 * np.pi * 140 * t) * (1 + 0.5 * np.sin(2 * np.pi * 3 * t)))
    start = time.process_time()
    world(voiced.astype(np.float32), rate, whisper=True)
    return (time.process_time() - start) / seconds


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--turns", type=int, default=400)
    args = parser.parse_args()
    logging.getLogger("lingxi").setLevel(logging.ERROR)  # crisis turns warn on purpose
    times = asyncio.run(routing(args.turns))
    print(f"route + perform, {args.turns} turns: p50 {pct(times, 50):.2f} ms  "
          f"p95 {pct(times, 95):.2f} ms  (includes a fresh safety gate and its assessment)")
    print(f"whisper effect: {whisper_cost():.3f} CPU s per second of speech")


if __name__ == "__main__":
    main()
