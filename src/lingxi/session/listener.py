"""The listening side of a call: utterances, transcription, end of turn, barge-in, idle timeout."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any, Protocol

from lingxi import metrics
from lingxi.audio import Pcm
from lingxi.clock import Clock
from lingxi.interfaces import RecognitionContext, RecognitionStream, SpeechRecognizer
from lingxi.offload import inline
from lingxi.protocol import server_events as ev
from lingxi.protocol.client_events import ProtocolError
from lingxi.protocol.items import ContentPart, MessageItem
from lingxi.protocol.session import SemanticVad, ServerVad, SessionConfig
from lingxi.session.conversation import Conversation, Entry
from lingxi.session.eot_head import FinishedReading
from lingxi.session.input import InputAudio
from lingxi.session.outbox import Outbox
from lingxi.session.turns import TurnEvent, left_open, semantic_silence_ms
from lingxi.turn import TurnAudio

log = logging.getLogger(__name__)
_MIN_COMMIT_MS = 100.0
_SEMANTIC_PADDING_MS = 300.0  # semantic_vad has no prefix_padding_ms of its own
_KEPT_AUDIO_MS = 30_000.0  # the most of a turn's audio the skills are given


@dataclass(eq=False)
class Utterance:
    item_id: str
    start_ms: float
    stream: RecognitionStream
    partial: str = ""
    probes: list[asyncio.Task[None]] = field(default_factory=list)
    pauses: int = 0  # pauses so far: a probe decides only the pause it was asked at


class CallSide(Protocol):
    """What the listener tells the call, and the one thing it asks of it."""

    def barge_in(self) -> None:
        """The person started speaking over Lingxi (interrupt_response is on)."""

    def turn_committed(self, turn_end: float) -> None:
        """A user turn ended and wants a reply (create_response is on)."""

    def heard(self, item_id: str, audio: TurnAudio) -> None:
        """A user turn's audio is complete (its transcript is still to come)."""

    def transcribed(self, entry: Entry, text: str) -> None:
        """A user turn's final transcript, before any reply can read it."""

    def replying(self) -> bool:
        """Whether a reply is live."""

    def paused_with(self, words: str) -> None:
        """The person paused mid-turn having said `words` so far (the turn may go on)."""


@dataclass(frozen=True, slots=True)
class Ears:
    """What the listener works with; the session and the input are read when needed
    because a session.update replaces both."""

    session: Callable[[], SessionConfig]
    audio_in: Callable[[], InputAudio]
    asr: SpeechRecognizer
    outbox: Outbox
    conversation: Conversation
    clock: Clock
    spawn: Callable[[Coroutine[Any, Any, Any]], asyncio.Task[Any]]
    context: Callable[[], RecognitionContext | None] = lambda: None  # words likely to be said
    # semantic_vad's learned reading of words its rules leave open (eot_head.py; None: the
    # rules alone), and where blocking work runs (a worker thread in the server)
    reader: FinishedReading | None = None
    offload: Callable[[Callable[[], Any]], Awaitable[Any]] = inline


