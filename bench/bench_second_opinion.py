#!/usr/bin/env python
"""The language model's second opinion (issue 15, part 4): what asking the embedded brain about
borderline turns adds to the rules and the learned model, on the development split and the
held-out set of bench_risk.py (same turns, same definitions of recall and false alarms).

Each call is read by one tracker (rules + model, as in a call); a turn the model is unsure of
(`lingxi.safety.opinion.borderline`) is put to the language model with the caller's last three
turns, and a higher level it names raises the call, as the gate does. There is no per-call rate
limit here (a real call asks at most once per 20 s), so this is the most it could add. Printed:
the share of turns asked (the cost), the language model's latency per question, and
bench_risk's report for "combined + opinion" beside "combined".

The prompt (`lingxi/safety/data/second_opinion.toml`) was written and tried on eight lines of its
own, none from either set; nothing here was tuned on either set.

Run:  nice .venv/bin/python bench/bench_second_opinion.py [--set dev|heldout|both] [--url URL]
(without --url the embedded model is started, with the machine's thread budget).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from typing import Any

from bench_risk import combined, report, risk_sets
from lingxi.engines.llm.client import ChatClient, ChatConfig, Limits
from lingxi.safety import Level, RiskTracker
from lingxi.safety.levels import Reason
from lingxi.safety.model import RiskModel
from lingxi.safety.opinion import borderline, default_prompt, parse_level
from lingxi.safety.riskdata import Example

TURNS = 3  # the caller's turns the opinion reads, as the gate gives them


class Asked:
    def __init__(self) -> None:
        self.turns = 0
        self.questions = 0
        self.raised: list[tuple[Level, Level]] = []  # (truth, raised to)
        self.seconds: list[float] = []


async def with_opinion(calls: Sequence[list[Example]], choose: Callable[[list[Example]],
                       RiskModel], chat: ChatClient, asked: Asked) -> dict[int, list[Level]]:
    prompt = default_prompt()
    levels: dict[int, list[Level]] = {}
    for call in calls:
        model = choose(call)
        thresholds = [float(t) for t in model.head.thresholds]
        tracker = RiskTracker(model=model)
        out: list[Level] = []
        for index, turn in enumerate(call):
            report_ = tracker.observe(turn.text)
            asked.turns += 1
            assert report_.model is not None
            if borderline(report_.call_level, report_.model.probabilities, thresholds):
                asked.questions += 1
                turns = [t.text for t in call[max(0, index + 1 - TURNS):index + 1]]
                begun = time.perf_counter()
                messages: list[dict[str, Any]] = [*prompt.messages(turns)]
                answer = await chat.complete(messages, Limits(max_tokens=4, temperature=0.0))
                asked.seconds.append(time.perf_counter() - begun)
                level = parse_level(answer)
                # As the gate: an answer below passive (the question asked) raises nothing.
                if level is not None and level >= Level.PASSIVE and level > tracker.level:
                    tracker.raise_to(level, Reason("second_opinion", level, "bench"))
                    asked.raised.append((turn.level, level))
            out.append(tracker.level)
        levels[id(call)] = out
    return levels


def levels_of(levels: dict[int, list[Level]]) -> Callable[[list[Example]], list[Level]]:
    return lambda call: levels[id(call)]


def summary(name: str, asked: Asked) -> None:
    secs = sorted(asked.seconds) or [0.0]
    right = sum(1 for truth, to in asked.raised if truth >= to or truth >= Level.ACTIVE)
    print(f"\n{name}: asked on {asked.questions}/{asked.turns} turns "
          f"({100 * asked.questions / max(1, asked.turns):.1f}%); raised {len(asked.raised)} "
          f"times, {right} to a level the turn had (or at an active+ turn); answer latency "
          f"p50 {statistics.median(secs):.2f} s, p95 {secs[int(0.95 * (len(secs) - 1))]:.2f} s")


async def run(sets: dict[str, tuple[list[list[Example]], Callable[[list[Example]],
                                                                   RiskModel]]],
              url: str) -> None:
    chat = ChatClient(ChatConfig(base_url=url, read_timeout_s=120.0, connect_timeout_s=5.0))
    await chat.complete([{"role": "user", "content": "hi"}], Limits(max_tokens=1))  # warm
    for set_name, (calls, choose) in sets.items():
        asked = Asked()
        levels = await with_opinion(calls, choose, chat, asked)
        report(f"{set_name} / combined", calls, combined(choose), misses=False)
        report(f"{set_name} / combined + opinion", calls, levels_of(levels), misses=False)
        summary(set_name, asked)
    await chat.aclose()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", choices=("dev", "heldout", "both"), default="both")
    parser.add_argument("--url", help="an OpenAI-compatible model server (…/v1)")
    args = parser.parse_args(argv)
    _, sets = risk_sets(args.set)
    with ExitStack() as stack:
        url = args.url
        if url is None:
            from lingxi.engines.llm import weights
            from lingxi.engines.llm.embedded import EmbeddedOptions, ModelServer, thread_budget

            threads, batch = thread_budget()
            url = stack.enter_context(ModelServer(EmbeddedOptions(
                model=weights.check(), threads=threads, batch_threads=batch, parallel=1,
                context_per_call=1024))).base_url
        asyncio.run(run(sets, url))
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
