"""Turn detection on VAD frames, in input-audio milliseconds (pure logic, no I/O, no clock)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from lingxi.protocol.session import SemanticVad, ServerVad

Eagerness = Literal["low", "medium", "high", "auto"]


@dataclass(frozen=True, slots=True)
class TurnEvent:
    kind: Literal["speech_started", "paused", "resumed", "speech_stopped"]
    audio_ms: float


class TurnDetector:
    """Speech onset after `min_speech_ms` of speech frames; end after enough silence.

    Continuing speech uses a lower threshold than onset (hysteresis), so a soft syllable in
    the middle of a sentence does not open a pause.
    """

    def __init__(self, config: ServerVad | SemanticVad, frame_ms: float, min_speech_ms: float):
        self.config = config
        self.frame_ms = frame_ms
        self.min_speech_ms = min_speech_ms
        self.threshold = config.threshold if isinstance(config, ServerVad) else 0.5
        self.speaking = False
        self._run_ms = 0.0
        self._silence_ms = 0.0
        self.required_silence_ms = self.default_silence_ms()

    def default_silence_ms(self) -> float:
        if isinstance(self.config, ServerVad):
            return float(self.config.silence_duration_ms)
        return float(semantic_silence_ms(None, self.config.eagerness))

    def on_frame(self, probability: float, frame_end_ms: float) -> list[TurnEvent]:
        if not self.speaking:
            return self._idle_frame(probability, frame_end_ms)
        if probability >= max(0.0, self.threshold - 0.15):
            resumed = self._silence_ms > 0
            self._silence_ms = 0.0
            return [TurnEvent("resumed", frame_end_ms - self.frame_ms)] if resumed else []
        events = []
        if self._silence_ms == 0:
            events.append(TurnEvent("paused", frame_end_ms - self.frame_ms))
            self.required_silence_ms = self.default_silence_ms()
        self._silence_ms += self.frame_ms
        if self._silence_ms >= self.required_silence_ms:
            events.append(TurnEvent("speech_stopped", frame_end_ms - self._silence_ms))
            self.reset()
        return events

    def _idle_frame(self, probability: float, frame_end_ms: float) -> list[TurnEvent]:
        if probability < self.threshold:
            self._run_ms = 0.0
            return []
        self._run_ms += self.frame_ms
        if self._run_ms < self.min_speech_ms:
            return []
        onset = frame_end_ms - self._run_ms
        self.speaking = True
        self._run_ms = 0.0
        self._silence_ms = 0.0
        return [TurnEvent("speech_started", onset)]

    def silence_elapsed_ms(self) -> float:
        return self._silence_ms

    def reset(self) -> None:
        self.speaking = False
        self._run_ms = 0.0
        self._silence_ms = 0.0


# Words after which a speaker is usually not done ("then…", "and…"), zh and en.
_UNFINISHED = re.compile(
    r"(然后|就是|而且|但是|可是|所以|因为|还有|那个|这个|嗯|呃|我想|如果|并且|或者|"
    r"\b(and|but|so|because|or|then|um|uh|like|the|a|to|if|when|that)\b|[,，、:：])\s*$",
    re.IGNORECASE,
)
_QUESTION = re.compile(r"([?？]|(吗|呢|吧|么|嘛)[。.!！]?)\s*$")
_FINAL_PUNCT = re.compile(r"[。.!！…~]\s*$")

# Required silence (ms) by eagerness: [complete question, complete sentence, unknown,
# no final punctuation, trailing connective].
_SILENCE_TABLE: dict[str, tuple[int, int, int, int, int]] = {
    "high": (200, 300, 400, 600, 1000),
    "medium": (300, 450, 600, 900, 2000),
    "auto": (300, 450, 600, 900, 2000),
    "low": (500, 800, 1000, 1500, 3000),
}


def semantic_silence_ms(transcript: str | None, eagerness: Eagerness) -> int:
    """How long a pause must last to end the turn, given the words so far.

    A finished question is answered quickly; a sentence trailing off on "然后"/"and" waits.
    """
    question, sentence, unknown, open_end, trailing = _SILENCE_TABLE[eagerness]
    if transcript is None:
        return unknown
    text = transcript.strip()
    if not text:
        return unknown
    if _UNFINISHED.search(text):
        return trailing
    if _QUESTION.search(text):
        return question
    if _FINAL_PUNCT.search(text):
        return sentence
    return open_end
