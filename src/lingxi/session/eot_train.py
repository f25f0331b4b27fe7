"""Train the end-of-turn head (eot_head.py): `python -m lingxi.session.eot_train [--out F]`.

The utterances are the risk training files' turns (thousands of spoken-style lines in both
languages, most of them everyday; only their words are used, not their labels). Each becomes
a finished example (its final mark kept or dropped, as a recogniser may write it) and, cut at a
word boundary inside it (jieba for Mandarin, spaces for English; never right after a mark, where
the rules already decide), an unfinished one. Only the examples the rules leave open (a bare
Mandarin statement, words with no sign either way) are kept, since only those reach the head.
Seeded; vectors are cached under the Lingxi cache, so a retrain re-encodes nothing.
"""

from __future__ import annotations

import argparse
import random
import re
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt

from lingxi.files import cache_dir
from lingxi.safety.encoder import CachingEncoder, default_encoder
from lingxi.safety.riskdata import RISK_DIR, SPENT_FILES, TRAIN_FILES, read_examples
from lingxi.session.end_of_turn import ending
from lingxi.session.eot_head import HEAD_FILE, EotHead
from lingxi.text import has_han

_FINAL = re.compile(r"[。.!！?？~～\s\"'“”」]+$")
_MARK_END = re.compile(r"[，,。.!！?？;；:：、]$")
_LEFT_OPEN = ("bare", "open")
SCALE = 10.0
L2 = 1e-3
STEPS = 3000
RATE = 0.5
HELD_BACK = 0.2


def utterances() -> list[str]:
    texts: list[str] = []
    for name in (*TRAIN_FILES, *SPENT_FILES):
        texts += [e.text.strip() for e in read_examples(RISK_DIR / name)]
    return list(dict.fromkeys(t for t in texts if 2 <= len(t) <= 60))


def _closed(core: str, zh: bool, rng: random.Random) -> str:
    """As a recogniser writes it at a pause: mostly with a full stop, sometimes without."""
    return core + ("。" if zh else ".") if rng.random() < 0.6 else core


def _words(core: str, zh: bool) -> list[str]:
    import jieba

    jieba.setLogLevel(60)
    return list(jieba.cut(core)) if zh else core.split()


def examples(seed: int = 0) -> tuple[list[str], list[int]]:
    """Balanced finished (1) and cut (0) examples of the kinds the rules leave open."""
    rng = random.Random(seed)
    texts = utterances()
    rng.shuffle(texts)
    finished, cut = [], []
    for text in texts:
        zh = has_han(text)
        core = _FINAL.sub("", text)
        if not core:
            continue
        finished.append(_closed(core, zh, rng))
        words = _words(core, zh)
        cuts = [i for i in range(1, len(words)) if not _MARK_END.search(words[i - 1])]
        if len(words) >= 3 and cuts:
            i = rng.choice(cuts)
            cut.append(_closed(("" if zh else " ").join(words[:i]), zh, rng))
    finished = [t for t in finished if ending(t) in _LEFT_OPEN]
    cut = [t for t in cut if ending(t) in _LEFT_OPEN]
    n = min(len(finished), len(cut))
    return finished[:n] + cut[:n], [1] * n + [0] * n


def fit(x: npt.NDArray[np.float32], y: npt.NDArray[np.int64]) -> EotHead:
    mean = x.mean(axis=0).astype(np.float32)
    z = (x - mean) * SCALE
    w, b = np.zeros(x.shape[1]), 0.0
    for _ in range(STEPS):
        p = 1.0 / (1.0 + np.exp(-(z @ w + b)))
        g = p - y
        w -= RATE * (z.T @ g / len(y) + L2 * w)
        b -= RATE * float(g.mean())
    return EotHead(w.astype(np.float32), b, mean, SCALE)


def train(seed: int = 0) -> tuple[EotHead, float]:
    """The head on all examples, and its accuracy when a fifth is held back."""
    texts, labels = examples(seed)
    encoder = CachingEncoder(default_encoder(), cache_dir() / "eot_embeddings.npz")
    x = np.concatenate([encoder(texts[i:i + 64]) for i in range(0, len(texts), 64)])
    y = np.array(labels, dtype=np.int64)
    order = np.random.default_rng(seed).permutation(len(y))
    x, y = x[order], y[order]
    cut = int((1 - HELD_BACK) * len(y))
    check = fit(x[:cut], y[:cut])
    accuracy = float(((check.probability(x[cut:]) > 0.5) == y[cut:]).mean())
    return fit(x, y), accuracy


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Train the end-of-turn head.")
    parser.add_argument("--out", type=Path, default=Path(__file__).with_name("data") / HEAD_FILE)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    head, accuracy = train(args.seed)
    head.save(args.out)
    print(f"wrote {args.out}; accuracy on a fifth held back: {accuracy:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
