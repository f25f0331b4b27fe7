"""The sound side of one reply: clauses → the voice → audio paced to playback, and what of
it was said. `Reply` inherits these; they read the reply's entry, engines and timings."""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pybase64

from lingxi import metrics
from lingxi.audio import Pcm, StreamResampler, WireFormat
from lingxi.interfaces import Engines, Voice
from lingxi.protocol import server_events as ev
from lingxi.session.conversation import Spoken
from lingxi.session.playback import PlaybackEstimate
from lingxi.session.reply_events import ReplyEvents
from lingxi.text import is_han
from lingxi.turn import Audio, CallTool

log = logging.getLogger(__name__)

# What synthesis is handed: a clause and its voice, ready-made audio, or a function call.
Piece = tuple[str, Voice] | Audio | CallTool


class _ClauseEnd:
    """A clause's audio is all there: send what is left of it now, not when the next clause
    arrives (a slow next clause would otherwise cut this one's last syllable short)."""


CLAUSE_END = _ClauseEnd()
# What the paced sender is handed: audio, a clause's transcript, a clause's end, a function
# call, the end.
Outgoing = Pcm | str | _ClauseEnd | CallTool | None


def _delivered(playback: PlaybackEstimate, duration_ms: float,
               heard: Callable[[float], None] | None, at: float) -> None:
    playback.on_sent(at, duration_ms)
    if heard is not None:  # the echo guard: from when the client plays this chunk
        ends = playback.ends_at()
        heard(at if ends is None else ends - duration_ms / 1000.0)


def _guess_ms(clause: str) -> float:
    """A deliberately slow guess of how long a clause takes to say, for the rare case of a
    barge-in before its synthesis has finished: underestimating what was heard is the safe
    side (the history must never hold words the person did not hear)."""
    return sum(300.0 if is_han(ch) else 90.0 for ch in clause)


@dataclass(frozen=True, slots=True)
class ReplySettings:
    chunk_ms: float = 100.0
    lead_s: float = 0.4
    read_ahead_ms: float = 1500.0  # synthesis may run this far ahead of the paced sender


