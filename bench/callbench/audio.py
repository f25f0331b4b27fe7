"""Audio on the wire: pre-encoded append messages, and output deltas sized without parsing."""

from __future__ import annotations

import base64
import json
import os
import subprocess
import tempfile
import wave
from pathlib import Path
from typing import Any

import numpy as np

from lingxi.audio import Pcm, StreamResampler
from lingxi.engines.fake import SpeechScript

SAMPLE_RATE = 24000
# "espeak": the callers speak words (espeak-ng), which a real VAD hears as speech; "tone"
# (default): a voiced tone, which only the energy detector takes for speech.
SPEECH_ENV = "CALLBENCH_SPEECH"
_WORDS = ("I missed my flight this morning and the whole afternoon of meetings is gone, "
          "what should I do now")


def spoken_words(seconds: float) -> Pcm:
    """At least `seconds` of English speech by espeak-ng, at the wire's rate."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "words.wav"
        subprocess.run(["espeak-ng", "-v", "en-us", "-s", "170", "-w", str(path), _WORDS],
                       check=True, capture_output=True)
        with wave.open(str(path)) as w:
            rate = w.getframerate()
            pcm = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2").astype(np.int16)
    speech = StreamResampler(rate, SAMPLE_RATE).process(pcm)
    repeats = int(np.ceil(seconds * SAMPLE_RATE / max(1, len(speech))))
    return np.tile(speech, repeats)[: int(seconds * SAMPLE_RATE)]


class AudioSet:
    """Append messages, built once: speech chunks (a voiced tone) and one silence chunk."""

    def __init__(self, chunk_ms: int, max_speech_s: float = 4.0) -> None:
        self.chunk_ms = chunk_ms
        n = SAMPLE_RATE * chunk_ms // 1000
        if os.environ.get(SPEECH_ENV) == "espeak":
            speech = spoken_words(max_speech_s)
        else:
            speech = SpeechScript().say(0.0, max_speech_s, "x").render(SAMPLE_RATE, max_speech_s)
        self.speech = [self._message(speech[i : i + n]) for i in range(0, len(speech) - n + 1, n)]
        self.silence = self._message(np.zeros(n, dtype=np.int16))

    @staticmethod
    def _message(pcm: np.ndarray[Any, np.dtype[np.int16]]) -> bytes:
        audio = base64.b64encode(pcm.astype("<i2").tobytes()).decode("ascii")
        return json.dumps({"type": "input_audio_buffer.append", "audio": audio}).encode()

    def chunks_for(self, seconds: float) -> int:
        return max(1, min(len(self.speech), round(seconds * 1000 / self.chunk_ms)))


def _string_field(raw: str, key: str, start: int = 0) -> tuple[int, int]:
    """(begin, end) of the string value of `"key": "..."` in a JSON text, without parsing."""
    k = raw.find(f'"{key}"', start)
    if k < 0:
        return -1, -1
    q = raw.find('"', k + len(key) + 3)
    end = raw.find('"', q + 1)
    return q + 1, end


def delta_audio_ms(raw: str) -> tuple[str, float]:
    """(response_id, milliseconds of PCM16 24 kHz audio) of an output audio delta event."""
    a, b = _string_field(raw, "response_id")
    rid = raw[a:b]
    a, b = _string_field(raw, "delta", b)
    n = b - a
    pad = (raw[b - 1] == "=") + (raw[b - 2] == "=") if n >= 2 else 0
    n_bytes = n // 4 * 3 - pad
    return rid, 1000.0 * (n_bytes // 2) / SAMPLE_RATE
