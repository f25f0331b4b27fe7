"""Fakes for tests and for running the server before real models are wired (named as fakes).

- :class:`SpeechScript`: a timeline of what the user says when; renders it as audio (a voiced
  tone per utterance, silence between) and is the oracle behind :class:`FakeASR`.
- :class:`FakeASR`: returns the script's words for the audio it was fed.
- :class:`FakeResponder`: a scripted or echoing reply with a configurable first-token delay.
- :class:`FakeTTS`: a tone of known length per character, so truncation can be checked exactly.
- :class:`FakeWriter`: a scripted language model for skills that need text written.
"""

from __future__ import annotations

import asyncio
import functools
import itertools
import re
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from lingxi.audio import Pcm
from lingxi.clock import Clock
from lingxi.interfaces import RecognitionContext, ReplyRequest, Voice, WriteRequest, WriterError


@dataclass(frozen=True, slots=True)
class Utterance:
    start_s: float
    end_s: float
    text: str


@dataclass(slots=True)
class SpeechScript:
    """What the (fake) user says: utterances on a timeline, in seconds of input audio."""

    utterances: list[Utterance] = field(default_factory=list)

    def say(self, start_s: float, end_s: float, text: str) -> SpeechScript:
        self.utterances.append(Utterance(start_s, end_s, text))
        self.utterances.sort(key=lambda u: u.start_s)
        return self

    def render(self, sample_rate: int, duration_s: float) -> Pcm:
        n = round(duration_s * sample_rate)
        out = np.zeros(n, dtype=np.float32)
        for u in self.utterances:
            a, b = int(u.start_s * sample_rate), min(n, int(u.end_s * sample_rate))
            if b > a:
                out[a:b] = _voiced(b - a, sample_rate, 150.0, 0.3)
        return (out * 32767).astype(np.int16)

    def words_between(self, start_ms: float, end_ms: float, *, complete_only: bool) -> str:
        picked = []
        for u in self.utterances:
            starts_inside = start_ms - 50 <= u.start_s * 1000 < end_ms
            if starts_inside and (not complete_only or u.end_s * 1000 <= end_ms):
                picked.append(u.text)
        return "".join(picked)


@functools.lru_cache(maxsize=64)
def _tone(n: int, sample_rate: int) -> Pcm:
    """The fake voice's tone, rendered once per length: the load bench's many calls would
    otherwise spend the event loop on a fake's trigonometry."""
    tone = (_voiced(n, sample_rate, 220.0, 0.25) * 32767).astype(np.int16)
    tone.flags.writeable = False
    return tone