class Listener:
    def __init__(self, ears: Ears, call: CallSide) -> None:
        self.ears = ears
        self.call = call
        self.utterance: Utterance | None = None
        self._idle: asyncio.Task[None] | None = None

    @property
    def _turn(self) -> ServerVad | SemanticVad | None:
        return self.ears.session().audio.input.turn_detection

    @property
    def _input(self) -> InputAudio:
        return self.ears.audio_in()

    def _language(self) -> str | None:
        transcription = self.ears.session().audio.input.transcription
        return transcription.language if transcription else None

    # -- audio ----------------------------------------------------------------------------

    def on_audio(self, pcm: Pcm, events: list[TurnEvent]) -> None:
        if self.utterance is not None:
            self.utterance.stream.feed(pcm)
        for event in events:
            self._on_turn_event(event)
        if self._turn is not None and self.utterance is None:
            # Between turns keep only what the next turn's prefix padding may need.
            keep = self._prefix_padding_ms()
            if self._input.buffered_ms > keep + 1000:
                self._input.clear(keep_ms=keep)

    def _prefix_padding_ms(self) -> float:
        turn = self._turn
        return turn.prefix_padding_ms if isinstance(turn, ServerVad) else _SEMANTIC_PADDING_MS

    def _on_turn_event(self, event: TurnEvent) -> None:
        if event.kind == "speech_started":
            self._speech_started(event.audio_ms)
        elif event.kind == "paused":
            # A pause is when a partial transcript is worth having (and lets a streaming
            # recogniser decode ahead of the end of the turn).
            if self.utterance is not None:
                self.utterance.pauses += 1
                self.utterance.probes.append(self.ears.spawn(
                    self._probe(self.utterance, self.utterance.pauses)))
        elif event.kind == "speech_stopped" and self.utterance is not None:
            utterance = self.utterance
            self.ears.outbox.control(ev.SpeechStopped(audio_end_ms=int(event.audio_ms),
                                                      item_id=utterance.item_id))
            self._commit(utterance, turn_end=self.ears.clock.now())

    def _speech_started(self, onset_ms: float) -> None:
        self.cancel_idle_timer()
        turn = self._turn
        start_ms = max(self._input.buffer_start_ms, onset_ms - self._prefix_padding_ms())
        item_id = ev.new_id("item")
        stream = self.ears.asr.stream(language=self._language(), start_ms=start_ms,
                                      context=self.ears.context())
        stream.feed(self._input.audio_since(start_ms))
        self.utterance = Utterance(item_id, start_ms, stream)
        self.ears.outbox.control(ev.SpeechStarted(audio_start_ms=int(start_ms), item_id=item_id))
        if turn is not None and turn.interrupt_response:
            self.call.barge_in()

    async def _probe(self, utterance: Utterance, pause: int) -> None:
        """Semantic end of turn: how long to wait depends on what has been said so far."""
        try:
            text = await utterance.stream.hypothesis()
        except Exception as exc:  # the default silence rule still ends the turn
            log.warning("partial transcription failed: %s", type(exc).__name__)
            return
        if self.utterance is not utterance:
            return
        options = self.ears.session().lingxi
        # Deltas only ever append (a revised guess waits for the final transcript), and a
        # stock client gets them only once the item exists, as from the service; the page
        # (lingxi events) shows them live, while the person is still talking.
        if options is not None and options.events and text.startswith(utterance.partial) \
                and len(text) > len(utterance.partial):
            delta, utterance.partial = text[len(utterance.partial):], text
            self.ears.outbox.control(ev.TranscriptionDelta(item_id=utterance.item_id,
                                                           delta=delta))
        finished = None
        if isinstance(self._turn, SemanticVad) and pause == utterance.pauses and left_open(text):
            finished = await self._reading(text)  # off the loop, within the wait
        # Words heard before a later pause say nothing about that pause.
        if pause != utterance.pauses or self.utterance is not utterance:
            return
        turn, detector = self._turn, self._input.detector
        self.call.paused_with(text)
        if isinstance(turn, SemanticVad) and detector is not None:
            ended = detector.require_silence(semantic_silence_ms(text, turn.eagerness, finished))
            if ended is not None:
                self._on_turn_event(ended)

    async def _reading(self, text: str) -> float | None:
        """P(finished) of the words, read off the loop; None without a reader or when it
        fails (the rules alone then decide)."""
        reader = self.ears.reader
        if reader is None:
            return None
        try:
            return float(await self.ears.offload(lambda: reader.finished(text)))
        except Exception as exc:
            log.warning("end-of-turn reading failed: %s", type(exc).__name__)
            return None

    # -- commit ---------------------------------------------------------------------------

    def commit_manual(self) -> None:
        if self.utterance is not None:
            self._commit(self.utterance, turn_end=self.ears.clock.now())
            if self._input.detector is not None:
                self._input.detector.reset()
            return
        audio_in = self._input
        if audio_in.buffered_ms < _MIN_COMMIT_MS:
            raise ProtocolError(
                "input_audio_buffer_commit_empty",
                f"The buffer holds {audio_in.buffered_ms:.0f} ms of audio; at least "
                f"{_MIN_COMMIT_MS:.0f} ms is needed to commit.")
        start = audio_in.buffer_start_ms
        stream = self.ears.asr.stream(language=self._language(), start_ms=start,
                                      context=self.ears.context())
        stream.feed(audio_in.audio_since(start))
        self._commit(Utterance(ev.new_id("item"), start, stream), turn_end=None)

    def _commit(self, utterance: Utterance, *, turn_end: float | None) -> None:
        ears = self.ears
        self.utterance = None
        for probe in utterance.probes:
            probe.cancel()
        audio = self._turn_audio(utterance)
        self._input.clear()
        previous = ears.conversation.last_id()
        item = MessageItem(id=utterance.item_id, role="user", status="completed",
                           content=[ContentPart(type="input_audio", transcript=None)])
        entry = ears.conversation.add(item)
        ears.conversation.keep_audio(entry, audio)
        self.call.heard(utterance.item_id, audio)
        entry.transcript = asyncio.get_running_loop().create_future()
        ears.outbox.control(ev.BufferCommitted(item_id=utterance.item_id,
                                               previous_item_id=previous))
        ears.outbox.control(ev.ItemAdded(item=item.model_copy(deep=True),
                                         previous_item_id=previous))
        metrics.TURNS_TOTAL.inc()
        ears.spawn(self._transcribe(utterance, entry))
        turn = self._turn
        if turn is not None and turn.create_response and turn_end is not None and \
                ears.session().answers:
            self.call.turn_committed(turn_end)

    def _turn_audio(self, utterance: Utterance) -> TurnAudio:
        audio_in = self._input
        end_ms = audio_in.position_ms
        start_ms = max(utterance.start_ms, end_ms - _KEPT_AUDIO_MS, audio_in.buffer_start_ms)
        return TurnAudio(audio_in.audio_since(start_ms), audio_in.asr_rate, start_ms, end_ms)

    def force_end_of_turn(self) -> None:
        """The buffer is full: end the turn in progress (or drop old audio between turns)."""
        if self.utterance is not None:
            self._commit(self.utterance, turn_end=self.ears.clock.now())
            if self._input.detector is not None:
                self._input.detector.reset()
        else:
            self._input.clear(keep_ms=1000)

    def reconfigured(self) -> None:
        """Turn detection or the input format is about to change: finish what was heard."""
        self.cancel_idle_timer()
        if self.utterance is not None:
            self._commit(self.utterance, turn_end=None)

    async def _transcribe(self, utterance: Utterance, entry: Entry) -> None:
        assert entry.transcript is not None and entry.item.id is not None
        outbox = self.ears.outbox
        started = self.ears.clock.now()
        try:
            text = await utterance.stream.finish()
        except Exception as exc:
            metrics.engine_failed("recognition")
            log.warning("transcription failed: %s", type(exc).__name__)
            outbox.control(ev.TranscriptionFailed(item_id=entry.item.id, error=ev.ErrorDetail(
                type="server_error", code="transcription_failed",
                message="Speech recognition failed for this turn.")))
            if not entry.transcript.done():
                entry.transcript.set_result("")
            return
        entry.message.content[0].transcript = text
        self.call.transcribed(entry, text)  # before the reply can read the transcript
        if text.startswith(utterance.partial) and len(text) > len(utterance.partial):
            outbox.control(ev.TranscriptionDelta(item_id=entry.item.id,
                                                 delta=text[len(utterance.partial):]))
        seconds = self.ears.clock.now() - started
        outbox.control(ev.TranscriptionCompleted(
            item_id=entry.item.id, transcript=text,
            usage=ev.TranscriptionUsage(seconds=round(seconds, 3))))
        conversation = self.ears.conversation
        previous = (conversation.previous_id(entry.item.id) if entry.item.id in conversation
                    else None)
        outbox.control(ev.ItemDone(item=entry.item.model_copy(deep=True),
                                   previous_item_id=previous))
        if not entry.transcript.done():
            entry.transcript.set_result(text)

    def clear(self) -> None:
        if self.utterance is not None:
            for probe in self.utterance.probes:
                probe.cancel()
            self.utterance = None
        if self._input.detector is not None:
            self._input.detector.reset()
        self._input.clear()

    # -- idle -----------------------------------------------------------------------------

    def arm_idle_timer(self, entry: Entry) -> None:
        turn = self._turn
        if not isinstance(turn, ServerVad) or turn.idle_timeout_ms is None:
            return
        if entry.playback is None or entry.playback.ends_at() is None:
            return
        self.cancel_idle_timer()
        deadline = (entry.playback.ends_at() or 0.0) + turn.idle_timeout_ms / 1000
        self._idle = self.ears.spawn(self._idle_after(deadline, turn.idle_timeout_ms))

    def cancel_idle_timer(self) -> None:
        if self._idle is not None and asyncio.current_task() is not self._idle:
            self._idle.cancel()
        self._idle = None

    async def _idle_after(self, deadline: float, timeout_ms: int) -> None:
        await self.ears.clock.sleep_until(deadline)
        self._idle = None
        if self.utterance is not None or self.call.replying():
            return
        ears, audio_in = self.ears, self._input
        end = audio_in.position_ms
        item_id = ev.new_id("item")
        ears.outbox.control(ev.TimeoutTriggered(
            audio_start_ms=int(max(audio_in.buffer_start_ms, end - timeout_ms)),
            audio_end_ms=int(end), item_id=item_id))
        # As the hosted API does: the silence becomes an (empty) user turn, then a reply.
        previous = ears.conversation.last_id()
        item = MessageItem(id=item_id, role="user", status="completed",
                           content=[ContentPart(type="input_audio", transcript="")])
        ears.conversation.add(item)
        audio_in.clear()
        ears.outbox.control(ev.BufferCommitted(item_id=item_id, previous_item_id=previous))
        ears.outbox.control(ev.ItemAdded(item=item.model_copy(deep=True),
                                         previous_item_id=previous))
        ears.outbox.control(ev.ItemDone(item=item.model_copy(deep=True),
                                        previous_item_id=previous))
        self.call.turn_committed(ears.clock.now())
