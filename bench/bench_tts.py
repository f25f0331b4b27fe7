#!/usr/bin/env python
"""Speech synthesis benchmark: time to first audio and real-time factor, per voice.

For each voice, ~10 sentences in its language (and a mixed Chinese/English set through the
"auto" voice) are synthesised through the same streaming path the call uses
(`LocalTTS.synthesize`). Printed per voice: p50/p95 time to the first audio chunk, p50/p95
real-time factor (synthesis time / audio duration, lower is faster), and the load time.
The first sentence of each voice is a warm-up and not counted.

Run:  .venv/bin/python bench/bench_tts.py [--repeat N] [--voices zh,en,...] [--json OUT]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import time
from pathlib import Path

from lingxi.engines.tts.local import LocalTTS
from lingxi.interfaces import Voice

ZH = ["你好，很高兴认识你。", "今天天气很好，我们一起去公园散步吧。",
      "明天上午9点半，我们在学校门口见面。", "这本书我已经读了三遍，每次都有新的收获。",
      "最近工作有点累，但是周末可以好好休息一下。", "你最喜欢吃什么水果？我最喜欢草莓。",
      "2025年的冬天来得特别早，气温降到了-5°C。", "如果你愿意，可以跟我说说你今天过得怎么样。",
      "我们先深呼吸三次，然后慢慢放松肩膀。", "这件衣服打八折以后只要¥128。",
      "谢谢你告诉我这些，我会一直在这里陪着你。"]
EN = ["Hello, it's nice to meet you.", "The weather is lovely today, let's take a walk.",
      "We will meet at 9:30 tomorrow morning at the school gate.",
      "I have read this book three times, and I learn something new every time.",
      "Work has been tiring lately, but the weekend is a good time to rest.",
      "What is your favourite fruit? Mine is strawberries.",
      "Prices went up by 3.5% in 2025.", "Tell me how your day went, if you like.",
      "Let's breathe in slowly, hold it for a moment, and breathe out.",
      "Thank you for telling me. I'm right here with you.",
      "The train leaves at 6:15, so we should leave home by 5:45."]
MIXED = ["我们来读 think 这个词。", "这个 app 叫做 Lingxi，很好用。",
         "你知道 weekend 是什么意思吗？", "今天我们学习 apple 和 banana。",
         "老师说 practice makes perfect。", "我刚看完 The Little Prince 这本书。",
         "请跟我读 good morning。", "他的 email 地址是什么？",
         "我们明天有一个 meeting。", "这首歌叫 Yesterday，是披头士的。",
         "Let's say 你好 together."]
SETS = {"zh": ZH, "en": EN, "espeak-zh": ZH, "espeak-en": EN, "auto": MIXED}


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def measure(tts: LocalTTS, voice: Voice, text: str) -> tuple[float, float]:
    start = time.perf_counter()
    first: float | None = None
    samples = 0
    async for pcm in tts.synthesize(text, voice):
        first = first if first is not None else time.perf_counter() - start
        samples += len(pcm)
    total = time.perf_counter() - start
    return (first or total), total / max(samples / tts.sample_rate, 1e-9)


async def run(voices: list[str], repeat: int) -> dict[str, dict[str, float]]:
    t0 = time.perf_counter()
    tts = LocalTTS.load()
    print(f"load + warm-up: {time.perf_counter() - t0:.2f} s")
    results: dict[str, dict[str, float]] = {}
    for name in voices:
        texts = SETS[name]
        await measure(tts, Voice(name), texts[0])  # warm-up
        firsts, rtfs = [], []
        for _ in range(repeat):
            for text in texts[1:]:
                first, rtf = await measure(tts, Voice(name), text)
                firsts.append(first * 1000)
                rtfs.append(rtf)
        label = "mixed (auto)" if name == "auto" else name
        results[label] = {"first_p50_ms": pct(firsts, 0.5), "first_p95_ms": pct(firsts, 0.95),
                          "rtf_p50": pct(rtfs, 0.5), "rtf_p95": pct(rtfs, 0.95),
                          "rtf_mean": statistics.fmean(rtfs), "n": len(firsts)}
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--voices", default="zh,en,auto,espeak-zh,espeak-en")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    results = asyncio.run(run(args.voices.split(","), args.repeat))
    print(f"{'voice':<14}{'n':>4}{'first p50':>12}{'first p95':>12}{'RTF p50':>10}{'RTF p95':>10}")
    for name, r in results.items():
        print(f"{name:<14}{int(r['n']):>4}{r['first_p50_ms']:>10.0f}ms{r['first_p95_ms']:>10.0f}ms"
              f"{r['rtf_p50']:>10.3f}{r['rtf_p95']:>10.3f}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
