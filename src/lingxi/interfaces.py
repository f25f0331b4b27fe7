"""The engine seams: VAD, streaming ASR, responder (text in → text stream out), streaming TTS."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Literal, Protocol

from lingxi.audio import Pcm
from lingxi.text import has_han


class VadStream(Protocol):
    """Per-call detector state (recurrent models keep state between frames)."""

    def probability(self, frame: Pcm) -> float: ...


class VoiceActivityDetector(Protocol):
    name: str
    sample_rate: int
    frame_samples: int

    def stream(self) -> VadStream: ...


_MAX_HOTWORDS = 12
_MAX_PREVIOUS_CHARS = 80  # the end of the previous turn is what the new one answers


@dataclass(frozen=True, slots=True)
class RecognitionContext:
    """What the conversation tells the recogniser before a word is heard (optional): a short
    prompt of likely words turns near-homophones ("林希" for "灵犀") into the intended word."""

    # Names, titles and words likely to be said (a few; more dilutes the prompt).
    hotwords: tuple[str, ...] = ()
    # The turn before this one (usually what Lingxi just said), in its own words.
    previous: str = ""

    def prompt(self) -> str:
        """The prompt text: the hotwords, then the end of the previous turn."""
        words = [w.strip() for w in self.hotwords if w.strip()][:_MAX_HOTWORDS]
        parts = []
        if words:
            parts.append(("、" if any(has_han(w) for w in words) else ", ").join(words) + "。")
        previous = self.previous.strip()[-_MAX_PREVIOUS_CHARS:]
        if previous:
            parts.append(previous)
        return " ".join(parts)


class RecognitionStream(Protocol):
    """One utterance being recognised while it is spoken."""

    def feed(self, pcm: Pcm) -> None: ...

    async def hypothesis(self) -> str:
        """Best transcript of what was fed so far (may be empty)."""
        ...

    async def finish(self) -> str:
        """Final transcript of everything fed."""
        ...


class SpeechRecognizer(Protocol):
    name: str
    sample_rate: int

    def stream(self, *, language: str | None, start_ms: float,
               context: RecognitionContext | None = None) -> RecognitionStream:
        """Open a stream; `start_ms` is where it begins in the call's input audio."""
        ...


@dataclass(frozen=True, slots=True)
class ChatMessage:
    role: Literal["system", "user", "assistant"]
    text: str


@dataclass(frozen=True, slots=True)
class ReplyRequest:
    instructions: str
    history: tuple[ChatMessage, ...]
    # Who is speaking (a persona id, see lingxi.personas) and in which language the caller
    # prefers to be answered ("zh", "en" or None for "follow the caller").
    persona: str = "companion"
    language: str | None = None
    # A short note of what is remembered about the caller (lingxi.memory); "" when nothing.
    memory_note: str = ""
    # Open threads from earlier calls, in the caller's words, newest first ("误机了",
    # "missed my flight"): what a friend would ask after ("上次你说误机了，后来怎么样？").
    open_threads: tuple[str, ...] = ()

    @property
    def last_user_text(self) -> str:
        for message in reversed(self.history):
            if message.role == "user":
                return message.text
        return ""


class Responder(Protocol):
    name: str

    def respond(self, request: ReplyRequest) -> AsyncIterator[str]:
        """Stream the reply's text; closing the iterator must stop the work behind it."""
        ...


@dataclass(frozen=True, slots=True)
class Voice:
    name: str = "default"
    speed: float = 1.0
    pitch: float = 0.0  # semitones up (+) or down (-)
    volume: float = 1.0  # linear gain
    style: Literal["normal", "whisper"] = "normal"


class SpeechSynthesizer(Protocol):
    name: str
    sample_rate: int

    def synthesize(self, text: str, voice: Voice) -> AsyncIterator[Pcm]: ...


@dataclass(frozen=True, slots=True)
class Engines:
    vad: VoiceActivityDetector
    asr: SpeechRecognizer
    responder: Responder
    tts: SpeechSynthesizer

    def names(self) -> dict[str, str]:
        return {"vad": self.vad.name, "asr": self.asr.name,
                "responder": self.responder.name, "tts": self.tts.name}

    @property
    def fakes(self) -> list[str]:
        return [kind for kind, name in self.names().items() if name.startswith("fake")]


@dataclass(frozen=True, slots=True)
class PhoneScore:
    """One phone of the target as the caller said it."""

    phone: str  # ARPAbet, no stress digit ("TH")
    score: int  # 0..100
    wrong: bool
    heard: str | None = None  # the likely substitute ("S"), "" when dropped, "K AH" when added
    start_ms: float = 0.0
    end_ms: float = 0.0


@dataclass(frozen=True, slots=True)
class WordScore:
    word: str
    score: int  # 0..100
    phones: tuple[PhoneScore, ...]  # empty when the word is not in the dictionary

    @property
    def wrong(self) -> tuple[PhoneScore, ...]:
        return tuple(p for p in self.phones if p.wrong)


@dataclass(frozen=True, slots=True)
class Assessment:
    """How well an attempt at `text` was pronounced, phone by phone."""

    text: str
    score: int  # 0..100
    words: tuple[WordScore, ...]
    heard_speech: bool = True  # False: the attempt held no speech to score

    @property
    def wrong(self) -> tuple[tuple[WordScore, PhoneScore], ...]:
        """Every phone judged wrong, in the order said."""
        return tuple((w, p) for w in self.words for p in w.wrong)


class PronunciationScorer(Protocol):
    """Scores an attempt at saying English `text` (blocking: run it off the event loop)."""

    name: str

    def knows(self, word: str) -> bool:
        """Whether `word` can be scored (it is in the pronouncing dictionary)."""
        ...

    def assess(self, pcm: Pcm, sample_rate: int, text: str) -> Assessment: ...
