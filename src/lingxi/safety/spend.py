"""Copy a spent held-out or everyday risk set into the e5 heads' training data.

Once a round has scored a set it is spent: it becomes training data for a later head, its
lines, labels and order unchanged. Every set numbers its calls from the start, so each call id
is qualified by the set's name (`@m01` in risk_heldout27.txt becomes `@risk_heldout27:m01`);
a preface says which round copied it, and the set's own header follows.

    python -m lingxi.safety.spend bench/data/risk_heldout27.txt --round 37 --by "the lead"

writes `train_spent_h27.txt` (an everyday set: `train_everyday_h16.txt`) beside the other
training files. Listing it in `riskdata` (SPENT_FILES, LOOKALIKE_FILES) is left to the round.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from lingxi.safety.riskdata import RISK_DIR, everyday_file, parse_line, spent_file

_SET_NAME = re.compile(r"^risk_(heldout|everyday)(\d+)$")


def training_name(set_path: Path) -> str:
    """The training file a spent set is copied to: risk_heldoutN → train_spent_hN.txt,
    risk_everydayN → train_everyday_hN.txt."""
    m = _SET_NAME.match(set_path.stem)
    if m is None:
        raise ValueError(f"{set_path.name}: not a numbered risk_heldoutN or risk_everydayN set")
    kind, number = m.groups()
    return spent_file(int(number)) if kind == "heldout" else everyday_file(int(number))


def spent_copy(text: str, set_name: str, preface: str) -> str:
    """The set's text with its call ids qualified by `set_name`, after `preface` (comment
    lines); comments and lone lines are kept as they are."""
    lines = [f"# {line}" if line else "#" for line in preface.splitlines()]
    for line in text.splitlines():
        if line.startswith("@"):
            line = f"@{set_name}:{line[1:]}"
        lines.append(line)
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("set", type=Path, help="bench/data/risk_heldoutN.txt or risk_everydayN.txt")
    parser.add_argument("--round", type=int, required=True, help="the round that copies it")
    parser.add_argument("--by", default="the lead")
    parser.add_argument("--out-dir", type=Path, default=RISK_DIR)
    args = parser.parse_args(argv)
    out = args.out_dir / training_name(args.set)
    if out.exists():
        raise SystemExit(f"{out} exists: a spent set is copied once")
    kind = "held-out" if "heldout" in args.set.stem else "everyday check"
    preface = (f"Round {args.round} (issue 15, {args.by}): bench/data/{args.set.name}, a spent "
               f"{kind} set,\ncopied as training data of the e5 heads. Lines, labels and order "
               "are unchanged; each call\nid is qualified by the set's name "
               f"({args.set.stem}:ID). The set's own header follows.")
    text = args.set.read_text("utf-8")
    copy = spent_copy(text, args.set.stem, preface)
    copied, original = _turns(copy), _turns(text)
    if copied != original:
        raise SystemExit(f"{out}: the copy would not read as the set; nothing written")
    out.write_text(copy, "utf-8")
    print(f"{out}: {len(copied)} turns")


def _turns(text: str) -> list[tuple[int, str, str]]:
    """Each turn's level, kind and text, in order: what a copy must keep."""
    examples = (parse_line(line) for line in text.splitlines())
    return [(int(e.level), e.kind, e.text) for e in examples if e is not None]


if __name__ == "__main__":
    main()
