"""One reply: a routed turn's segments → clauses → speech, paced to playback, cancellable at any
await. The reply only renders: who answers and what is said was decided by the router."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
from collections.abc import AsyncIterator, Awaitable, Callable

from lingxi import metrics
from lingxi.audio import Pcm, WireFormat
from lingxi.clock import Clock
from lingxi.engines.tts.prosody import styled
from lingxi.interfaces import Engines, Voice
from lingxi.personas import PersonaBook
from lingxi.protocol import server_events as ev
from lingxi.protocol.session import SessionConfig, wire_format
from lingxi.session.conversation import Conversation, Entry
from lingxi.session.handle import ResponseHandle
from lingxi.session.outbox import Outbox
from lingxi.session.reply_audio import Outgoing, Piece, ReplyAudio, ReplySettings
from lingxi.session.timings import Timings
from lingxi.text import ClauseSplitter, count_tokens, first_tokens
from lingxi.turn import (
    Audio,
    CallTool,
    Effect,
    EndCall,
    Refused,
    Routed,
    Router,
    SafetyNotice,
    Say,
    Segment,
    Turn,
)

log = logging.getLogger(__name__)

def safety_notice(action: SafetyNotice, response_id: str) -> ev.LingxiSafetyNotice:
    a = action.action
    return ev.LingxiSafetyNotice(
        response_id=response_id, level=a.level, escalate=a.escalate,
        hotlines=[{"name": h.name, "number": h.number, "region": h.region, "kind": h.kind,
                   "hours": h.hours} for h in a.hotlines])


def _refusal(exc: BaseException) -> Refused | None:
    """The skill's refusal inside whatever wrapped it (the reply's task group)."""
    if isinstance(exc, Refused):
        return exc
    if isinstance(exc, BaseExceptionGroup):
        return next((r for e in exc.exceptions if (r := _refusal(e)) is not None), None)
    return None


async def _each(segments: tuple[Segment, ...]) -> AsyncIterator[Segment]:
    for segment in segments:
        yield segment


class Reply(ReplyAudio):
    def __init__(
        self, *, handle: ResponseHandle, session: SessionConfig, engines: Engines, clock: Clock,
        outbox: Outbox, conversation: Conversation, settings: ReplySettings,
        make_turn: Callable[[], Awaitable[Turn]], router: Router | None,
        personas: PersonaBook, on_effect: Callable[[Effect], None] = lambda _: None,
        turn_end: float | None = None, fixed_text: str | None = None,
        out_of_band: bool = False, on_played: Callable[[Pcm, int, float], None] | None = None,
    ) -> None:
        """`on_played`: told each chunk of audio, its rate and when the client plays it."""
        self.handle = handle
        self.session = session
        self.engines = engines
        self.clock = clock
        self.outbox = outbox
        self.conversation = conversation
        self.settings = settings
        self.lead_s = settings.lead_s
        self.turn_end = turn_end
        self.router = router
        self.personas = personas
        self._make_turn = make_turn
        self._on_effect = on_effect  # the call applies what is not the reply's own business
        self._fixed_text = fixed_text  # a human operator's words, said as they are
        self.out_of_band = out_of_band  # its items stay out of the call's conversation
        self.skill: str | None = None  # who answered, once routed
        self.effects: list[Effect] = []
        self.entry: Entry | None = None
        self.outputs: list[Entry] = []
        self.capped = False  # max_output_tokens ended the reply early
        self._said_first = False  # the reply's first clause (or sung line) is on its way
        self.timings = Timings(start=clock.now())
        self._wire: WireFormat = wire_format(session.audio.output.format)
        self._carry = b""
        self._synth_samples = 0
        self._sent_more = asyncio.Event()
        self.closed = False
        self._voice_lost = False  # the voice failed during a safety reply: text only
        self._on_played = on_played

    @property
    def ends_call(self) -> bool:
        """The caller asked to hang up: this reply is the goodbye."""
        return any(isinstance(e, EndCall) for e in self.effects)

    async def run(self) -> None:
        try:
            routed = self._route(await self._turn())
            self.skill = routed.skill
            metrics.SKILL_TURNS.labels(routed.skill).inc()
            for effect in routed.lead:
                self._apply(effect)
            segments = self._timed(routed.segments)
            if self.audio:
                await self._speak(segments)
            else:
                await self._write(segments)
            if not self.outputs:
                self._open()  # a reply with nothing to say still has its (empty) item
            # Deltas first; then nothing awaits between "completed" and its closing events,
            # so a cancel can never slip in between and close the reply twice.
            await self.outbox.data_flushed()
            if self.capped:
                self.handle.finish("incomplete", "max_output_tokens")
            else:
                self.handle.finish("completed")
            self._close_completed()
        except asyncio.CancelledError:
            self.close_cancelled()  # no-op unless the handle was cancelled and not yet closed
            raise
        except Exception as exc:
            refused = _refusal(exc)
            if refused is None:
                metrics.engine_failed("reply")
                log.exception("reply %s failed", self.handle.id)
            self.handle.finish("failed", "error")
            await self.outbox.data_flushed()
            if refused is not None:
                self._close_failed(refused.code, refused.message, "invalid_request_error")
            else:
                self._close_failed("engine_error", f"The reply failed: {type(exc).__name__}")

    # -- stages -------------------------------------------------------------------------

    async def _turn(self) -> Turn:
        pending = self.conversation.pending_transcripts()
        if pending:
            t = self.clock.now()
            # asyncio.wait, not gather: a cancelled reply must not cancel the transcripts.
            await asyncio.wait(pending)
            self._engine("asr_wait_ms", self.clock.now() - t)
        t = self.clock.now()
        turn = await self._make_turn()
        # A mark only: mostly the wait for safety to read the turn (on the worker thread).
        self.timings.marks["turn_ms"] = self.clock.now() - t
        return turn

    def _route(self, turn: Turn) -> Routed:
        if self._fixed_text is not None or self.router is None:
            said = Say(self._fixed_text or "", style=turn.style, persona=turn.persona)
            return Routed(turn, "operator", (), _each((said,)))
        return self.router.route(turn)

    def _apply(self, effect: Effect) -> None:
        self.effects.append(effect)
        if isinstance(effect, SafetyNotice):
            self.outbox.control(safety_notice(effect, self.handle.id))
        elif not isinstance(effect, EndCall):  # the goodbye is over only once it is heard
            self._on_effect(effect)

    async def _timed(self, segments: AsyncIterator[Segment]) -> AsyncIterator[Segment]:
        t = self.clock.now()
        budget = self.handle.max_output_tokens
        async with contextlib.aclosing(segments):  # type: ignore[type-var]
            async for segment in segments:
                if "responder_first_token_ms" not in self.timings.marks:
                    # A mark only: the wait is counted once, by whoever waits on it.
                    self.timings.marks["responder_first_token_ms"] = self.clock.now() - t
                if budget is not None and isinstance(segment, Say):
                    tokens = count_tokens(segment.text)
                    if tokens > budget:
                        # The client's cap: say what fits, then stop the skill (closing
                        # its stream stops the model too).
                        self.capped = True
                        if budget > 0:
                            yield dataclasses.replace(
                                segment, text=first_tokens(segment.text, budget))
                        return
                    budget -= tokens
                yield segment

    async def _speak(self, segments: AsyncIterator[Segment]) -> None:
        """Three stages, each waiting on the one before: segments → speech → paced sending.

        Synthesis runs ahead of the paced sender, so a clause's true length is usually known
        long before it is heard, which makes truncation at a barge-in exact.
        """
        pieces: asyncio.Queue[Piece | None] = asyncio.Queue()
        audio: asyncio.Queue[Outgoing] = asyncio.Queue()
        async with asyncio.TaskGroup() as tg:
            tg.create_task(self._compose(segments, pieces))
            tg.create_task(self._synthesize(pieces, audio))
            await self._pace(audio)

    def _voice(self, say: Say) -> Voice:
        return styled(self._plain(say), say.style or "normal")

    def _plain(self, say: Say) -> Voice:
        out = self.session.audio.output
        return self.personas.voice(say.persona, self.handle.voice or out.voice, out.speed)

    def _first(self, say: Say, voice: Voice) -> Voice:
        """The reply's first clause keeps the style's pace, loudness and pauses but not its
        pitch: a pitch change needs the whole clause rendered (WORLD) before any of it is
        heard, which put 300-570 ms before a styled reply's first audio. The clauses after
        it carry the whole style."""
        plain = self._plain(say)
        return dataclasses.replace(voice, pitch=plain.pitch, pitch_range=plain.pitch_range)

    async def _compose(self, segments: AsyncIterator[Segment],
                       pieces: asyncio.Queue[Piece | None]) -> None:
        """Cut the words into clauses, one run of a voice at a time."""
        splitter, voice, quick = ClauseSplitter(), None, None
        async with contextlib.aclosing(segments):  # type: ignore[type-var]
            async for segment in segments:
                if isinstance(segment, Say | Audio):
                    self._open_once()
                if isinstance(segment, Say):
                    said = self._voice(segment)
                    if voice is not None and said != voice:
                        self._flush(splitter, voice, quick, pieces)
                    voice, quick = said, self._first(segment, said)
                    for clause in splitter.push(segment.text):
                        self._put(clause, voice, quick, pieces)
                    continue
                if voice is not None:
                    self._flush(splitter, voice, quick, pieces)
                if isinstance(segment, Audio | CallTool):
                    self._said_first = self._said_first or isinstance(segment, Audio)
                    pieces.put_nowait(segment)
                else:
                    self._apply(segment)
        if voice is not None:
            self._flush(splitter, voice, quick, pieces)
        pieces.put_nowait(None)

    def _put(self, clause: str, voice: Voice, quick: Voice | None,
             pieces: asyncio.Queue[Piece | None]) -> None:
        first, self._said_first = not self._said_first, True
        pieces.put_nowait((clause, quick if first and quick is not None else voice))

    def _flush(self, splitter: ClauseSplitter, voice: Voice, quick: Voice | None,
               pieces: asyncio.Queue[Piece | None]) -> None:
        rest = splitter.flush()
        if rest:
            self._put(rest, voice, quick, pieces)

    async def _write(self, segments: AsyncIterator[Segment]) -> None:
        t = self.clock.now()
        async with contextlib.aclosing(segments):  # type: ignore[type-var]
            async for segment in segments:
                if isinstance(segment, CallTool):
                    self._call_tool(segment.call)
                    continue
                if not isinstance(segment, Say | Audio):
                    self._apply(segment)
                    continue
                self._open_once()
                assert self.entry is not None
                part = self.entry.message.content[0]
                text = segment.text if isinstance(segment, Say) else segment.caption
                if self.timings.first_audio_at is None:
                    self.timings.first_audio_at = self.clock.now()
                    self.timings.engine_s += self.timings.first_audio_at - t
                part.text = (part.text or "") + text
                self._data(ev.TextDelta(response_id=self.handle.id, item_id=self._item_id,
                                        output_index=self._index, delta=text))
