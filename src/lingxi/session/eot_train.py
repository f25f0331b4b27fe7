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
_NOT_WORD = re.compile(r"[\W_]+")
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


def length(text: str) -> int:
    """How long the words are: Han characters for Mandarin, words for English."""
    core = _FINAL.sub("", text)
    return len(_NOT_WORD.sub("", core)) if has_han(core) else len(core.split())


def _bin(n: int) -> int:
    """Length bins: exact up to 12, then 3 wide (long ones are few on either side)."""
    return n if n <= 12 else 12 + (n - 12) // 3


def examples(seed: int = 0, matched: bool = False) -> tuple[list[str], list[int]]:
    """Balanced finished (1) and cut (0) examples of the kinds the rules leave open.

    `matched`: per language and length bin, as many cut examples as finished
    ones, so that length (cuts are shorter than wholes) and language tell the head nothing; a
    short whole is paired with a cut of a longer utterance. Otherwise: one cut per utterance
    at a random word boundary, as many of each label overall (the shipped head's examples; the
    matched head, data/eot_head_matched.npz, did not ship: bench/README.md)."""
    rng = random.Random(seed)
    texts = utterances()
    rng.shuffle(texts)
    finished: list[str] = []
    cuts: list[list[str]] = []  # per utterance, every cut the rules leave open
    for text in texts:
        zh = has_han(text)
        core = _FINAL.sub("", text)
        if not core:
            continue
        finished.append(_closed(core, zh, rng))
        words = _words(core, zh)
        at = [i for i in range(1, len(words)) if not _MARK_END.search(words[i - 1])]
        if len(words) < 3 or not at:
            continue
        if not matched:
            at = [rng.choice(at)]
        joiner = "" if zh else " "
        cuts.append([t for t in (_closed(joiner.join(words[:i]), zh, rng) for i in at)
                     if ending(t) in _LEFT_OPEN])
    finished = [t for t in finished if ending(t) in _LEFT_OPEN]
    if not matched:
        cut = [c[0] for c in cuts if c]
        n = min(len(finished), len(cut))
        return finished[:n] + cut[:n], [1] * n + [0] * n
    return _matched(finished, cuts, rng)


def _matched(finished: list[str], cuts: list[list[str]],
             rng: random.Random) -> tuple[list[str], list[int]]:
    """Per language and length bin, n finished and n cuts (each of another utterance, one
    per utterance), n the fewer of the two; the longest bins first, since only long
    utterances have long cuts."""
    wholes: dict[tuple[bool, int], list[str]] = {}
    for t in finished:
        wholes.setdefault((has_han(t), _bin(length(t))), []).append(t)
    offers: dict[tuple[bool, int], list[tuple[int, str]]] = {}
    for u, options in enumerate(cuts):
        for t in options:
            offers.setdefault((has_han(t), _bin(length(t))), []).append((u, t))
    used: set[int] = set()
    kept_whole: list[str] = []
    kept_cut: list[str] = []
    for key in sorted(wholes, key=lambda k: (k[0], -k[1])):
        free = [(u, t) for u, t in offers.get(key, []) if u not in used]
        rng.shuffle(free)
        picked: dict[int, str] = {}
        for u, t in free:
            picked.setdefault(u, t)
        n = min(len(wholes[key]), len(picked))
        chosen = list(picked.items())[:n]
        used.update(u for u, _ in chosen)
        kept_cut += [t for _, t in chosen]
        kept_whole += rng.sample(wholes[key], n)
    return kept_whole + kept_cut, [1] * len(kept_whole) + [0] * len(kept_cut)


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


def encode(texts: Sequence[str]) -> npt.NDArray[np.float32]:
    encoder = CachingEncoder(default_encoder(), cache_dir() / "eot_embeddings.npz")
    return np.concatenate([encoder(texts[i:i + 64]) for i in range(0, len(texts), 64)])


def held_back(seed: int = 0, matched: bool = False) -> tuple[list[str], list[int], int]:
    """The examples in the order training splits them: the first `n` train, the rest (a
    fifth) are held back."""
    texts, labels = examples(seed, matched)
    order = np.random.default_rng(seed).permutation(len(labels))
    return ([texts[i] for i in order], [labels[i] for i in order],
            int((1 - HELD_BACK) * len(labels)))


def train(seed: int = 0, matched: bool = False) -> tuple[EotHead, EotHead, float]:
    """The head on all examples; the same fitted without the held-back fifth, and its
    accuracy there."""
    texts, labels, n = held_back(seed, matched)
    x = encode(texts)
    y = np.array(labels, dtype=np.int64)
    check = fit(x[:n], y[:n])
    accuracy = float(((check.probability(x[n:]) > 0.5) == y[n:]).mean())
    return fit(x, y), check, accuracy


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Train the end-of-turn head.")
    parser.add_argument("--out", type=Path, default=Path(__file__).with_name("data") / HEAD_FILE)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--matched", action="store_true",
                        help="cuts matched to wholes in length per language (the candidate "
                             "data/eot_head_matched.npz, which did not ship)")
    args = parser.parse_args(argv)
    head, _, accuracy = train(args.seed, matched=args.matched)
    head.save(args.out)
    print(f"wrote {args.out}; accuracy on a fifth held back: {accuracy:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
