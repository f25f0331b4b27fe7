"""Pronunciation scoring on the evaluation set (`data/pronounce_eval.yaml`): detection of wrong
words, false alarms on correct ones, the right phone named, the confusion table, and the
latency from the end of an attempt to the first word of feedback.

    .venv/bin/python bench/bench_pronounce.py --split dev            # tune on this only
    .venv/bin/python bench/bench_pronounce.py --split held --noise 10
    .venv/bin/python bench/bench_pronounce.py --split held2    # the second held-out set
    .venv/bin/python bench/bench_pronounce.py --split held3    # the third (round pron7)
    .venv/bin/python bench/bench_pronounce.py --split held4 --clips held4.npz --noise 10

`--clips FILE` keeps the attempts' audio (as turns, before any noise): the first run speaks them
and saves them, later runs read them back, so two arms are scored on the same piper draws (the
noise is seeded per target, `with_noise`, and added after reading).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script: tests/

from tests.skills.pronounce_set import Clip, Item, clips, items, judges, splits, stored, with_noise

from lingxi.engines.pronounce import SphinxScorer, Thresholds
from lingxi.engines.pronounce.sphinx import class_margins, pair_margins
from lingxi.interfaces import Assessment, SpeechSynthesizer, Voice


@dataclass(frozen=True, slots=True)
class Outcome:
    clip: Clip
    flagged: bool  # any phone judged wrong
    named: bool  # the error's phone and its substitute both named
    said: str  # the confusion table's column: what the scorer said about the error phone
    seconds: float


def _expected_heard(phone: str, heard: str) -> str:
    return "" if heard == "-" else f"{phone} {heard[1:]}" if heard.startswith("+") else heard


def judge(clip: Clip, a: Assessment, seconds: float) -> Outcome:
    item = clip.item
    word = next((w for w in a.words if w.word == item.word), None)
    wrong = [p for w in a.words for p in w.wrong]
    at_phone = [p for p in (word.wrong if word else ()) if p.phone == item.phone]
    said = "ok" if not at_phone else (at_phone[0].heard or "∅")
    named = any(p.heard == _expected_heard(item.phone, item.heard) for p in at_phone)
    return Outcome(clip, bool(wrong), named, said, seconds)


def table(outcomes: list[Outcome]) -> str:
    """Rows: the error made (target → said); columns: what the scorer named."""
    rows: dict[str, Counter[str]] = {}
    for o in outcomes:
        if o.clip.correct:
            continue
        key = f"{o.clip.item.phone}→{o.clip.item.heard}"
        rows.setdefault(key, Counter())[o.said] += 1
    lines = ["| error | named | n |", "|---|---|---|"]
    for key in sorted(rows):
        said = ", ".join(f"{k} ×{v}" for k, v in rows[key].most_common())
        lines.append(f"| {key} | {said} | {sum(rows[key].values())} |")
    return "\n".join(lines)


def summary(outcomes: list[Outcome]) -> dict[str, float]:
    wrong = [o for o in outcomes if not o.clip.correct]
    right = [o for o in outcomes if o.clip.correct]
    detected = [o for o in wrong if o.flagged]
    times = np.array([o.seconds for o in outcomes]) * 1000
    return {
        "clips": len(outcomes),
        "detection": sum(o.flagged for o in wrong) / len(wrong),
        "false_alarms": sum(o.flagged for o in right) / len(right),
        "named_of_wrong": sum(o.named for o in wrong) / len(wrong),
        "named_of_detected": sum(o.named for o in detected) / max(1, len(detected)),
        "score_ms_p50": float(np.percentile(times, 50)),
        "score_ms_p95": float(np.percentile(times, 95)),
    }


async def _first_audio_s(tts: SpeechSynthesizer, text: str) -> float:
    start = time.perf_counter()
    async for _ in tts.synthesize(text, Voice()):
        break
    return time.perf_counter() - start


def feedback_latency(scorer: SphinxScorer, sample: list[Clip]) -> dict[str, float]:
    """End of the attempt → first feedback audio: scoring, the tip, the tip's first audio
    chunk from the local voice (what the skill does before its first word is heard)."""
    from lingxi.config import Settings
    from lingxi.engines.tts import build_tts
    from lingxi.skills.pronounce.feedback import feedback

    tts = build_tts(Settings())
    asyncio.run(_first_audio_s(tts, "先热身一下。"))
    spans = []
    for clip in sample:
        start = time.perf_counter()
        a = scorer.assess(clip.pcm, 16000, clip.item.text)
        first = feedback(a, "zh", before=None)[0]
        asyncio.run(_first_audio_s(tts, first))
        spans.append((time.perf_counter() - start) * 1000)
    return {"feedback_ms_p50": float(np.percentile(spans, 50)),
            "feedback_ms_p95": float(np.percentile(spans, 95)), "feedback_n": len(spans)}


def saved_clips(chosen: list[Item], voices: tuple[str, ...], snr_db: float | None,
                path: Path | None) -> list[Clip]:
    """`clips(chosen, voices, snr_db)`, the clean turns read from `path` when it exists (and
    written there when it does not); the noise, seeded by the target's place, added after."""
    turns = stored(path, lambda: list(clips(chosen, voices, None)), chosen)
    if snr_db is None:
        return turns
    place = {id(item): n for n, item in enumerate(chosen)}
    return [replace(c, pcm=with_noise(c.pcm, snr_db, seed=place[id(c.item)])) for c in turns]


