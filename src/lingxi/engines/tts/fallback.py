"""A voice by URL that fails mid-call: what was to be said is said by espeak-ng instead (with
a short apology the first time), and the server is left alone for a while before it is tried
again. A crisis reply must never go silent because a speech server did."""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator, Callable

import numpy as np

from lingxi import metrics
from lingxi.audio import Pcm, StreamResampler
from lingxi.interfaces import SpeechSynthesizer, Voice
from lingxi.text import has_han

log = logging.getLogger(__name__)

APOLOGY = {"zh": "抱歉，我的声音出了点问题，先用备用的声音说。",
           "en": "Sorry, my voice is having trouble; here is my backup voice."}


class FallbackVoice:
    def __init__(self, primary: SpeechSynthesizer, backup: SpeechSynthesizer, *,
                 retry_after_s: float = 30.0, now: Callable[[], float] = time.monotonic) -> None:
        self.primary = primary
        self.backup = backup
        self.name = primary.name
        self.sample_rate = primary.sample_rate
        self.retry_after_s = retry_after_s
        self._now = now
        self._down_until = float("-inf")

    async def synthesize(self, text: str, voice: Voice) -> AsyncIterator[Pcm]:
        if self._now() < self._down_until:
            async for pcm in self._backup(text, voice):
                yield pcm
            return
        sent = False
        try:
            async for pcm in self.primary.synthesize(text, voice):
                sent = True
                yield pcm
            return
        except Exception as exc:  # whatever a server does wrong, the caller hears words
            metrics.engine_failed("voice")
            log.warning("the voice failed (%s); espeak-ng speaks for %.0f s",
                        type(exc).__name__, self.retry_after_s)
            self._down_until = self._now() + self.retry_after_s
            if sent:
                return  # half of this clause was heard; the next ones use the backup
        apology = APOLOGY["zh" if has_han(text) else "en"]
        async for pcm in self._backup(apology + text, voice):
            yield pcm

    async def _backup(self, text: str, voice: Voice) -> AsyncIterator[Pcm]:
        to_rate = StreamResampler(self.backup.sample_rate, self.sample_rate)
        async for pcm in self.backup.synthesize(text, voice):
            yield to_rate.process(pcm)
        yield to_rate.process(np.zeros(0, dtype=np.int16), last=True)
