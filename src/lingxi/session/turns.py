"""Turn detection on VAD frames, in input-audio milliseconds (pure logic, no I/O, no clock)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from lingxi.protocol.session import SemanticVad, ServerVad
from lingxi.session.end_of_turn import ending
from lingxi.session.eot_head import FINISHED, UNFINISHED

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
        self._pause_ms = 0.0  # where the current pause began (input audio ms)
        self.required_silence_ms = self.default_silence_ms()

    @property
    def speech_floor(self) -> float:
        """The lowest speech probability that counts for anything: it continues a turn
        (hysteresis below `threshold`); below it a frame is silence whether speaking or not."""
        return max(0.0, self.threshold - 0.15)

    def default_silence_ms(self) -> float:
        if isinstance(self.config, ServerVad):
            return float(self.config.silence_duration_ms)
        return float(semantic_silence_ms(None, self.config.eagerness))

    def on_frame(self, probability: float, frame_end_ms: float) -> list[TurnEvent]:
        if not self.speaking:
            return self._idle_frame(probability, frame_end_ms)
        if probability >= self.speech_floor:
            resumed = self._silence_ms > 0
            self._silence_ms = 0.0
            return [TurnEvent("resumed", frame_end_ms - self.frame_ms)] if resumed else []
        events = []
        if self._silence_ms == 0:
            self._pause_ms = frame_end_ms - self.frame_ms
            events.append(TurnEvent("paused", self._pause_ms))
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

    def require_silence(self, ms: float) -> TurnEvent | None:
        """What was said so far sets how long the current pause must last; if it has lasted
        that long already, the turn ends now (not at the next frame). Ignored once the
        person speaks again: the next pause asks afresh."""
        if not self.speaking or self._silence_ms == 0:
            return None
        self.required_silence_ms = ms
        if self._silence_ms < ms:
            return None
        self.reset()
        return TurnEvent("speech_stopped", self._pause_ms)

    def silence_elapsed_ms(self) -> float:
        return self._silence_ms

    def reset(self) -> None:
        self.speaking = False
        self._run_ms = 0.0
        self._silence_ms = 0.0


# Required silence (ms) by eagerness: [complete question, complete sentence, bare Mandarin
# statement, nothing heard yet, no sign either way, unfinished]. "auto" (semantic_vad's
# default) answers a finished turn after 200–250 ms, waits for the words before deciding (a
# partial decode takes ~0.3–0.5 s on two cores), gives a bare statement (no closing particle)
# the length of a comma pause (a clause said before a comma is one; ~0.3 s of silence
# between the voice's clauses reads as ~0.4 s to the VAD), and "然后…" / "and…" two
# seconds; measured by bench/bench_duplex.py.
_SILENCE_TABLE: dict[str, tuple[int, int, int, int, int, int]] = {
    "high": (200, 300, 300, 400, 600, 1000),
    "medium": (300, 450, 450, 600, 900, 2000),
    "auto": (200, 250, 450, 1500, 700, 2000),
    "low": (500, 800, 800, 1000, 1500, 3000),
}


def left_open(transcript: str) -> bool:
    """Whether the rules leave the words open (a bare Mandarin statement, no sign either
    way): where the learned reading (eot_head.py) is worth asking."""
    return bool(transcript.strip()) and ending(transcript) in ("bare", "open")


def semantic_silence_ms(transcript: str | None, eagerness: Eagerness,
                        finished: float | None = None) -> int:
    """How long a pause must last to end the turn, given the words so far.

    A finished question is answered quickly; a sentence trailing off on "然后"/"and" waits.
    `finished`: the learned reading's P(finished) of words the rules leave open; a clear
    reading either way waits as a finished sentence or an unfinished clause does.
    """
    question, sentence, bare, unknown, open_end, unfinished = _SILENCE_TABLE[eagerness]
    if transcript is None or not transcript.strip():
        return unknown
    kind = ending(transcript)
    if finished is not None and kind in ("bare", "open"):
        kind = "unfinished" if finished < UNFINISHED else "sentence" if finished > FINISHED \
            else kind
    return {"question": question, "sentence": sentence, "bare": bare, "open": open_end,
            "unfinished": unfinished}[kind]
