"""Does this sound finished? A small learned reading of the words heard at a pause.

The end-of-turn rules (end_of_turn.py) decide most pauses from plain signs: a question, a
closing particle, a connective, a trailing comma. What they leave open — a bare Mandarin
statement ("我那个同事。" or "我明天去医院。") and unpunctuated words — this head reads: a logistic
regression over the e5 sentence vector (the encoder safety already loads), trained by
`python -m lingxi.session.eot_train` on whole utterances against the same utterances cut at a
word boundary (a stand-in for a caller who paused mid-sentence). It is consulted only where
the rules wait at least 450 ms anyway: its ~27 ms delays a turn only when the decode at the
pause has itself outlasted that wait (a busy machine).

`finished()` is blocking (the encoder): call it off the event loop.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Protocol

import numpy as np
import numpy.typing as npt

from lingxi.safety.encoder import Encoder

Vector = npt.NDArray[np.float32]
HEAD_FILE = "eot_head.npz"
# Read together with the rules' classes (turns.semantic_silence_ms): below UNFINISHED the words
# wait as an unfinished clause does, above FINISHED as a finished sentence does; in between,
# as the rules alone would. Chosen on a fifth of the training utterances held back and on the
# first three duplex pause sets (bench/README.md, "a learned reading").
UNFINISHED = 0.1
FINISHED = 0.9


@dataclass(frozen=True, slots=True)
class EotHead:
    weights: Vector  # over the centred, scaled e5 vector
    bias: float
    mean: Vector  # the training vectors' mean (e5's vectors share a large common part)
    scale: float

    def probability(self, vectors: Vector) -> npt.NDArray[np.float64]:
        z = ((vectors - self.mean) * self.scale) @ self.weights + self.bias
        out: npt.NDArray[np.float64] = 1.0 / (1.0 + np.exp(-z.astype(np.float64)))
        return out

    def save(self, path: Path) -> None:
        np.savez(path, weights=self.weights, bias=np.float32(self.bias), mean=self.mean,
                 scale=np.float32(self.scale))

    @classmethod
    def load(cls, path: Path | None = None) -> EotHead:
        source = path or resources.files("lingxi.session").joinpath("data", HEAD_FILE)
        with source.open("rb") as raw, np.load(raw) as data:
            return cls(data["weights"].astype(np.float32), float(data["bias"]),
                       data["mean"].astype(np.float32), float(data["scale"]))


class FinishedReading(Protocol):
    def finished(self, text: str) -> float:
        """P(the words so far are a finished utterance); blocking."""
        ...


class FinishedReader:
    """P(the words so far are a finished utterance), from the head over an encoder.

    `ahead`: another form of the words to embed in the same batch — safety's normalised turn —
    so that, over an encoder that remembers recent texts (the server's shared e5), safety finds
    its vector ready when the turn ends at this pause instead of embedding it then (~25 ms
    off the wait before the reply)."""

    def __init__(self, head: EotHead, encoder: Encoder,
                 ahead: Callable[[str], str] | None = None) -> None:
        self.head = head
        self._encode = encoder
        self._ahead = ahead

    def finished(self, text: str) -> float:
        words = text.strip()
        batch = [words] if self._ahead is None else [words, self._ahead(words)]
        return float(self.head.probability(self._encode(batch)[:1])[0])
