"""Round 14's evidence for the velar cue (docs/pronunciation.md): every attempt at a judged word
ending in n on the spent splits (dev and held–held6, as the bench speaks them, and dev's extra
renderings of the n→ŋ targets), the N>NG gain per frame without a cue, the final n's murmur
(1–2.5 kHz over 60–400 Hz) and the vowel before it: F2 over its last 40% and its middle.
Then leave-one-target-out of the N>NG margin (chosen as `calibrate_pronounce.py` chooses
margins) without and with the velar cue. Never held7.

    .venv/bin/python bench/pronounce_final_n.py --clips /tmp/n.npz --cache /tmp/n.json
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script: tests/

from tests.skills.pronounce_set import Clip, clips, extra_clips, items, stored

from calibrate_pronounce import _best
from lingxi.engines.pronounce import cues, decoder, prepare, sphinx
from lingxi.engines.pronounce.sphinx import SphinxScorer, Thresholds

SPENT = ("dev", "held", "held2", "held3", "held4", "held5", "held6")
Record = dict[str, object]


def _final_n(word: str) -> bool:
    phones = decoder.lexicon().get(word.lower())
    return phones is not None and phones[-1] == "N" and word.lower() not in sphinx._UNJUDGED


def _murmur_db(audio: np.ndarray, start: int, frames: int) -> float | None:
    seg = [audio[f * cues.HOP:f * cues.HOP + cues.WIN] for f in range(start, start + frames)]
    seg = [s for s in seg if len(s) == cues.WIN]
    if not seg:
        return None
    power = (np.abs(np.fft.rfft(np.array(seg) * np.hanning(cues.WIN), cues.NFFT, axis=1)) ** 2
             ).mean(axis=0)
    freq = np.fft.rfftfreq(cues.NFFT, 1 / cues.RATE)

    def db(lo: float, hi: float) -> float:
        return float(10 * np.log10(power[(freq >= lo) & (freq < hi)].sum() + 1e-3))

    return db(1000, 2500) - db(60, 400)


def measure(store: Path | None) -> list[Record]:
    chosen = [i for i in items() if i.split in SPENT and (
        i.heard == "NG" or any(_final_n(w) for w in i.text.split()))]
    ng_dev = [i for i in chosen if i.split == "dev" and i.heard == "NG"]
    attempts: list[Clip] = stored(store, lambda: [*clips(chosen), *extra_clips(ng_dev)], chosen)
    scorer = SphinxScorer(dataclasses.replace(Thresholds(), pair_margins={}, class_margins={}))
    out: list[Record] = []
    for c in attempts:
        if not c.correct and c.item.heard != "NG":
            continue
        words = [w.lower() for w in c.item.text.split() if scorer.knows(w.lower())]
        with scorer._attempt():
            said = prepare.resampled(c.pcm, 16000)
            found = scorer._aligned(said, " ".join(words))
            if found is None:
                continue
            audio, pad_ms, aligned = found
            views = scorer._views(said, " ".join(words))
            x = cues.bands(audio, pad_ms).audio
            for at, ph in enumerate(aligned):
                if not _final_n(words[at]) or ph[-1].phone != "N" or len(ph) < 2:
                    continue
                n, v = ph[-1], ph[-2]
                gain = next((g / max(1, n.frames) for var, g in
                             scorer.gains(views, words, at, tuple(p.phone for p in ph))
                             if var.heard == "NG"), None)
                tail = max(1, v.frames * 2 // 5)
                out.append({"text": c.item.text, "word": words[at], "voice": c.voice,
                            "ng": not c.correct and c.item.word == words[at],
                            "gain": gain, "vowel": v.phone,
                            "murmur_db": _murmur_db(x, n.start, n.frames),
                            "f2_end": cues.formant(x, v.start + v.frames - tail,
                                                   tail + tail // 4, 2),
                            "f2_middle": cues.formant(x, v.start, v.frames, 2)})
    return out


# Round 14's gate (the scorer's, since round 20, is ɪ alone: cues._VELAR_VOWELS).
_ROUND14_VOWELS = frozenset({"IH", "EH", "AE"})


def _velar(r: Record) -> float:
    end, middle = r["f2_end"], r["f2_middle"]
    if r["vowel"] not in _ROUND14_VOWELS or end is None or middle is None:
        return 0.0
    rise = float(end) - float(middle)  # type: ignore[arg-type]
    return cues.VELAR_WEIGHT * float(np.clip(rise / 100.0, -2.0, 2.0))


def cross_validated(records: list[Record], score: Callable[[Record], float]
                    ) -> tuple[int, int, int, int]:
    """(ŋ detected, ŋ attempts, correct n fired on, correct n attempts), each target judged by
    a margin chosen without it."""
    hit = fired = 0
    for text in sorted({str(r["text"]) for r in records}):
        rest = [r for r in records if r["text"] != text]
        m = _best([score(r) for r in rest if r["ng"]], [score(r) for r in rest if not r["ng"]])
        here = [r for r in records if r["text"] == text]
        hit += sum(score(r) > m for r in here if r["ng"])
        fired += sum(score(r) > m for r in here if not r["ng"])
    return (hit, sum(bool(r["ng"]) for r in records), fired,
            sum(not r["ng"] for r in records))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clips", type=Path, default=None, help="the attempts, read or written")
    parser.add_argument("--cache", type=Path, default=None,
                        help="the measurements, read or written")
    args = parser.parse_args()
    if args.cache is not None and args.cache.is_file():
        records: list[Record] = json.loads(args.cache.read_text("utf-8"))
    else:
        records = measure(args.clips)
        if args.cache is not None:
            args.cache.write_text(json.dumps(records), "utf-8")
    records = [r for r in records if r["gain"] is not None]
    for vowel in sorted({str(r["vowel"]) for r in records}):
        for ng in (True, False):
            rise = sorted(round(float(r["f2_end"]) - float(r["f2_middle"]))  # type: ignore[arg-type]
                          for r in records if r["vowel"] == vowel and r["ng"] == ng
                          and r["f2_end"] is not None and r["f2_middle"] is not None)
            if rise:
                print(f"{vowel:3} {'ŋ' if ng else 'n'}  F2 end − middle (Hz): {rise}")
    gain: Callable[[Record], float] = lambda r: float(r["gain"])  # type: ignore[arg-type]  # noqa: E731
    print("leave-one-target-out, gain alone:", cross_validated(records, gain))
    print("leave-one-target-out, gain + velar cue:",
          cross_validated(records, lambda r: gain(r) + _velar(r)))


if __name__ == "__main__":
    main()
