"""espeak-ng (Debian package) as the voice of last resort: instant, robotic, always there.

Mandarin goes in as tone-numbered pinyin to the `cmn-latn-pinyin` voice: plain `cmn` on
Debian 12 reads hanzi badly.
"""

from __future__ import annotations

import shutil
import subprocess
from typing import Literal

import numpy as np

from lingxi.engines.tts.models import Audio, ModelLoadError
from lingxi.engines.tts.pinyin import to_pinyin

_VOICES = {"zh": "cmn-latn-pinyin", "en": "en-us"}
BASE_WPM = 175  # espeak-ng's default rate, words per minute


class EspeakModel:
    sample_rate = 22050
    native_pitch = False
    world_pitch = True

    def __init__(self, lang: Literal["zh", "en"], binary: str = "espeak-ng") -> None:
        path = shutil.which(binary)
        if path is None:
            raise ModelLoadError(
                f"{binary} not found (run scripts/install.sh, or apt-get install espeak-ng)")
        self.binary = path
        self.lang = lang
        self.name = f"espeak-{lang}"

    def synth(self, text: str, *, speed: float, pitch: float = 0.0) -> Audio:
        if self.lang == "zh":
            text = " ".join(to_pinyin(text))
        if not text.strip():
            return np.zeros(0, np.float32)
        wpm = str(max(80, min(450, round(BASE_WPM * speed))))
        done = subprocess.run(
            [self.binary, "-v", _VOICES[self.lang], "-s", wpm, "--stdin", "--stdout"],
            input=text.encode(), capture_output=True, check=True, timeout=30)
        return _wav_samples(done.stdout)


def _wav_samples(wav: bytes) -> Audio:
    # espeak-ng streams its WAV with a placeholder length, so read up to the end, not the
    # length in the header.
    at = wav.find(b"data")
    if at < 0:
        raise RuntimeError("espeak-ng gave no audio")
    pcm = np.frombuffer(wav[at + 8 :][: (len(wav) - at - 8) // 2 * 2], "<i2")
    return (pcm.astype(np.float32) / 32768.0).astype(np.float32)
