#!/usr/bin/env python
"""The brain benchmark: what the responder says to 84 turns of our own, and how fast.

Each turn (bench/data/brain_turns.yaml: feelings, advice, open questions, "wait, stop",
role-play with five personas, English practice, follow-ups) goes through the real responder
Lingxi builds (`build_responder`: spoken-style filter, first-token timeout, companion fallback)
and the reply is scored by machine checks (tests/responder/brain_checks.py): not copied from
the caller (8 Chinese characters / 5 English words), no deflection or apology, right language,
no markdown or list, <= 120 characters zh / 60 words en, no loops, persona marks.

Latency is measured from the request (a text turn's end) to the first token and to the first
complete clause (what the TTS would start speaking), with `--concurrency` calls at once.

Brains:  --brain companion   the offline companion (what callers got before)
         --brain embedded    the embedded model under its supervisor (LINGXI_LLM=embedded)
         --brain url --url U  any OpenAI-compatible server

Run:  .venv/bin/python bench/bench_brain.py --brain embedded [--concurrency 2] [--limit 20]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import os
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # for tests.responder

from tests.responder.brain_checks import Verdict, check

from callbench.stats import fmt, summary, table
from lingxi.assemble import build_responder
from lingxi.config import Settings
from lingxi.engines.llm.brain import start_brain, warm_prompt_cache
from lingxi.engines.llm.prompt import chat_messages
from lingxi.interfaces import ChatMessage, ReplyRequest, Responder
from lingxi.personas import PersonaBook, load_book
from lingxi.text import ClauseSplitter

TURNS = Path(__file__).parent / "data" / "brain_turns.yaml"


@dataclass(frozen=True)
class Turn:
    kind: str
    say: str
    persona: str = "companion"
    history: tuple[tuple[str, str], ...] = ()

    def request(self) -> ReplyRequest:
        messages: list[ChatMessage] = []
        for caller, reply in self.history:
            messages += [ChatMessage("user", caller), ChatMessage("assistant", reply)]
        messages.append(ChatMessage("user", self.say))
        return ReplyRequest("", tuple(messages), persona=self.persona)


@dataclass(frozen=True)
class Result:
    turn: Turn
    reply: str
    first_token_s: float
    first_clause_s: float
    total_s: float
    verdict: Verdict


def load_turns(path: Path = TURNS) -> list[Turn]:
    data: list[dict[str, Any]] = yaml.safe_load(path.read_text("utf-8"))
    return [Turn(kind=d["kind"], say=str(d["say"]), persona=d.get("persona", "companion"),
                 history=tuple((str(a), str(b)) for a, b in d.get("history", ())))
            for d in data]


async def one(responder: Responder, turn: Turn, book: PersonaBook) -> Result:
    start = time.monotonic()
    first_token = first_clause = None
    splitter = ClauseSplitter()
    reply = ""
    async for text in responder.respond(turn.request()):
        if not isinstance(text, str):
            continue  # no tools are given here, so no calls come back
        now = time.monotonic() - start
        first_token = now if first_token is None else first_token
        if first_clause is None and splitter.push(text):
            first_clause = now
        reply += text
    total = time.monotonic() - start
    return Result(turn, reply, first_token or total, first_clause or total, total,
                  check(turn.say, reply, turn.persona, book))


async def run_all(responder: Responder, turns: list[Turn], book: PersonaBook,
                  concurrency: int) -> list[Result]:
    queue: asyncio.Queue[tuple[int, Turn]] = asyncio.Queue()
    for i, t in enumerate(turns):
        queue.put_nowait((i, t))
    results: dict[int, Result] = {}

    async def worker() -> None:
        while not queue.empty():
            i, t = queue.get_nowait()
            results[i] = await one(responder, t, book)

    async with asyncio.TaskGroup() as tg:
        for _ in range(concurrency):
            tg.create_task(worker())
    return [results[i] for i in range(len(turns))]


def probe_timings(base_url: str, book: PersonaBook) -> list[dict[str, Any]]:
    """Two turns of one persona straight to the server: its own timings (cache hit, tok/s)."""
    out = []
    for say in ("我今天有点累", "你觉得我该早点睡吗"):
        request = ReplyRequest("", (ChatMessage("user", say),))
        body = {"messages": chat_messages(request, book), "stream": False, "max_tokens": 60}
        data = httpx.post(base_url.rstrip("/") + "/chat/completions", json=body,
                          timeout=120).json()
        out.append(data.get("timings", {}))
    return out


@contextlib.contextmanager
def brain(name: str, url: str | None, concurrency: int,
          personas: set[str]) -> Iterator[Settings]:
    if name == "companion":
        yield Settings(engines="local", llm="off")
        return
    if name == "url":
        yield Settings(engines="local", llm_base_url=url, llm_retry_after_s=0)
        return
    t = time.monotonic()
    settings, server = start_brain(Settings(engines="local", llm="embedded",
                                            llm_parallel=max(2, concurrency),
                                            llm_retry_after_s=0), warm=False)
    if server is None:
        raise SystemExit("the embedded model did not start (see the log above)")
    loaded = time.monotonic() - t
    warm_prompt_cache(settings, server.base_url, sorted(personas))
    print(f"embedded model loaded in {loaded:.1f} s, the fixed prompts of {len(personas)} "
          f"personas read in {time.monotonic() - t - loaded:.1f} s "
          f"({server.options.threads} generating / {server.options.batch_threads} prompt "
          f"threads, {server.options.parallel} slots)")
    try:
        yield settings
    finally:
        server.stop()


def report(results: list[Result], quiet: bool) -> None:
    if not quiet:
        for r in results:
            mark = "ok  " if r.verdict.ok else "FAIL"
            why = "" if r.verdict.ok else f"  [{', '.join(r.verdict.failures)}]"
            print(f"{mark} {r.turn.persona:15} {r.turn.say}\n      → {r.reply.strip()}{why}")
    passed = sum(r.verdict.ok for r in results)
    print(f"\npassed {passed}/{len(results)} ({100 * passed / len(results):.0f}%)")
    kinds: dict[str, list[Result]] = {}
    for r in results:
        kinds.setdefault(r.turn.kind, []).append(r)
    for kind, rs in kinds.items():
        print(f"  {kind:9} {sum(r.verdict.ok for r in rs)}/{len(rs)}")
    fails: dict[str, int] = {}
    for r in results:
        for f in r.verdict.failures:
            key = f.split(" ")[0]
            fails[key] = fails.get(key, 0) + 1
    print("  failures by check:", fails or "none")
    rows = []
    for label, values in (("first token", [r.first_token_s for r in results]),
                          ("first clause", [r.first_clause_s for r in results]),
                          ("whole reply", [r.total_s for r in results])):
        s = summary([v * 1000 for v in values])
        rows.append([label, fmt(s["p50"], 0), fmt(s["p95"], 0), fmt(s["max"], 0)])
    print(table(["ms", "p50", "p95", "max"], rows))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--brain", choices=["companion", "embedded", "url"], default="embedded")
    parser.add_argument("--url", help="the model's base URL for --brain url")
    parser.add_argument("--concurrency", type=int, default=1)
    parser.add_argument("--limit", type=int, default=0, help="only the first N turns")
    parser.add_argument("--turns", type=Path, default=TURNS,
                        help="the set: brain_turns.yaml (dev) or brain_turns_heldout.yaml")
    parser.add_argument("--quiet", action="store_true", help="no replies, only the summary")
    parser.add_argument("--json", type=Path, help="write every reply and timing here")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    turns = load_turns(args.turns)[: args.limit or None]
    book = load_book(None, "companion")
    print(f"{len(turns)} turns, brain {args.brain}, {args.concurrency} at once, "
          f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    personas = {t.persona for t in turns}
    with brain(args.brain, args.url, args.concurrency, personas) as settings:
        responder = build_responder(settings, book=book)
        results = asyncio.run(run_all(responder, turns, book, args.concurrency))
        if settings.llm_base_url:
            for i, t in enumerate(probe_timings(settings.llm_base_url, book), 1):
                print(f"server timings, turn {i}: cached {t.get('cache_n')} + read "
                      f"{t.get('prompt_n')} prompt tokens at {t.get('prompt_per_second', 0):.0f}"
                      f"/s; generated {t.get('predicted_n')} at "
                      f"{t.get('predicted_per_second', 0):.1f} tokens/s")
    report(results, args.quiet)
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    if args.json:
        args.json.write_text(json.dumps([
            {"persona": r.turn.persona, "say": r.turn.say, "reply": r.reply,
             "failures": list(r.verdict.failures), "first_token_s": r.first_token_s,
             "first_clause_s": r.first_clause_s, "total_s": r.total_s} for r in results],
            ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
