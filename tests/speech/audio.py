"""Speech for tests, generated on the spot (never downloaded), and error rates to judge it."""

from __future__ import annotations

import re
import subprocess
import tempfile
from pathlib import Path

import numpy as np

from lingxi.audio import Pcm
from lingxi.engines.asr.cli import read_wav

RATE = 16000


def espeak(text: str, voice: str = "en-us", *, rate: int = RATE, speed: int = 160) -> Pcm:
    """English (or pinyin with voice cmn-latn-pinyin) spoken by espeak-ng, mono int16."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "speech.wav"
        subprocess.run(["espeak-ng", "-v", voice, "-s", str(speed), "-w", str(path), text],
                       check=True, capture_output=True)
        return read_wav(path, rate)


def silence(seconds: float, rate: int = RATE) -> Pcm:
    return np.zeros(int(seconds * rate), dtype=np.int16)


def noise(seconds: float, dbfs: float, rate: int = RATE, seed: int = 1) -> Pcm:
    rng = np.random.default_rng(seed)
    amplitude = 32768 * 10 ** (dbfs / 20)
    return np.clip(rng.standard_normal(int(seconds * rate)) * amplitude,
                   -32768, 32767).astype(np.int16)


def _edit_distance(a: list[str], b: list[str]) -> int:
    row = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        prev, row[0] = row[0], i
        for j, y in enumerate(b, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (x != y))
    return row[-1]


def words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9']+", text.lower())


def chars(text: str) -> list[str]:
    return re.findall(r"[\u4e00-\u9fff]|[a-z0-9]+", text.lower())


def error_rate(refs: list[str], hyps: list[str], unit: str) -> float:
    """WER (unit "word") or CER (unit "char") over a set of sentences."""
    split = words if unit == "word" else chars
    errors = sum(_edit_distance(split(r), split(h)) for r, h in zip(refs, hyps, strict=True))
    return errors / max(1, sum(len(split(r)) for r in refs))
