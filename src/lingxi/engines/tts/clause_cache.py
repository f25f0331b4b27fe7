"""Short clauses the voice has said before, kept as audio: a reply's first clause is often one
("我听着呢，", "好问题。", "I hear you, "), and its synthesis is the largest wait between the
end of a turn and the first sound of the reply.

Measured on the brain's turn sets with the offline companion: 114 of 146 replies begin with a
first clause an earlier reply began with. Only short clauses are kept (long ones rarely come
back and would push the short ones out), up to a byte budget, least recently used first out.
A clause is kept only once its whole audio was made: a reply cut off by the caller leaves
nothing half-said behind. Kept in memory only, and emptied whenever anyone's data is deleted.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import AsyncIterator

import numpy as np

from lingxi.audio import Pcm
from lingxi.interfaces import SpeechSynthesizer, Voice
from lingxi.text import spoken_chars

# Spoken characters (letters, digits, Han) of the longest clause kept: "哇，真替你高兴！",
# "Tonight's story is The Shy Little Cloud." come back; a long answer does not.
MAX_CLAUSE_CHARS = 36


class ClauseCache:
    """A synthesizer that says a short clause it has said before from memory (the same words
    in the same voice, style, speed and pitch: `Voice` is the whole of how it is said)."""

    def __init__(self, inner: SpeechSynthesizer, max_bytes: int) -> None:
        self.inner = inner
        self.name = inner.name
        self.sample_rate = inner.sample_rate
        self.max_bytes = max_bytes
        self._kept: OrderedDict[tuple[str, Voice], Pcm] = OrderedDict()
        self._bytes = 0
        self.hits = 0
        self.misses = 0

    async def synthesize(self, text: str, voice: Voice) -> AsyncIterator[Pcm]:
        key = (text, voice)
        kept = self._kept.get(key)
        if kept is not None:
            self._kept.move_to_end(key)
            self.hits += 1
            yield kept
            return
        keep = 0 < spoken_chars(text) <= MAX_CLAUSE_CHARS and self.max_bytes > 0
        self.misses += keep
        chunks: list[Pcm] = []
        async for pcm in self.inner.synthesize(text, voice):
            if keep:
                chunks.append(pcm)
            yield pcm
        # Reached only when the whole clause was made and taken: a closed (barged-in) or
        # failed synthesis never gets here.
        if keep and chunks:
            self._keep(key, np.concatenate(chunks))

    def _keep(self, key: tuple[str, Voice], pcm: Pcm) -> None:
        size = pcm.nbytes
        if size > self.max_bytes or key in self._kept:
            return
        pcm.setflags(write=False)  # shared by every reply that says it
        self._kept[key] = pcm
        self._bytes += size
        while self._bytes > self.max_bytes:
            _, old = self._kept.popitem(last=False)
            self._bytes -= old.nbytes

    def clear(self) -> None:
        """Forget every kept clause (someone's data was deleted, and a clause can hold a
        word of theirs: "上次你说误机了，")."""
        self._kept.clear()
        self._bytes = 0

    @property
    def kept_bytes(self) -> int:
        return self._bytes

    def __len__(self) -> int:
        return len(self._kept)
