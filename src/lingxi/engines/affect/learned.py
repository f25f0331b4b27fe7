"""The learned text-emotion model: a turn's e5 embedding and a small calibrated head over the
six labels (`data/text_head.npz`, trained by `python -m lingxi.engines.affect.train`).

The encoder is not loaded here: `assemble.py` hands in the process's one e5 encoder (the one
the risk model uses) wrapped in `RecentVectors`, and the text prepared as the risk model
prepares it, so a turn the risk model has just read costs no second embedding.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from lingxi.engines.affect.words import FEELINGS

Array = npt.NDArray[np.float32]
Embed = Callable[[Sequence[str]], Array]  # texts in, one L2-normalised row per text out
LABELS: tuple[str, ...] = ("neutral", *FEELINGS)


def head_file() -> Path:
    return Path(str(resources.files("lingxi.engines.affect").joinpath("data/text_head.npz")))


def softmax(logits: npt.NDArray[Any]) -> Array:
    # The same as lingxi.safety.model.softmax; copied so the call path of an engine does not
    # import the safety package.
    shifted = logits - logits.max(axis=1, keepdims=True)
    exp = np.exp(shifted)
    out: Array = (exp / exp.sum(axis=1, keepdims=True)).astype(np.float32)
    return out


@dataclass(frozen=True)
class TextHead:
    """Multinomial logistic regression on the standardised embedding, with a temperature and
    the combination with the lexicon (`meta["combine"]`), all fitted on a development split."""

    weights: Array  # (dim, len(LABELS))
    bias: Array
    mean: Array
    scale: Array
    temperature: float
    meta: dict[str, Any]

    def save(self, path: Path) -> None:
        np.savez_compressed(path, weights=self.weights.astype(np.float16), bias=self.bias,
                            mean=self.mean.astype(np.float16),
                            scale=self.scale.astype(np.float16),
                            temperature=np.float32(self.temperature), meta=json.dumps(self.meta))

    @classmethod
    def load(cls, path: Path | None = None) -> TextHead:
        with np.load(path or head_file()) as raw:
            return cls(weights=raw["weights"].astype(np.float32), bias=raw["bias"],
                       mean=raw["mean"].astype(np.float32),
                       scale=raw["scale"].astype(np.float32),
                       temperature=float(raw["temperature"]), meta=json.loads(str(raw["meta"])))

    def logits(self, vectors: Array) -> Array:
        out = ((vectors - self.mean) / self.scale) @ self.weights + self.bias
        return np.asarray(out, dtype=np.float32)

    def probabilities(self, vectors: Array) -> Array:
        """(n, 6) calibrated label probabilities, in the order of `LABELS`."""
        return softmax(self.logits(vectors) / self.temperature)


class TextModel:
    """Stateless and thread-safe: one per process, shared by every call."""

    def __init__(self, head: TextHead, embed: Embed,
                 prepare: Callable[[str], str] = str.strip) -> None:
        self.head = head
        self._embed = embed
        self._prepare = prepare

    def vectors(self, texts: Sequence[str]) -> Array:
        """Blocking when a text is not yet embedded (≈20–30 ms on one busy core): a worker's job."""
        return self._embed([self._prepare(t) for t in texts])

    def probabilities(self, texts: Sequence[str]) -> Array:
        return self.head.probabilities(self.vectors(texts))

    def scores(self, text: str) -> dict[str, float]:
        return dict(zip(LABELS, (float(p) for p in self.probabilities([text])[0]), strict=True))


class RecentVectors:
    """An encoder that remembers the last few texts' vectors, so two readers of one turn (the
    risk model, then the affect model) embed it once. Thread-safe; bounded."""

    def __init__(self, inner: Embed, size: int = 64) -> None:
        self._inner = inner
        self._size = size
        self._known: OrderedDict[str, Array] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0  # texts answered from memory (the bench reports it)

    def __call__(self, texts: Sequence[str]) -> Array:
        if not texts:
            return self._inner(texts)
        with self._lock:
            known = {t: self._known[t] for t in texts if t in self._known}
            self.hits += sum(t in known for t in texts)
        missing = [t for t in dict.fromkeys(texts) if t not in known]
        if missing:  # outside the lock: the encoder has its own, and takes milliseconds
            known.update(zip(missing, self._inner(missing), strict=True))
        with self._lock:
            for t in texts:
                self._known[t] = known[t]
                self._known.move_to_end(t)
            while len(self._known) > self._size:
                self._known.popitem(last=False)
        return np.stack([known[t] for t in texts]).astype(np.float32)
