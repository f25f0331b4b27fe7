#!/usr/bin/env python
"""Reading ahead (engines/llm/priming.py): a later turn's first token with and without the
prompt read at the caller's pause, on the embedded model.

Each conversation is two turns of one persona from the brain set. The first turn is answered
for real (so the model server holds it, as in a call); then the second turn is asked either
straight away or after a reading of the same words started `--head-start` seconds earlier
(what the pause buys: in a call the final silence and the last decode take ~0.9 s, the
reading starts when the decode at the pause returns, ~0.35 s in). Both modes run on every
conversation, in alternating order; the first turn is generated again for each, so neither
finds the other's second turn in the cache.

    .venv/bin/python bench/bench_read_ahead.py [--limit 20] [--head-start 0.55]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import itertools

from bench_brain import TURNS, brain, load_turns
from callbench.stats import fmt, summary, table
from lingxi.assemble import build_responder
from lingxi.interfaces import ChatMessage, ReplyRequest, Responder, prime
from lingxi.personas import load_book


async def first_token(responder: Responder, request: ReplyRequest) -> tuple[float, str]:
    start = time.monotonic()
    first = None
    reply = ""
    async for token in responder.respond(request):
        if isinstance(token, str):
            first = time.monotonic() - start if first is None else first
            reply += token
    return (first if first is not None else time.monotonic() - start), reply


async def run(responder: Responder, pairs: list[tuple[str, str, str]], head_start: float
              ) -> dict[str, list[float]]:
    out: dict[str, list[float]] = {"without": [], "with": []}
    for i, (persona, said, then) in enumerate(pairs):
        modes = ("without", "with") if i % 2 == 0 else ("with", "without")
        for mode in modes:
            opening = ReplyRequest("", (ChatMessage("user", said),), persona=persona)
            _, reply = await first_token(responder, opening)
            history = (ChatMessage("user", said), ChatMessage("assistant", reply),
                       ChatMessage("user", then))
            request = ReplyRequest("", history, persona=persona)
            if mode == "with":
                prime(responder, request)
            await asyncio.sleep(head_start)
            seconds, _ = await first_token(responder, request)
            out[mode].append(seconds)
            print(f"{mode:8} {persona:15} {seconds * 1000:6.0f} ms", flush=True)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--limit", type=int, default=20, help="conversations")
    parser.add_argument("--head-start", type=float, default=0.55)
    args = parser.parse_args()
    turns = load_turns(TURNS)
    pairs = [(a.persona, a.say, b.say) for a, b in itertools.pairwise(turns)
             if a.persona == b.persona and not a.history and not b.history][: args.limit]
    book = load_book(None, "companion")
    print(f"{len(pairs)} conversations, head start {args.head_start} s, load average "
          f"{os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    with brain("embedded", None, 1, {p for p, _, _ in pairs}) as settings:
        responder = build_responder(settings, book=book)
        results = asyncio.run(run(responder, pairs, args.head_start))
    rows = []
    for mode, values in results.items():
        s = summary([v * 1000 for v in values])
        rows.append([f"first token, {mode} reading ahead", fmt(s["p50"], 0), fmt(s["p95"], 0),
                     fmt(s["max"], 0)])
    print(table(["ms", "p50", "p95", "max"], rows))
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
