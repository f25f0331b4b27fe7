#!/usr/bin/env python
"""Parody with the embedded language model: for each theme of bench/data/parody_themes.yaml
(10 Chinese and 10 English held out, 4 + 4 dev ones the prompts were tuned on), new words
for a tune of its language (the tunes taken in turn), written by the model through the same
writer `lingxi serve` gives the singing skill (skills/sing/lyricist.py), then the first
phrase sung in the real voice.

Reports, per set: how often every line had the right syllable count on the first try, after
the one repair, only after fitting (a long line cut at a word, a short one padded with the
offline fillers), or fell back to the offline words; whether the fitted/offline words still
have every count right (they must: 100%); and the time from the request to the first sung
phrase, p50/p95 (the model's writing plus the first phrase's synthesis; in a call the lead-in
line is spoken meanwhile). "lines_by_model": lines sung as the model wrote them (right count,
first try or repaired), of all lines. Load: the machine's 1-minute load average before and after.

With --stories, four made-up stories too (StoryTeller with the same writer): time to the first
words, time to the end, length.

Run:  .venv/bin/python bench/bench_parody.py [--set held_out|dev|all] [--limit-s S]
          [--themes N] [--stories] [--json OUT]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import time
from collections import Counter
from pathlib import Path
from typing import Any

import yaml

from lingxi.assemble import build_writer
from lingxi.config import Settings
from lingxi.engines.llm.embedded import EmbeddedOptions, ModelServer, thread_budget
from lingxi.engines.llm.weights import check as checked_weights
from lingxi.engines.tts.local import LocalTTS
from lingxi.interfaces import ChatMessage, Voice, Writer
from lingxi.personas import builtin_book
from lingxi.skills import StoryTeller
from lingxi.skills.sing.library import Language, Song, library
from lingxi.skills.sing.lyricist import PARODY_LIMIT_S, write_parody
from lingxi.skills.sing.parody import syllables_per_phrase
from lingxi.skills.sing.singer import Performance, Singer
from lingxi.skills.story.requests import lines
from lingxi.text import HAN, english_words
from lingxi.turn import Say, Turn

THEMES = Path(__file__).parent / "data" / "parody_themes.yaml"
# Made-up stories (--stories): time to the first words and how long the story runs.
STORY_ASKS = [("zh", "讲一个关于小刺猬的故事"), ("zh", "给我讲个关于月亮上的兔子的故事"),
              ("en", "tell me a story about a brave little snail"),
              ("en", "tell me a story about a lost kite")]


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def themes(which: str) -> list[tuple[str, Language, str]]:
    """(set, language, theme) in the order they are run."""
    data = yaml.safe_load(THEMES.read_text("utf-8"))
    sets = ["dev", "held_out"] if which == "all" else [which]
    return [(s, lang, t) for s in sets for lang in ("zh", "en") for t in data[s][lang]]


def tunes(language: str) -> list[Song]:
    return [s for s in library() if s.language == language]


def counts_right(song: Song, tune: Song) -> bool:
    heard = [len(p.syllables()) for p in song.phrases]
    return heard == syllables_per_phrase(tune)


async def one(writer: Writer, singer: Singer, tune: Song, theme: str, language: Language,
              limit_s: float) -> dict[str, Any]:
    start = time.perf_counter()
    parody = await write_parody(writer, tune, theme, language, limit_s=limit_s)
    written = time.perf_counter() - start
    sung = singer.sing(Performance(parody.song), Voice(language))
    await anext(sung)
    await sung.aclose()
    first_audio = time.perf_counter() - start
    return {"tune": tune.id, "theme": theme, "language": language, "outcome": parody.outcome,
            "lines": len(tune.phrases), "fitted": parody.fitted,
            "counts_right": counts_right(parody.song, tune), "written_s": round(written, 2),
            "first_audio_s": round(first_audio, 2)}


async def stories(writer: Writer) -> list[dict[str, Any]]:
    rows = []
    for lang, asked in STORY_ASKS:
        teller = StoryTeller(writer)
        start = time.perf_counter()
        first, said = None, ""
        turn = Turn(text=asked, language=lang, history=(ChatMessage("user", asked),),
                    persona=builtin_book().default, personas=builtin_book())
        async for segment in teller.perform(turn):
            if isinstance(segment, Say):
                first = first if first is not None else time.perf_counter() - start
                said += segment.text
        made_up = not said.startswith(lines(lang).no_model[0])
        length = len(HAN.findall(said)) if lang == "zh" else len(english_words(said))
        rows.append({"language": lang, "made_up": made_up, "first_words_s": round(first or 0, 2),
                     "told_s": round(time.perf_counter() - start, 2),
                     "length": length, "unit": "characters" if lang == "zh" else "words"})
        print(json.dumps(rows[-1]), flush=True)
    return rows


def summary(rows: list[dict[str, Any]]) -> dict[str, Any]:
    outcomes = Counter(r["outcome"] for r in rows)
    first = [r["first_audio_s"] for r in rows]
    return {"themes": len(rows), **{k: outcomes.get(k, 0) for k in
                                    ("first", "repaired", "trimmed", "offline")},
            "every_count_right": sum(r["counts_right"] for r in rows),
            "lines_by_model": f'{sum(r["lines"] - r["fitted"] for r in rows)}/'
                              f'{sum(r["lines"] for r in rows)}',
            "first_audio_p50_s": round(statistics.median(first), 2),
            "first_audio_p95_s": round(pct(first, 0.95), 2)}


async def run(which: str, limit_s: float, with_stories: bool,
              first: int | None) -> dict[str, Any]:
    threads, batch = thread_budget()
    options = EmbeddedOptions(model=checked_weights(), threads=threads, batch_threads=batch,
                              parallel=1, context_per_call=4096)
    tts = LocalTTS.load()
    rows: list[dict[str, Any]] = []
    load_before = os.getloadavg()[0]
    with ModelServer(options) as server:
        writer = build_writer(Settings(engines="local", llm_base_url=server.base_url,
                                       llm_read_timeout_s=60.0))
        assert writer is not None
        singer = Singer(tts)
        seen = Counter[str]()
        for which_set, language, theme in themes(which)[:first]:
            choices = tunes(language)
            tune = choices[seen[language] % len(choices)]
            seen[language] += 1
            row = await one(writer, singer, tune, theme, language, limit_s)
            row["set"] = which_set
            rows.append(row)
            print(json.dumps(row, ensure_ascii=False), flush=True)
        told = await stories(writer) if with_stories else []
    sets = sorted({r["set"] for r in rows})
    return {"limit_s": limit_s,
            "load_1min": [round(load_before, 2), round(os.getloadavg()[0], 2)],
            **{s: summary([r for r in rows if r["set"] == s]) for s in sets},
            **{f"{s}_{lang}": summary([r for r in rows if r["set"] == s and
                                       r["language"] == lang])
               for s in sets for lang in ("zh", "en")},
            "stories": told, "rows": rows}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--set", choices=["held_out", "dev", "all"], default="held_out")
    parser.add_argument("--limit-s", type=float, default=PARODY_LIMIT_S,
                        help="the time limit on the words (default: the skill's); a long one "
                             "shows what the model writes when it is not rushed")
    parser.add_argument("--stories", action="store_true",
                        help="also four made-up stories: first words, length")
    parser.add_argument("--themes", type=int, default=None,
                        help="only the first N themes (a quick run)")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    result = asyncio.run(run(args.set, args.limit_s, args.stories, args.themes))
    for key, value in result.items():
        if key != "rows":
            print(key, value)
    if args.json:
        args.json.write_text(json.dumps(result, ensure_ascii=False, indent=1), "utf-8")


if __name__ == "__main__":
    main()
