"""The pocketsphinx decoder (its en-us model, the CMU dictionary, a free phone loop), the
dictionary read without one, and what the phone loop heard over a stretch of frames."""

from __future__ import annotations

import concurrent.futures
import functools
import os
from typing import Any

BUILDER = concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="lingxi-sphinx")


# The wide beams (`new_decoder`): the wrong-text alignments must finish, however badly they fit.
WIDE_BEAMS = {"beam": 1e-200, "wbeam": 1e-200, "pbeam": 1e-200}


def new_decoder(wide: bool = True) -> Any:
    """The decoder with the wide beams, or (`wide` False) with pocketsphinx's own: the scorer's
    second try at an attempt the wide beams found no alignment of (round 32 in
    docs/pronunciation.md: on those the first pass ends words short of the text on every
    padding, where pocketsphinx's own beams reach its end)."""
    from pocketsphinx import Decoder, get_model_path

    model = get_model_path()
    # Batch CMN: each decode normalises by its own audio; the default (live) carries
    # the estimate over from the decodes before, so a score would depend on history.
    beams: dict[str, float] = WIDE_BEAMS if wide else {}
    decoder = Decoder(
        hmm=os.path.join(model, "en-us", "en-us"),
        dict=os.path.join(model, "en-us", "cmudict-en-us.dict"), lm=None,
        cmn="batch", loglevel="FATAL", **beams)
    decoder.add_allphone_file("phone_loop", os.path.join(model, "en-us", "en-us-phone.lm.bin"))
    return decoder


@functools.cache
def lexicon() -> dict[str, tuple[str, ...]]:
    """The CMU dictionary that ships with pocketsphinx (its first pronunciation of each word,
    as the alignment uses it), read once; lookups need no decoder and no lock."""
    from pocketsphinx import get_model_path

    words: dict[str, tuple[str, ...]] = {}
    path = os.path.join(get_model_path(), "en-us", "cmudict-en-us.dict")
    with open(path, encoding="utf-8") as f:
        for entry in f:
            word, _, phones = entry.strip().partition(" ")
            if word and "(" not in word:
                words.setdefault(word, tuple(phones.split()))
    return words


def _overlap(a: int, n: int, b: int, m: int) -> int:
    return max(0, min(a + n, b + m) - max(a, b))


def loop_score(loop: list[tuple[str, int, int, float]], start: int, frames: int) -> float:
    """The phone loop's score over these frames (a share of each phone it overlaps)."""
    return sum(score * _overlap(start, frames, s, n) / n for _, s, n, score in loop)


def loop_phone(loop: list[tuple[str, int, int, float]], start: int, frames: int) -> str:
    """What the phone loop heard over most of these frames ("" for silence: nothing said)."""
    best = max(loop, key=lambda seg: _overlap(start, frames, seg[1], seg[2]), default=None)
    if best is None or best[0] in ("SIL", "+NSN+", "+SPN+"):
        return ""
    return best[0]

