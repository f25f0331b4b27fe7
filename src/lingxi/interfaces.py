"""The engine seams: VAD, streaming ASR, responder (text in → text stream out), streaming TTS."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal, Protocol, runtime_checkable

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


@runtime_checkable
class BatchVad(Protocol):
    """A detector that hears one frame of each of many calls in one run of its model (a
    batch): much cheaper per frame than one at a time when many calls stream at once."""

    def probabilities(self, streams: Sequence[VadStream], frames: Sequence[Pcm]) -> list[float]:
        """Each stream's next frame, in order; each stream's state moves on as if alone."""
        ...


_MAX_HOTWORDS = 12
_MAX_PREVIOUS_CHARS = 80  # the end of the previous turn is what the new one answers
_MAX_GIVEN_CHARS = 200  # Whisper's prompt is at most half its 448-token window


@dataclass(frozen=True, slots=True)
class RecognitionContext:
    """What the conversation tells the recogniser before a word is heard (optional): a short
    prompt of likely words turns near-homophones ("林希" for "灵犀") into the intended word."""

    # Names, titles and words likely to be said (a few; more dilutes the prompt).
    hotwords: tuple[str, ...] = ()
    # The turn before this one (usually what Lingxi just said), in its own words.
    previous: str = ""
    # The client's own prompt (a session's `audio.input.transcription.prompt`).
    given: str = ""

    def prompt(self) -> str:
        """The prompt text: the client's prompt, the hotwords, then the end of the previous
        turn."""
        words = [w.strip() for w in self.hotwords if w.strip()][:_MAX_HOTWORDS]
        parts = [self.given.strip()[:_MAX_GIVEN_CHARS]] if self.given.strip() else []
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
    role: Literal["system", "user", "assistant", "tool"]
    text: str
    # An assistant message may call tools; a "tool" message is one call's output.
    tool_calls: tuple[ToolCall, ...] = ()
    tool_call_id: str | None = None
    images: tuple[str, ...] = ()  # a user message's images (data: or https: URLs)


@dataclass(frozen=True, slots=True)
class ToolCall:
    """A function the model asked the client to run; `arguments` is JSON text as written."""

    call_id: str
    name: str
    arguments: str


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
    # The client's functions the model may call (Realtime `tools`, `{"type": "function",
    # "name", "description", "parameters"}`) and how it must choose ("auto", "none",
    # "required" or one function by name).
    tools: tuple[dict[str, Any], ...] = ()
    tool_choice: str | dict[str, Any] = "auto"
    # The client's limits for this reply: tokens to write, and sampling temperature.
    max_tokens: int | None = None
    temperature: float | None = None
    # How the caller sounds this turn, for the brain ("声音低沉、语速慢，听起来很累"); "".
    affect_note: str = ""

    @property
    def last_user_text(self) -> str:
        for message in reversed(self.history):
            if message.role == "user":
                return message.text
        return ""


# How the caller feels (the affect engine's labels) and how Lingxi may speak a clause.
Feeling = Literal["neutral", "happy", "sad", "angry", "anxious", "tired"]
Style = Literal["normal", "whisper", "warm", "happy", "sad", "calm", "serious", "playful"]
# The styles that say Lingxi is having fun: never for a caller at risk.
LIGHT_STYLES: frozenset[Style] = frozenset({"happy", "playful"})


@dataclass(frozen=True, slots=True)
class Affect:
    """How the caller sounds this turn: valence and arousal in [-1, 1], a label, whether they
    whisper, and what was heard to say so (cue codes such as "pitch_low", "slow", "soft")."""

    label: Feeling = "neutral"
    valence: float = 0.0
    arousal: float = 0.0
    whispering: bool = False
    cues: tuple[str, ...] = ()
    from_voice: bool = False  # the voice was heard (not only the words read)


class AffectReader(Protocol):
    """One call's ear for feeling (see lingxi.engines.affect): it compares each turn's voice
    with the caller's own earlier turns, so a call gets a reader of its own."""

    def listen(self, pcm: Pcm, sample_rate: int) -> Callable[[str], Affect]:
        """Blocking (run it in a worker): hear the turn's voice. The result judges it with the
        turn's words once they are known; call it in turn order."""
        ...

    def read(self, text: str) -> Affect:
        """The words alone (a typed turn, or a voice that could not be heard in time)."""
        ...


class Responder(Protocol):
    name: str

    def respond(self, request: ReplyRequest) -> AsyncIterator[str | ToolCall]:
        """Stream the reply's text (and the tool calls of a model that makes them); closing
        the iterator must stop the work behind it."""
        ...


class WriterError(Exception):
    """The language model could not write (down, refused, broke off): the skill falls back."""


@dataclass(frozen=True, slots=True)
class WriteRequest:
    """Text a skill needs written (parody lyrics, a made-up story): the task's own
    conversation, not the call's history."""

    messages: tuple[ChatMessage, ...]
    max_tokens: int
    temperature: float = 0.7
    spoken: bool = False  # to be said aloud: markdown, lists and emoji are taken out


class Writer(Protocol):
    """A language model writing for a skill; closing the stream stops the model."""

    name: str

    def write(self, request: WriteRequest) -> AsyncIterator[str]:
        """The text as it is written; raises WriterError when the model cannot write."""
        ...


def sees_images(responder: Responder) -> bool:
    """Whether a responder is given a message's images (a vision model by URL)."""
    return bool(getattr(responder, "supports_images", False))


def prime(responder: Responder, request: ReplyRequest) -> None:
    """Let the responder start reading a request that will probably come soon (the caller
    paused mid-turn); one that cannot does nothing. Nothing is said."""
    start = getattr(responder, "prime", None)
    if start is not None:
        start(request)


def calls_tools(responder: Responder) -> bool:
    """Whether a responder can call the client's tools (a language model that supports
    them); the offline companion cannot."""
    return bool(getattr(responder, "supports_tools", False))


@dataclass(frozen=True, slots=True)
class Voice:
    name: str = "default"
    speed: float = 1.0
    pitch: float = 0.0  # semitones up (+) or down (-)
    volume: float = 1.0  # linear gain
    style: Literal["normal", "whisper"] = "normal"
    pitch_range: float = 1.0  # the pitch contour's spread around its median (1: as synthesised)
    pause: float = 1.0  # the silence after each clause, times this


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
