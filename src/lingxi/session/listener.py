"""The listening side of a call: utterances, transcription, end of turn, barge-in, idle timeout."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from lingxi import metrics
from lingxi.audio import Pcm
from lingxi.interfaces import RecognitionStream
from lingxi.protocol import server_events as ev
from lingxi.protocol.client_events import ProtocolError
from lingxi.protocol.items import ContentPart, MessageItem
from lingxi.protocol.session import SemanticVad, ServerVad
from lingxi.session.conversation import Entry
from lingxi.session.turns import TurnEvent, semantic_silence_ms
from lingxi.turn import TurnAudio

if TYPE_CHECKING:
    from lingxi.session.call import Call

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


class Listener:
    def __init__(self, call: Call) -> None:
        self.call = call
        self.utterance: Utterance | None = None
        self._idle: asyncio.Task[None] | None = None
        self._queued_turn_end: float | None = None

    @property
    def _turn(self) -> ServerVad | SemanticVad | None:
        return self.call.session.audio.input.turn_detection

    def _language(self) -> str | None:
        transcription = self.call.session.audio.input.transcription
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
            if self.call.input.buffered_ms > keep + 1000:
                self.call.input.clear(keep_ms=keep)

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
                self.utterance.probes.append(self.call.spawn(self._probe(self.utterance)))
        elif event.kind == "speech_stopped" and self.utterance is not None:
            utterance = self.utterance
            self.call.outbox.control(ev.SpeechStopped(audio_end_ms=int(event.audio_ms),
                                                      item_id=utterance.item_id))
            self._commit(utterance, turn_end=self.call.clock.now())

    def _speech_started(self, onset_ms: float) -> None:
        self.cancel_idle_timer()
        turn = self._turn
        start_ms = max(self.call.input.buffer_start_ms, onset_ms - self._prefix_padding_ms())
        item_id = ev.new_id("item")
        stream = self.call.engines.asr.stream(language=self._language(), start_ms=start_ms)
        stream.feed(self.call.input.audio_since(start_ms))
        self.utterance = Utterance(item_id, start_ms, stream)
        self.call.outbox.control(ev.SpeechStarted(audio_start_ms=int(start_ms), item_id=item_id))
        if turn is not None and turn.interrupt_response:
            self.barge_in()

    def barge_in(self) -> None:
        """The person is speaking: stop the reply and forget what they did not hear."""
        if self.call.cancel_reply("turn_detected"):
            metrics.BARGE_INS_TOTAL.inc()
            return
        entry = self.call.conversation.last_assistant_audio()
        now = self.call.clock.now()
        if (entry is not None and entry.playback is not None and entry.heard_ms is None
                and entry.playback.playing(now)):
            self.call.outbox.control(self.call.conversation.truncate_to_heard(entry, now))
            metrics.BARGE_INS_TOTAL.inc()

    async def _probe(self, utterance: Utterance) -> None:
        """Semantic end of turn: how long to wait depends on what has been said so far."""
        try:
            text = await utterance.stream.hypothesis()
        except Exception as exc:  # the default silence rule still ends the turn
            log.warning("partial transcription failed: %s", type(exc).__name__)
            return
        if self.utterance is not utterance:
            return
        turn, detector = self._turn, self.call.input.detector
        if isinstance(turn, SemanticVad) and detector is not None and detector.speaking:
            detector.required_silence_ms = semantic_silence_ms(text, turn.eagerness)
        if text and text != utterance.partial:
            delta = text[len(utterance.partial):] if text.startswith(utterance.partial) else text
            utterance.partial = text
            self.call.outbox.control(ev.TranscriptionDelta(item_id=utterance.item_id,
                                                           delta=delta))

    # -- commit ---------------------------------------------------------------------------

    def commit_manual(self) -> None:
        if self.utterance is not None:
            self._commit(self.utterance, turn_end=self.call.clock.now())
            if self.call.input.detector is not None:
                self.call.input.detector.reset()
            return
        audio_in = self.call.input
        if audio_in.buffered_ms < _MIN_COMMIT_MS:
            raise ProtocolError(
                "input_audio_buffer_commit_empty",
                f"The buffer holds {audio_in.buffered_ms:.0f} ms of audio; at least "
                f"{_MIN_COMMIT_MS:.0f} ms is needed to commit.")
        start = audio_in.buffer_start_ms
        stream = self.call.engines.asr.stream(language=self._language(), start_ms=start)
        stream.feed(audio_in.audio_since(start))
        self._commit(Utterance(ev.new_id("item"), start, stream), turn_end=None)

    def _commit(self, utterance: Utterance, *, turn_end: float | None) -> None:
        call = self.call
        self.utterance = None
        for probe in utterance.probes:
            probe.cancel()
        audio = self._turn_audio(utterance)
        call.input.clear()
        previous = call.conversation.last_id()
        item = MessageItem(id=utterance.item_id, role="user", status="completed",
                           content=[ContentPart(type="input_audio", transcript=None)])
        entry = call.conversation.add(item)
        call.conversation.keep_audio(entry, audio)
        entry.transcript = asyncio.get_running_loop().create_future()
        call.outbox.control(ev.BufferCommitted(item_id=utterance.item_id,
                                               previous_item_id=previous))
        call.outbox.control(ev.ItemAdded(item=item.model_copy(deep=True),
                                         previous_item_id=previous))
        metrics.TURNS_TOTAL.inc()
        call.spawn(self._transcribe(utterance, entry))
        turn = self._turn
        if turn is None or not turn.create_response or turn_end is None:
            return
        if call.reply is None or not call.reply.handle.live:
            call.start_reply(turn_end=turn_end)
        else:
            # interrupt_response is off and a reply is still speaking: answer after it.
            self._queued_turn_end = turn_end

    def _turn_audio(self, utterance: Utterance) -> TurnAudio:
        audio_in = self.call.input
        end_ms = audio_in.position_ms
        start_ms = max(utterance.start_ms, end_ms - _KEPT_AUDIO_MS, audio_in.buffer_start_ms)
        return TurnAudio(audio_in.audio_since(start_ms), audio_in.asr_rate, start_ms, end_ms)

    def reply_finished(self) -> None:
        queued, self._queued_turn_end = self._queued_turn_end, None
        if queued is not None and self.utterance is None:
            self.call.start_reply(turn_end=queued)

    def force_end_of_turn(self) -> None:
        """The buffer is full: end the turn in progress (or drop old audio between turns)."""
        if self.utterance is not None:
            self._commit(self.utterance, turn_end=self.call.clock.now())
            if self.call.input.detector is not None:
                self.call.input.detector.reset()
        else:
            self.call.input.clear(keep_ms=1000)

    def reconfigured(self) -> None:
        """Turn detection or the input format is about to change: finish what was heard."""
        self.cancel_idle_timer()
        self._queued_turn_end = None
        if self.utterance is not None:
            self._commit(self.utterance, turn_end=None)

    async def _transcribe(self, utterance: Utterance, entry: Entry) -> None:
        assert entry.transcript is not None and entry.item.id is not None
        outbox = self.call.outbox
        started = self.call.clock.now()
        try:
            text = await utterance.stream.finish()
        except Exception as exc:
            log.warning("transcription failed: %s", type(exc).__name__)
            outbox.control(ev.TranscriptionFailed(item_id=entry.item.id, error=ev.ErrorDetail(
                type="server_error", code="transcription_failed",
                message="Speech recognition failed for this turn.")))
            if not entry.transcript.done():
                entry.transcript.set_result("")
            return
        entry.item.content[0].transcript = text
        self.call.safety.observe(text)  # before the reply can read the transcript
        self.call.memory.user_turn(entry.item.id, text, self.call.safety.level)
        if text.startswith(utterance.partial) and len(text) > len(utterance.partial):
            outbox.control(ev.TranscriptionDelta(item_id=entry.item.id,
                                                 delta=text[len(utterance.partial):]))
        seconds = self.call.clock.now() - started
        outbox.control(ev.TranscriptionCompleted(
            item_id=entry.item.id, transcript=text,
            usage=ev.TranscriptionUsage(seconds=round(seconds, 3))))
        conversation = self.call.conversation
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
        if self.call.input.detector is not None:
            self.call.input.detector.reset()
        self.call.input.clear()

    # -- idle -----------------------------------------------------------------------------

    def arm_idle_timer(self, entry: Entry) -> None:
        turn = self._turn
        if not isinstance(turn, ServerVad) or turn.idle_timeout_ms is None:
            return
        if entry.playback is None or entry.playback.ends_at() is None:
            return
        self.cancel_idle_timer()
        deadline = (entry.playback.ends_at() or 0.0) + turn.idle_timeout_ms / 1000
        self._idle = self.call.spawn(self._idle_after(deadline, turn.idle_timeout_ms))

    def cancel_idle_timer(self) -> None:
        if self._idle is not None and asyncio.current_task() is not self._idle:
            self._idle.cancel()
        self._idle = None

    async def _idle_after(self, deadline: float, timeout_ms: int) -> None:
        await self.call.clock.sleep_until(deadline)
        self._idle = None
        if self.utterance is not None or (self.call.reply and self.call.reply.handle.live):
            return
        call = self.call
        end = call.input.position_ms
        item_id = ev.new_id("item")
        call.outbox.control(ev.TimeoutTriggered(
            audio_start_ms=int(max(call.input.buffer_start_ms, end - timeout_ms)),
            audio_end_ms=int(end), item_id=item_id))
        # As the hosted API does: the silence becomes an (empty) user turn, then a reply.
        previous = call.conversation.last_id()
        item = MessageItem(id=item_id, role="user", status="completed",
                           content=[ContentPart(type="input_audio", transcript="")])
        call.conversation.add(item)
        call.input.clear()
        call.outbox.control(ev.BufferCommitted(item_id=item_id, previous_item_id=previous))
        call.outbox.control(ev.ItemAdded(item=item.model_copy(deep=True),
                                         previous_item_id=previous))
        call.outbox.control(ev.ItemDone(item=item.model_copy(deep=True),
                                        previous_item_id=previous))
        call.start_reply(turn_end=call.clock.now())
