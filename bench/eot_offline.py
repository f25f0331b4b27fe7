"""Two end-of-turn heads side by side, offline (no server, no audio).

    .venv/bin/python bench/eot_offline.py --head NEW.npz [--base OLD.npz] [--cost]

1. The training examples' held-back fifth, with the first head's examples (one random cut per
   utterance, cuts shorter than wholes) and length-matched ones (`eot_train --matched`): each
   head's way of training fitted without that fifth, its accuracy at 0.5, and how its readings
   fall against the thresholds (finished > FINISHED, cut < UNFINISHED, and the harmful sides: a
   cut > FINISHED, a whole < UNFINISHED); beside them, what length alone tells (a threshold per
   language chosen on the training part).
2. The spent duplex pause sets' texts (sets 1-4, never the fifth): first halves and whole
   utterances, each with and without a closing 。/., and the complete-turn rows; only forms the
   rules leave open (the head is asked about nothing else). Per head: how many read below
   UNFINISHED, in between, above FINISHED.
3. `--cost`: the reading's time in process (e5 + the head, safety's form in the same batch).
"""

from __future__ import annotations

import argparse
import re
import statistics
import time
from pathlib import Path

import numpy as np

from duplex.clips import load
from lingxi.session.end_of_turn import ending
from lingxi.session.eot_head import FINISHED, UNFINISHED, EotHead
from lingxi.session.eot_train import encode, held_back, length, train
from lingxi.text import has_han

SPENT = re.compile(r"^(zh|en)-(pause|turn)4?-")  # sets 1-4; the fifth is `*5-`
_END = re.compile(r"[，,。.!！?？…\s]+$")


def spent_texts() -> dict[str, list[str]]:
    """The spent pause sets' first halves and wholes, and their turn rows, as a recogniser may
    write them at the pause (closed by a full stop or not), where the rules leave them open."""
    out: dict[str, list[str]] = {"first half": [], "whole (pause row)": [], "turn row": []}
    for clip in load():
        if not SPENT.match(clip.id):
            continue
        stop = "。" if clip.lang == "zh" else "."
        if clip.kind == "pause":
            first, rest = clip.text.split("|")
            joiner = "" if clip.lang == "zh" else " "
            forms = {"first half": _END.sub("", first),
                     "whole (pause row)": _END.sub("", first.rstrip() + joiner + rest)}
        else:
            forms = {"turn row": _END.sub("", clip.text)}
        for kind, core in forms.items():
            out[kind] += [t for t in (core + stop, core) if ending(t) in ("bare", "open")]
    return out


def _length_only(texts: list[str], labels: list[int], n: int) -> float:
    right = 0
    for zh in (True, False):
        train_part = [(length(t), y) for t, y in zip(texts[:n], labels[:n], strict=True)
                      if has_han(t) == zh]
        cut = max(range(1, 61), key=lambda k: sum((n_ >= k) == y for n_, y in train_part))
        right += sum((length(t) >= cut) == y
                     for t, y in zip(texts[n:], labels[n:], strict=True) if has_han(t) == zh)
    return right / (len(labels) - n)


def held_back_table(seed: int) -> None:
    checks = {"first head's way (unmatched)": train(seed, matched=False)[1],
              "length-matched": train(seed, matched=True)[1]}
    print("| held-back fifth of | trained | accuracy | whole > hi | cut < lo | cut > hi "
          "| whole < lo | length alone |")
    print("|---|---|---|---|---|---|---|---|")
    for matched in (False, True):
        texts, labels, n = held_back(seed, matched)
        p_all = {name: check.probability(encode(texts[n:])) for name, check in checks.items()}
        y = np.array(labels[n:])
        for name, p in p_all.items():
            print(f"| {'matched' if matched else 'unmatched'} examples ({len(y)}) | {name} "
                  f"| {((p > 0.5) == y).mean():.3f} | {(p[y == 1] > FINISHED).mean():.2f} "
                  f"| {(p[y == 0] < UNFINISHED).mean():.2f} | {(p[y == 0] > FINISHED).mean():.2f}"
                  f" | {(p[y == 1] < UNFINISHED).mean():.2f} "
                  f"| {_length_only(texts, labels, n):.3f} |")


def spent_table(heads: dict[str, EotHead], show: bool) -> None:
    groups = spent_texts()
    print("\n| spent sets 1-4, rules leave open | head | n | < lo | between | > hi |")
    print("|---|---|---|---|---|---|")
    readings: dict[tuple[str, str], np.ndarray] = {}
    for kind, texts in groups.items():
        x = encode(texts)
        for name, head in heads.items():
            p = head.probability(x)
            readings[kind, name] = p
            print(f"| {kind} | {name} | {len(p)} | {(p < UNFINISHED).sum()} "
                  f"| {((p >= UNFINISHED) & (p <= FINISHED)).sum()} | {(p > FINISHED).sum()} |")
    base, new = list(heads)
    for kind, texts in groups.items():
        old_p, new_p = readings[kind, base], readings[kind, new]
        up = [t for t, a, b in zip(texts, old_p, new_p, strict=True) if b > FINISHED >= a]
        down = [t for t, a, b in zip(texts, old_p, new_p, strict=True) if a > FINISHED >= b]
        lo_in = [t for t, a, b in zip(texts, old_p, new_p, strict=True) if b < UNFINISHED <= a]
        lo_out = [t for t, a, b in zip(texts, old_p, new_p, strict=True) if a < UNFINISHED <= b]
        print(f"{kind}: to > {FINISHED} {len(up)}, from > {FINISHED} {len(down)}, "
              f"to < {UNFINISHED} {len(lo_in)}, from < {UNFINISHED} {len(lo_out)}")
        if show:
            for t, a, b in zip(texts, old_p, new_p, strict=True):
                print(f"   {a:.2f} -> {b:.2f}  {t}")


def cost(head: EotHead) -> None:
    from lingxi.assemble import shared_vectors
    from lingxi.safety.assess import default_assessor
    from lingxi.session.eot_head import FinishedReader

    texts = [t for group in spent_texts().values() for t in group]
    reader = FinishedReader(head, shared_vectors(), ahead=default_assessor().normalise)
    reader.finished("warm up")
    took = []
    for t in texts:
        start = time.perf_counter()
        reader.finished(t)
        took.append((time.perf_counter() - start) * 1000)
    took.sort()
    print(f"\nreading cost over {len(took)} texts: p50 {statistics.median(took):.1f} ms, "
          f"p95 {took[int(0.95 * len(took))]:.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--head", type=Path, required=True)
    parser.add_argument("--base", type=Path, default=None, help="default: the shipped head")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--show", action="store_true", help="every spent text's readings")
    parser.add_argument("--cost", action="store_true")
    parser.add_argument("--no-held-back", action="store_true", help="skip part 1 (it fits twice)")
    args = parser.parse_args()
    heads = {"base": EotHead.load(args.base), "new": EotHead.load(args.head)}
    if not args.no_held_back:
        held_back_table(args.seed)
    spent_table(heads, args.show)
    if args.cost:
        cost(heads["new"])


if __name__ == "__main__":
    main()
