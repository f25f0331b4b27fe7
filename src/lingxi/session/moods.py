"""The caller's affect per user turn, never waited for by a reply.

The voice is heard as soon as the turn's audio is complete (in the worker, while speech
recognition runs); the words join it when the transcript arrives. A reply reads whatever is
known by then: a voice not yet heard leaves the words alone to speak for the turn. The words
are judged in the safety worker, right after the risk assessment has embedded the same text
(the learned text model reuses that embedding), never on the event loop.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from lingxi import metrics
from lingxi.interfaces import Affect, AffectReader
from lingxi.turn import TurnAudio

log = logging.getLogger(__name__)
_KEPT = 8  # affects remembered by item id (a reply reads the newest user turn's)
Judge = Callable[[str], Affect]


class Moods:
    def __init__(self, reader: AffectReader | None,
                 offload: Callable[[Callable[[], Any]], Awaitable[Any]],
                 spawn: Callable[[Any], asyncio.Task[Any]],
                 judge_in: Callable[[Callable[[], Any]], Awaitable[Any]] | None = None) -> None:
        """`offload`: where the voice is heard; `judge_in`: where the words are read (the
        risk assessment's worker, whose embedding of the turn they reuse)."""
        self.reader = reader
        self._offload = offload
        self._judge_in = judge_in or offload
        self._spawn = spawn
        self._listening: dict[str, asyncio.Task[Judge | None]] = {}
        self._known: dict[str, Affect] = {}

    def heard(self, item_id: str, audio: TurnAudio | None) -> None:
        """A user turn's audio is complete: start listening to it now."""
        if self.reader is None or audio is None:
            return
        # A turn whose transcription failed is never judged: forget its ear after a while.
        while len(self._listening) >= _KEPT:
            self._listening.pop(next(iter(self._listening))).cancel()
        self._listening[item_id] = self._spawn(self._listen(self.reader, audio))

    async def _listen(self, reader: AffectReader, audio: TurnAudio) -> Judge | None:
        try:
            judge: Judge = await self._offload(
                lambda: reader.listen(audio.pcm, audio.sample_rate))
        except Exception:  # a voice that cannot be measured leaves the words to speak
            log.exception("affect: the turn's voice could not be measured")
            return None
        return judge

    async def transcribed(self, item_id: str, text: str) -> Affect | None:
        """The turn's words are known: its affect, from the voice if it has been heard."""
        reader = self.reader
        if reader is None:
            return None
        task = self._listening.pop(item_id, None)
        heard = task is not None and task.done() and not task.cancelled()
        judge = task.result() if task is not None and heard else None
        if task is not None and not task.done():
            metrics.AFFECT_LATE_TOTAL.inc()  # the words answer for it; never wait
            task.cancel()
        affect: Affect = await self._judge_in(
            (lambda: judge(text)) if judge is not None else (lambda: reader.read(text)))
        self._known[item_id] = affect
        while len(self._known) > _KEPT:
            del self._known[next(iter(self._known))]
        return affect

    def of(self, item_id: str | None) -> Affect | None:
        return self._known.get(item_id) if item_id is not None else None
