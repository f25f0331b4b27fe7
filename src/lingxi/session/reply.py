"""One reply: responder text → clauses → speech, paced to playback, cancellable at any await."""

from __future__ import annotations

import asyncio
import base64
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import numpy as np

from lingxi import metrics
from lingxi.audio import Pcm, StreamResampler, WireFormat
from lingxi.clock import Clock
from lingxi.engines.base import Engines, ReplyRequest, Voice
from lingxi.protocol import server_events as ev
from lingxi.protocol.items import ContentPart, MessageItem
from lingxi.protocol.session import SessionConfig, wire_format
from lingxi.session.clauses import ClauseSplitter
from lingxi.session.conversation import Conversation, Entry, Spoken
from lingxi.session.handle import ResponseHandle, Status
from lingxi.session.outbox import Outbox
from lingxi.session.playback import PlaybackEstimate

log = logging.getLogger(__name__)
_FALLBACK_MS_PER_CHAR = 150.0


@dataclass(frozen=True, slots=True)
class ReplySettings:
    chunk_ms: float = 100.0
    lead_s: float = 0.4


@dataclass(slots=True)
class Timings:
    """Where the time of one reply went, in clock seconds."""

    start: float
    engine_s: float = 0.0
    first_audio_at: float | None = None
    marks: dict[str, float] = field(default_factory=dict)

    def as_ms(self, turn_end: float | None) -> dict[str, float]:
        out = {k: round(v * 1000, 3) for k, v in self.marks.items()}
        if self.first_audio_at is not None:
            origin = turn_end if turn_end is not None else self.start
            total = self.first_audio_at - origin
            out["first_audio_ms"] = round(total * 1000, 3)
            out["engine_ms"] = round(self.engine_s * 1000, 3)
            out["server_overhead_ms"] = round(max(0.0, total - self.engine_s) * 1000, 3)
        return out