class ReplyAudio(ReplyEvents):
    engines: Engines
    settings: ReplySettings
    _wire: WireFormat
    _carry: bytes  # int16 samples not yet sent: less than a chunk
    _synth_samples: int
    _sent_more: asyncio.Event
    _voice_lost: bool  # the voice failed during a safety reply: text only
    _on_played: Callable[[Pcm, int, float], None] | None

    async def _synthesize(
        self, pieces: asyncio.Queue[Piece | None], audio: asyncio.Queue[Outgoing]
    ) -> None:
        while True:
            t = self.clock.now()
            piece = await pieces.get()
            if self.timings.first_audio_at is None:
                waited = self.clock.now() - t  # on the skill, for a whole clause
                self.timings.marks["responder_first_clause_ms"] = (
                    self.timings.marks.get("responder_first_clause_ms", 0.0) + waited)
                self.timings.engine_s += waited
            if piece is None:
                break
            if isinstance(piece, Audio):
                self._play(piece, audio)
                await self._hold_read_ahead()
                continue
            if isinstance(piece, CallTool):
                audio.put_nowait(piece)
                continue
            clause, voice = piece
            spoken = self._spoken(clause, _guess_ms(clause))
            audio.put_nowait(clause)  # its transcript goes out with its first audio
            if not self._voice_lost:
                try:
                    await self._voice_clause(clause, voice, spoken, audio)
                except Exception:
                    if self.skill != "safety":
                        raise
                    # A crisis reply must reach the caller: its words (and the card sent
                    # before them) go on as text when the voice fails.
                    log.exception("voice failed during a safety reply; text only from here")
                    self._voice_lost = True
            audio.put_nowait(CLAUSE_END)
        audio.put_nowait(None)

    async def _voice_clause(self, clause: str, voice: Voice, spoken: Spoken,
                            audio: asyncio.Queue[Outgoing]) -> None:
        # One resampler per clause, flushed at its end: the clause's last milliseconds go
        # out now, not when the next clause's audio pushes them through.
        resampler = StreamResampler(self.engines.tts.sample_rate, self._wire.sample_rate)
        t = self.clock.now()
        async for pcm in self.engines.tts.synthesize(clause, voice):
            if self.timings.first_audio_at is None and "tts_first_chunk_ms" not in \
                    self.timings.marks:
                self._engine("tts_first_chunk_ms", self.clock.now() - t)
            out = resampler.process(pcm)
            self._synth_samples += len(out)
            spoken.end_ms = max(spoken.end_ms, self._synth_ms())
            audio.put_nowait(out)
            await self._hold_read_ahead()
        tail = resampler.process(np.zeros(0, np.int16), last=True)
        self._synth_samples += len(tail)
        audio.put_nowait(tail)
        spoken.end_ms = self._synth_ms()

    def _spoken(self, text: str, guess_ms: float) -> Spoken:
        assert self.entry is not None
        start = self._synth_ms()
        spoken = Spoken(text, start, start + guess_ms)
        self.entry.spoken.append(spoken)
        return spoken

    def _play(self, segment: Audio, audio: asyncio.Queue[Outgoing]) -> None:
        """Ready-made audio (a sung line) goes out as it is, at the wire's rate."""
        to_wire = StreamResampler(segment.sample_rate, self._wire.sample_rate)
        pcm = to_wire.process(segment.pcm, last=True)
        spoken = self._spoken(segment.caption, 0.0)
        audio.put_nowait(segment.caption)
        self._synth_samples += len(pcm)
        spoken.end_ms = self._synth_ms()
        audio.put_nowait(pcm)
        audio.put_nowait(CLAUSE_END)

    async def _hold_read_ahead(self) -> None:
        """Synthesis may run ahead of what was sent, but only so far: spread over the reply,
        many calls' synthesis does not land on the loop in one burst."""
        playback = self.entry.playback if self.entry is not None else None
        while playback is not None and (
            self._synth_ms() - playback.queued_ms > self.settings.read_ahead_ms
        ):
            self._sent_more.clear()
            await self._sent_more.wait()

    async def _pace(self, audio: asyncio.Queue[Outgoing]) -> None:
        while (item := await audio.get()) is not None:
            if isinstance(item, str):
                self._data(ev.AudioTranscriptDelta(response_id=self.handle.id,
                                                   item_id=self._item_id,
                                                   output_index=self._index, delta=item))
            elif isinstance(item, _ClauseEnd):
                await self._send_pcm(np.zeros(0, np.int16), final=True)
            elif isinstance(item, CallTool):
                self._call_tool(item.call)
            else:
                await self._send_pcm(item)
        await self._send_pcm(np.zeros(0, np.int16), final=True)

    async def _send_pcm(self, pcm: Pcm, *, final: bool = False) -> None:
        if self.entry is None and not len(pcm):
            return  # nothing was said (the reply only called functions)
        assert self.entry is not None and self.entry.playback is not None
        playback = self.entry.playback
        size = 2 * int(self.settings.chunk_ms * self._wire.sample_rate / 1000)
        # Carried as bytes, cut and joined in bytes: numpy lets go of the GIL to join arrays
        # this size, and the loop could then wait a whole switch interval to get it back.
        if len(pcm):
            self._carry += pcm.astype(np.int16, copy=False).tobytes()
        while len(self._carry) >= size or (final and self._carry):
            chunk = np.frombuffer(self._carry[:size], np.int16)
            self._carry = self._carry[size:]
            deadline = playback.send_deadline()
            if deadline is not None and deadline > self.clock.now():
                await self.clock.sleep_until(deadline)
                # Only a real wait measures the loop; a past deadline means the engines ran
                # behind real time, which the playback estimate accounts for as an underrun.
                metrics.AUDIO_SEND_LATE.observe(self.clock.now() - deadline)
            payload = pybase64.b64encode_as_string(self._wire.encode(chunk))
            duration_ms = 1000.0 * len(chunk) / self._wire.sample_rate
            self.outbox.data(
                ev.AudioDelta(response_id=self.handle.id, item_id=self._item_id,
                              output_index=self._index, delta=payload),
                self.handle, on_sent=functools.partial(
                    _delivered, playback, duration_ms,
                    None if self._on_played is None else functools.partial(
                        self._on_played, chunk, self._wire.sample_rate)))
            now = self.clock.now()
            playback.on_queued(now, duration_ms)
            self._sent_more.set()
            if self.timings.first_audio_at is None:
                self.timings.first_audio_at = now

    def _engine(self, mark: str, seconds: float) -> None:
        self.timings.marks[mark] = seconds
        self.timings.engine_s += seconds

    def _synth_ms(self) -> float:
        return 1000.0 * self._synth_samples / self._wire.sample_rate