def _voiced(n: int, sample_rate: int, f0: float, amplitude: float) -> np.ndarray:
    t = np.arange(n, dtype=np.float32) / sample_rate
    wave = sum(np.sin(2 * np.pi * f0 * k * t) / k for k in (1, 2, 3))
    ramp = min(n // 2, int(0.005 * sample_rate))
    env = np.ones(n, dtype=np.float32)
    if ramp:
        env[:ramp] = np.linspace(0, 1, ramp)
        env[-ramp:] = np.linspace(1, 0, ramp)
    return (amplitude * wave * env / 1.84).astype(np.float32)


class FakeRecognitionStream:
    def __init__(self, asr: FakeASR, start_ms: float) -> None:
        self._asr = asr
        self._start_ms = start_ms
        self._fed = 0

    @property
    def _end_ms(self) -> float:
        return self._start_ms + 1000.0 * self._fed / self._asr.sample_rate

    def feed(self, pcm: Pcm) -> None:
        self._fed += len(pcm)

    async def hypothesis(self) -> str:
        end_ms = self._end_ms  # a decode covers the audio heard when it was asked for
        await self._asr.clock.sleep(self._asr.partial_delay_s)
        if self._asr.script is None:
            return ""
        return self._asr.script.words_between(self._start_ms, end_ms, complete_only=True)

    async def finish(self) -> str:
        await self._asr.clock.sleep(self._asr.final_delay_s)
        if self._asr.fail:
            raise RuntimeError("fake ASR failure (configured)")
        if self._asr.script is None:
            return self._asr.unscripted(self._fed / self._asr.sample_rate)
        return self._asr.script.words_between(self._start_ms, self._end_ms, complete_only=False)


class FakeASR:
    name = "fake-asr"

    def __init__(
        self, clock: Clock, script: SpeechScript | None = None, *, sample_rate: int = 16000,
        final_delay_s: float = 0.0, partial_delay_s: float = 0.0, fail: bool = False,
    ) -> None:
        self.clock = clock
        self.script = script
        self.sample_rate = sample_rate
        self.final_delay_s = final_delay_s
        self.partial_delay_s = partial_delay_s
        self.fail = fail
        self.contexts: list[RecognitionContext | None] = []
        self._turns = itertools.count(1)

    def stream(self, *, language: str | None, start_ms: float,
               context: RecognitionContext | None = None) -> FakeRecognitionStream:
        self.contexts.append(context)  # what the call told the recogniser, for tests
        return FakeRecognitionStream(self, start_ms)

    def unscripted(self, seconds: float) -> str:
        """What a turn says without a script. Numbered: no two turns say the same words, as
        with real callers, so nothing that remembers a text's embedding makes a load bench
        look cheaper than it is."""
        return f"[fake ASR heard {seconds:.1f} s of audio, turn {next(self._turns)}]"


_TOKEN = re.compile(r"[A-Za-z']+\s*|\s+|.", re.S)


def echo_reply(request: ReplyRequest) -> str:
    heard = request.last_user_text.strip()
    if not heard:
        return "你还在吗？我在这儿听着呢。"
    return f"我听到你说：{heard}。我在呢，慢慢说。"


class FakeResponder:
    name = "fake-responder"

    def __init__(
        self, clock: Clock, *, first_token_delay_s: float = 0.0, token_interval_s: float = 0.0,
        replies: Sequence[str] | Callable[[ReplyRequest], str] = echo_reply,
    ) -> None:
        self.clock = clock
        self.first_token_delay_s = first_token_delay_s
        self.token_interval_s = token_interval_s
        self._replies = replies
        self.calls: list[ReplyRequest] = []
        self.primed: list[ReplyRequest] = []  # requests read ahead at the caller's pauses
        self.closed = 0

    def prime(self, request: ReplyRequest) -> None:
        self.primed.append(request)

    def _text_for(self, request: ReplyRequest) -> str:
        if callable(self._replies):
            return self._replies(request)
        return self._replies[min(len(self.calls) - 1, len(self._replies) - 1)]

    async def respond(self, request: ReplyRequest) -> AsyncIterator[str]:
        self.calls.append(request)
        text = self._text_for(request)
        try:
            await self.clock.sleep(self.first_token_delay_s)
            for i, token in enumerate(_TOKEN.findall(text)):
                if i:
                    await self.clock.sleep(self.token_interval_s)
                yield token
        finally:
            self.closed += 1


class FakeTTS:
    """A voiced tone of `ms_per_char` per character (every character, punctuation included)."""

    name = "fake-tts"

    def __init__(
        self, clock: Clock, *, sample_rate: int = 16000, ms_per_char: float = 80.0,
        chunk_ms: float = 40.0, first_chunk_delay_s: float = 0.0, realtime_factor: float = 0.0,
    ) -> None:
        self.clock = clock
        self.sample_rate = sample_rate
        self.ms_per_char = ms_per_char
        self.chunk_ms = chunk_ms
        self.first_chunk_delay_s = first_chunk_delay_s
        self.realtime_factor = realtime_factor

    def duration_ms(self, text: str, voice: Voice | None = None) -> float:
        speed = voice.speed if voice else 1.0
        return len(text) * self.ms_per_char / speed

    async def synthesize(self, text: str, voice: Voice) -> AsyncIterator[Pcm]:
        n = round(self.duration_ms(text, voice) * self.sample_rate / 1000)
        audio = _tone(n, self.sample_rate)
        step = max(1, int(self.chunk_ms * self.sample_rate / 1000))
        await self.clock.sleep(self.first_chunk_delay_s)
        for i in range(0, n, step):
            chunk = audio[i : i + step]
            await self.clock.sleep(self.realtime_factor * len(chunk) / self.sample_rate)
            yield chunk


class FakeWriter:
    """Answers each request with the next of `replies` (the last one repeats), a few
    characters at a time. `stall`: never answers (a model too slow to wait for); `fail`:
    raises WriterError (a model that is down). `asked` keeps every request."""

    name = "fake-writer"

    def __init__(self, replies: Sequence[str] = ("",), *, stall: bool = False,
                 fail: bool = False) -> None:
        self.replies = tuple(replies)
        self.stall = stall
        self.fail = fail
        self.asked: list[WriteRequest] = []

    async def write(self, request: WriteRequest) -> AsyncIterator[str]:
        self.asked.append(request)
        if self.fail:
            raise WriterError("a fake failure")
        if self.stall:
            await asyncio.Event().wait()
        text = self.replies[min(len(self.asked), len(self.replies)) - 1]
        for i in range(0, len(text), 3):
            yield text[i:i + 3]