class Reply:
    def __init__(
        self, *, handle: ResponseHandle, session: SessionConfig, engines: Engines, clock: Clock,
        outbox: Outbox, conversation: Conversation, settings: ReplySettings,
        turn_end: float | None = None,
    ) -> None:
        self.handle = handle
        self.session = session
        self.engines = engines
        self.clock = clock
        self.outbox = outbox
        self.conversation = conversation
        self.settings = settings
        self.turn_end = turn_end
        self.entry: Entry | None = None
        self.timings = Timings(start=clock.now())
        self._wire: WireFormat = wire_format(session.audio.output.format)
        self._carry: Pcm = np.zeros(0, dtype=np.int16)
        self.started = False
        self.client_truncated = False

    @property
    def audio(self) -> bool:
        return "audio" in self.handle.modalities

    async def run(self) -> None:
        self.started = True
        try:
            request = await self._request()
            self._open()
            if self.audio:
                await self._speak(request)
            else:
                await self._write(request)
            self._close_completed()
            await self.outbox.data_flushed()
            self.handle.finish("completed")
        except asyncio.CancelledError:
            if self.handle.cancelled:
                self.close_cancelled()
            raise
        except Exception as exc:
            log.exception("reply %s failed", self.handle.id)
            self.handle.finish("failed", "error")
            self._close_failed(exc)
        finally:
            metrics.RESPONSES_TOTAL.labels(self.handle.status).inc()

    # -- stages -------------------------------------------------------------------------

    async def _request(self) -> ReplyRequest:
        pending = self.conversation.pending_transcripts()
        if pending:
            t = self.clock.now()
            await asyncio.gather(*pending, return_exceptions=True)
            self._engine("asr_wait_ms", self.clock.now() - t)
        instructions = self.handle.instructions
        if instructions is None:
            instructions = self.session.instructions
        return ReplyRequest(instructions, self.conversation.history())

    async def _speak(self, request: ReplyRequest) -> None:
        clauses: asyncio.Queue[str | None] = asyncio.Queue()
        async with asyncio.TaskGroup() as tg:
            tg.create_task(self._compose(request, clauses))
            await self._voice(clauses)

    async def _compose(self, request: ReplyRequest, clauses: asyncio.Queue[str | None]) -> None:
        splitter = ClauseSplitter()
        async for token in self._timed_tokens(request):
            for clause in splitter.push(token):
                clauses.put_nowait(clause)
        rest = splitter.flush()
        if rest:
            clauses.put_nowait(rest)
        clauses.put_nowait(None)

    async def _timed_tokens(self, request: ReplyRequest) -> AsyncIterator[str]:
        stream = self.engines.responder.respond(request)
        t = self.clock.now()
        try:
            async for token in stream:
                if "responder_first_token_ms" not in self.timings.marks:
                    # A mark only: the wait is counted once, by whoever waits on it.
                    self.timings.marks["responder_first_token_ms"] = self.clock.now() - t
                yield token
        finally:
            await stream.aclose()  # type: ignore[attr-defined]

    async def _voice(self, clauses: asyncio.Queue[str | None]) -> None:
        assert self.entry is not None and self.entry.playback is not None
        voice = Voice(self.session.audio.output.voice, self.session.audio.output.speed)
        resampler = StreamResampler(self.engines.tts.sample_rate, self._wire.sample_rate)
        while True:
            t = self.clock.now()
            clause = await clauses.get()
            if self.timings.first_audio_at is None:
                waited = self.clock.now() - t  # on the responder, for a whole clause
                self.timings.marks["responder_first_clause_ms"] = (
                    self.timings.marks.get("responder_first_clause_ms", 0.0) + waited)
                self.timings.engine_s += waited
            if clause is None:
                break
            await self._voice_clause(clause, voice, resampler)
        await self._send_pcm(resampler.process(np.zeros(0, np.int16), last=True), final=True)

    async def _voice_clause(self, clause: str, voice: Voice, resampler: StreamResampler) -> None:
        assert self.entry is not None
        spoken = Spoken(clause, self._produced_ms(), self._produced_ms())
        spoken.end_ms = spoken.start_ms + len(clause) * self._ms_per_char()
        self.entry.spoken.append(spoken)
        self._data(ev.AudioTranscriptDelta(response_id=self.handle.id, item_id=self._item_id,
                                           delta=clause))
        t = self.clock.now()
        first = True
        async for pcm in self.engines.tts.synthesize(clause, voice):
            if first and self.timings.first_audio_at is None:
                self._engine("tts_first_chunk_ms", self.clock.now() - t)
            first = False
            await self._send_pcm(resampler.process(pcm))
        spoken.end_ms = self._produced_ms()

    async def _send_pcm(self, pcm: Pcm, *, final: bool = False) -> None:
        assert self.entry is not None and self.entry.playback is not None
        playback = self.entry.playback
        samples = int(self.settings.chunk_ms * self._wire.sample_rate / 1000)
        self._carry = np.concatenate([self._carry, pcm]) if len(pcm) else self._carry
        while len(self._carry) >= samples or (final and len(self._carry)):
            chunk, self._carry = self._carry[:samples], self._carry[samples:]
            deadline = playback.send_deadline()
            if deadline is not None and deadline > self.clock.now():
                await self.clock.sleep_until(deadline)
                # Only a real wait measures the loop; a past deadline means the engines ran
                # behind real time, which the playback estimate accounts for as an underrun.
                metrics.AUDIO_SEND_LATE.observe(self.clock.now() - deadline)
            payload = base64.b64encode(self._wire.encode(chunk)).decode("ascii")
            self._data(ev.AudioDelta(response_id=self.handle.id, item_id=self._item_id,
                                     delta=payload))
            now = self.clock.now()
            playback.on_sent(now, 1000.0 * len(chunk) / self._wire.sample_rate)
            if self.timings.first_audio_at is None:
                self.timings.first_audio_at = now

    async def _write(self, request: ReplyRequest) -> None:
        assert self.entry is not None
        part = self.entry.item.content[0]
        part.text = ""
        t = self.clock.now()
        async for token in self._timed_tokens(request):
            if self.timings.first_audio_at is None:
                self.timings.first_audio_at = self.clock.now()
                self.timings.engine_s += self.timings.first_audio_at - t
            part.text += token
            self._data(ev.TextDelta(response_id=self.handle.id, item_id=self._item_id,
                                    delta=token))

    # -- events ---------------------------------------------------------------------------

    @property
    def _item_id(self) -> str:
        return self.handle.item_id

    def _data(self, event: ev.ServerEvent) -> None:
        self.outbox.data(event, self.handle)

    def _engine(self, mark: str, seconds: float) -> None:
        self.timings.marks[mark] = seconds
        self.timings.engine_s += seconds

    def _produced_ms(self) -> float:
        assert self.entry is not None and self.entry.playback is not None
        return self.entry.playback.sent_ms + 1000.0 * len(self._carry) / self._wire.sample_rate

    def _ms_per_char(self) -> float:
        assert self.entry is not None
        done = [s for s in self.entry.spoken if s.end_ms > s.start_ms]
        chars = sum(len(s.text) for s in done)
        return sum(s.end_ms - s.start_ms for s in done) / chars if chars else _FALLBACK_MS_PER_CHAR

    def _open(self) -> None:
        kind = "output_audio" if self.audio else "output_text"
        item = MessageItem(id=self._item_id, role="assistant", status="in_progress",
                           content=[ContentPart(type=kind, transcript="" if self.audio else None,
                                                text=None if self.audio else "")])
        previous = self.conversation.last_id()
        self.entry = self.conversation.add(item)
        if self.audio:
            self.entry.playback = PlaybackEstimate(lead_s=self.settings.lead_s)
        rid = self.handle.id
        self.outbox.control(ev.OutputItemAdded(response_id=rid, item=item.model_copy(deep=True)))
        self.outbox.control(ev.ItemAdded(item=item.model_copy(deep=True),
                                         previous_item_id=previous))
        part = ev.Part(type="audio", transcript="") if self.audio else ev.Part(type="text", text="")
        self.outbox.control(ev.ContentPartAdded(response_id=rid, item_id=self._item_id, part=part))

    def _final_part(self) -> ev.Part:
        assert self.entry is not None
        content = self.entry.item.content[0]
        if self.audio:
            return ev.Part(type="audio", transcript=content.transcript or "")
        return ev.Part(type="text", text=content.text or "")

    def _close_completed(self) -> None:
        assert self.entry is not None
        rid, iid = self.handle.id, self._item_id
        content = self.entry.item.content[0]
        if self.audio:
            content.transcript = self.entry.full_transcript()
            self._data(ev.AudioDone(response_id=rid, item_id=iid))
            self._data(ev.AudioTranscriptDone(response_id=rid, item_id=iid,
                                              transcript=content.transcript))
        else:
            self._data(ev.TextDone(response_id=rid, item_id=iid, text=content.text or ""))
        self.entry.item.status = "completed"
        for event in self._item_closing_events():
            self._data(event)
        self._data(ev.ResponseDone(response=self.response_object("completed")))
        self._data(self._metrics_event())

    def close_cancelled(self) -> None:
        if self.entry is not None:
            self.entry.item.status = "incomplete"
            if self.entry.playback is not None and not self.client_truncated:
                heard = self.entry.playback.played_ms(self.clock.now())
                self.conversation.truncate(self._item_id, 0, heard)
                self.outbox.control(ev.ItemTruncated(item_id=self._item_id, content_index=0,
                                                     audio_end_ms=int(heard)))
            for event in self._item_closing_events():
                self.outbox.control(event)
        self.outbox.control(ev.ResponseDone(response=self.response_object("cancelled")))

    def _close_failed(self, exc: Exception) -> None:
        if self.entry is not None:
            self.entry.item.status = "incomplete"
            for event in self._item_closing_events():
                self.outbox.control(event)
        error = ev.ErrorDetail(type="server_error", code="engine_error",
                               message=f"The reply failed: {type(exc).__name__}")
        self.outbox.control(ev.ResponseDone(response=self.response_object("failed", error)))

    def _item_closing_events(self) -> list[ev.ServerEvent]:
        assert self.entry is not None
        rid, item = self.handle.id, self.entry.item.model_copy(deep=True)
        return [
            ev.ContentPartDone(response_id=rid, item_id=self._item_id, part=self._final_part()),
            ev.OutputItemDone(response_id=rid, item=item),
            ev.ItemDone(item=item.model_copy(deep=True)),
        ]

    def response_object(
        self, status: Status, error: ev.ErrorDetail | None = None,
    ) -> ev.ResponseObject:
        details = None
        if status != "in_progress":
            details = ev.StatusDetails(type=status, reason=self.handle.reason, error=error)
        output = [self.entry.item.model_copy(deep=True)] if self.entry is not None else []
        out_chars = len(self.entry.item.text()) if self.entry is not None else 0
        return ev.ResponseObject(
            id=self.handle.id, status=status, status_details=details, output=output,
            output_modalities=self.handle.modalities, metadata=self.handle.metadata,
            conversation_id=None, usage=ev.Usage(output_tokens=out_chars, total_tokens=out_chars),
        )

    def _metrics_event(self) -> ev.LingxiTurnMetrics:
        timings = self.timings.as_ms(self.turn_end)
        if "first_audio_ms" in timings:
            metrics.FIRST_AUDIO.observe(timings["first_audio_ms"] / 1000)
            metrics.SERVER_OVERHEAD.observe(timings["server_overhead_ms"] / 1000)
        return ev.LingxiTurnMetrics(response_id=self.handle.id, timings_ms=timings)