# held7 and later judge later scorer changes: by name only, never inside "all".
NOT_IN_ALL = frozenset(judges(7))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--split", default="dev", choices=(*splits(), "all"))
    parser.add_argument("--noise", type=float, default=None, help="SNR in dB")
    parser.add_argument("--voices", default="espeak,piper")
    parser.add_argument("--margin", type=float, default=None,
                        help="for errors with no margin of their own or of their kind")
    parser.add_argument("--margin-edit", type=float, default=None)
    parser.add_argument("--gop", type=float, default=None)
    parser.add_argument("--latency", type=int, default=0, help="attempts to time with TTS")
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--clips", type=Path, default=None,
                        help="the attempts' audio, read if there, else spoken and written")
    args = parser.parse_args()
    chosen = [i for i in items() if i.split == args.split
              or (args.split == "all" and i.split not in NOT_IN_ALL)]
    t = Thresholds()
    t = replace(t, margin=t.margin if args.margin is None else args.margin,
                gop=args.gop,
                margin_edit=t.margin_edit if args.margin_edit is None else args.margin_edit)
    scorer = SphinxScorer(t)
    outcomes = []
    for clip in saved_clips(chosen, tuple(args.voices.split(",")), args.noise, args.clips):
        start = time.perf_counter()
        a = scorer.assess(clip.pcm, 16000, clip.item.text)
        outcomes.append(judge(clip, a, time.perf_counter() - start))
    result: dict[str, object] = {"split": args.split, "noise_snr_db": args.noise,
                                 "thresholds": {"margin": t.margin, "margin_edit": t.margin_edit,
                                                "gop": t.gop, "views": t.views,
                                                "per_error": pair_margins(),
                                                "per_kind": class_margins()}}
    for voice in args.voices.split(","):
        result[voice] = summary([o for o in outcomes if o.clip.voice == voice])
    result["all"] = summary(outcomes)
    result["confusion"] = table(outcomes)
    result["missed"] = [f"{o.clip.voice}:{o.clip.item.text}:{o.said}" for o in outcomes
                        if not o.clip.correct and not o.named]
    result["false_alarms"] = [f"{o.clip.voice}:{o.clip.item.text}" for o in outcomes
                              if o.clip.correct and o.flagged]
    # Every attempt's verdict, in the clips' order: two arms on the same clips compared.
    result["attempts"] = [[o.clip.voice, o.clip.item.text, o.clip.correct, o.flagged, o.named,
                           o.said, round(o.seconds * 1000)] for o in outcomes]
    if args.latency:
        sample = [o.clip for o in outcomes if not o.clip.correct][:args.latency]
        result["latency"] = feedback_latency(scorer, sample)
    print(json.dumps({k: v for k, v in result.items() if k not in ("confusion", "attempts")},
                     indent=1,
                     ensure_ascii=False))
    print(result["confusion"])
    if args.json:
        args.json.write_text(json.dumps(result, indent=1, ensure_ascii=False), "utf-8")


if __name__ == "__main__":
    main()
