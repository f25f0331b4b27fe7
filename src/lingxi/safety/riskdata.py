"""Labelled risk utterances: the one line format of the training files and the held-out set.

```
# a comment
plan | overdose | 我手上有四十片思诺思
@c01 passive | context | 我觉得活着真的没意思     ← turn 1 of call c01
@c01 plan | context | 哪座桥最高                  ← turn 2: the call's level after it
```

A line is `level | kind | text`, optionally prefixed by `@CALL ` for a turn of a multi-turn
call (turns of one call are read in file order). A lone line is a call of one turn. The label
of a call's turn is the call's level after that turn, read in the light of the earlier turns.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from lingxi.safety.levels import Level
from lingxi.text import has_han

RISK_DIR = Path(__file__).with_name("data") / "risk"
TRAIN_FILES: tuple[str, ...] = ("train_high.txt", "train_low.txt", "train_more.txt",
                               "train_calls.txt", "train_v3_high.txt", "train_v3_low.txt",
                               "train_v3_calls.txt", "train_v4.txt",
                               "train_everyday.txt", "train_v5.txt")


def spent_file(number: int) -> str:
    """The training copy of the spent held-out set risk_heldoutN (N = 1: risk_heldout.txt)."""
    return f"train_spent_h{number}.txt"


def everyday_file(number: int) -> str:
    """The training copy of the spent everyday check set risk_everydayN."""
    return f"train_everyday_h{number}.txt"


# The spent held-out sets (bench/data/risk_heldout.txt, risk_heldout2..28.txt), copied with
# their call ids qualified by the set's name: training data of the e5 heads (the first nine
# since round 14, bench/risk14_rule.md; the tenth to fourteenth since round 22,
# bench/risk22_rule.md; the fifteenth to eighteenth since round 26, bench/risk26_rule.md; the
# nineteenth and twentieth since round 28, bench/risk28_rule.md; the twenty-first and
# twenty-second since round 30, bench/risk30_rule.md; the twenty-third and twenty-fourth since
# round 32, bench/risk32_rule.md; the twenty-fifth since round 34, bench/risk34_rule.md; the
# twenty-sixth since round 35, bench/risk35_rule.md; the twenty-seventh and twenty-eighth since
# round 37, bench/risk37_rule.md, copied by lingxi.safety.spend); the EmbeddingGemma heads were not
# retrained on them.
SPENT_FILES: tuple[str, ...] = tuple(spent_file(n) for n in range(1, 29))
# Harmless lines that look like preparation (chores, plans with dates, giving things away,
# paperwork, aches, sleep, goodbyes): with the spent sets' preparation lines the e5 heads began
# to read tidying a room as a plan (round 17); these teach the contrast (round 18), with the
# spent everyday check sets (bench/data/risk_everyday2..17.txt; rounds 22, 26, 28, 30, 32, 34,
# 35 and 37), copied unchanged, and companion talk — relationships, longing, musing, half plans
# (round 28).
LOOKALIKE_FILES: tuple[str, ...] = ("train_v9.txt",
                                    *(everyday_file(n) for n in range(2, 18)),
                                    "train_v11.txt")
# Written Cantonese at every level and its look-alikes, and date questions in calls (round 26).
CANTONESE_FILES: tuple[str, ...] = ("train_v10.txt",)
# The kinds check 29 missed or raised, in new words (round 30), and rounds 30-31 (round 32);
# calm calls that begin tired and harmless counterparts of round 32's kinds (round 34); the
# kinds round 34 missed or raised (round 35); the kinds round 35's heads and round 36's rules
# missed or raised (round 37).
KINDS_FILES: tuple[str, ...] = ("train_v12.txt", "train_v13.txt", "train_v14.txt",
                                "train_v15.txt", "train_v16.txt")
# The second e5 ensemble's data (R13b, trained in round 45, its passive bars set in round 47;
# shipped beside R11 in round 49, bench/risk49_rule.md): all of the above, and the spent
# heldout29-35 and everyday18-24 (copied as written) and the kinds rounds 37-44 left
# (train_v17/v18), in the order it was trained on.
SECOND_FILES: tuple[str, ...] = (
    *TRAIN_FILES, *SPENT_FILES, *(spent_file(n) for n in range(29, 36)),
    *LOOKALIKE_FILES[:-1], *(everyday_file(n) for n in range(18, 25)), LOOKALIKE_FILES[-1],
    *CANTONESE_FILES, *KINDS_FILES, "train_v17.txt", "train_v18.txt")
# The third e5 ensemble's data (R16, round 78, bench/risk78_rule.md): only sets written by fresh
# hands to the labelling guide, as written — no line of the lead's, no template, no recogniser
# noise. It trains on the spent heldout36-93 and everyday25-82 (heldout66 and everyday55 are kept
# back, unscored) and fits its temperature, gate and passive bar on the later spent heldout94-102
# and everyday83-91, which it never trains on (`THIRD_DEV_FILES`): out-of-fold predictions of the
# lead's own calls had set the other ensembles' bars, on text unlike what callers say.
THIRD_FILES: tuple[str, ...] = (*(spent_file(n) for n in range(36, 94) if n != 66),
                                *(everyday_file(n) for n in range(25, 83) if n != 55))
THIRD_DEV_FILES: tuple[str, ...] = (*(spent_file(n) for n in range(94, 103)),
                                    *(everyday_file(n) for n in range(83, 92)))
# The fourth (R17, round 79, bench/risk79_rule.md): the same recipe on more of those sets — the
# spent heldout36-102 and everyday25-91, R16's training and development sets together — its bars
# fitted on the spent heldout103-108 and everyday92-97, which it never trains on.
FOURTH_FILES: tuple[str, ...] = (*THIRD_FILES, *THIRD_DEV_FILES)
FOURTH_DEV_FILES: tuple[str, ...] = (*(spent_file(n) for n in range(103, 109)),
                                     *(everyday_file(n) for n in range(92, 98)))
# The lexical reader's data since round 109 (bench/risk109_rule.md): R17's sets and the spent
# heldout109-180 and everyday98-169, its bars fitted on the spent heldout181-189 and
# everyday170-178, which it never trains on. The e5 heads do not read these copies.
LEXICAL_FILES: tuple[str, ...] = (*FOURTH_FILES, *FOURTH_DEV_FILES,
                                  *(spent_file(n) for n in range(109, 181)),
                                  *(everyday_file(n) for n in range(98, 170)))
LEXICAL_DEV_FILES: tuple[str, ...] = (*(spent_file(n) for n in range(181, 190)),
                                      *(everyday_file(n) for n in range(170, 179)))
# Each such ensemble's training files and development files.
SETS_FILES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "e5c": (THIRD_FILES, THIRD_DEV_FILES), "e5d": (FOURTH_FILES, FOURTH_DEV_FILES)}
# The training files of each ensemble of heads, by name ("e5b": the second e5 ensemble; "e5c" and
# "e5d": the third and fourth, whose development files are listed after their training files), and
# of the lexical reader ("lexical", for its data digest and the held-out guard; no head reads it).
ENCODER_TRAIN_FILES: dict[str, tuple[str, ...]] = {"e5": (*TRAIN_FILES, *SPENT_FILES,
                                                          *LOOKALIKE_FILES, *CANTONESE_FILES,
                                                          *KINDS_FILES),
                                                   "e5b": SECOND_FILES,
                                                   "e5c": (*THIRD_FILES, *THIRD_DEV_FILES),
                                                   "e5d": (*FOURTH_FILES, *FOURTH_DEV_FILES),
                                                   "lexical": (*LEXICAL_FILES,
                                                               *LEXICAL_DEV_FILES),
                                                   "gemma": TRAIN_FILES}


@dataclass(frozen=True, slots=True)
class Example:
    """One labelled turn; `call` is None for a lone utterance."""

    level: Level
    kind: str
    text: str
    call: str | None = None

    @property
    def lang(self) -> str:
        return "zh" if has_han(self.text) else "en"


def parse_line(line: str, where: str = "") -> Example | None:
    """An example from one line of the format, or None for a blank line or comment."""
    line = line.strip()
    if not line or line.startswith("#"):
        return None
    call = None
    if line.startswith("@"):
        call, _, line = line[1:].partition(" ")
    parts = [part.strip() for part in line.split("|", 2)]
    if len(parts) != 3 or not parts[2]:
        raise ValueError(f"{where}: expected 'level | kind | text'")
    return Example(Level.parse(parts[0]), parts[1], parts[2], call)


def read_examples(path: Path) -> list[Example]:
    """Every example in `path`, in file order."""
    found = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        example = parse_line(line, f"{path}:{number}")
        if example is not None:
            found.append(example)
    return found


def read_training(folder: Path = RISK_DIR, files: Sequence[str] = TRAIN_FILES
                  ) -> list[Example]:
    return [example for name in files for example in read_examples(folder / name)]


def conversations(examples: Iterable[Example]) -> list[list[Example]]:
    """Each lone utterance as a call of one turn; each call's turns together, in order."""
    groups: list[list[Example]] = []
    calls: dict[str, list[Example]] = {}
    for example in examples:
        if example.call is None:
            groups.append([example])
        elif example.call in calls:
            calls[example.call].append(example)
        else:
            calls[example.call] = [example]
            groups.append(calls[example.call])
    return groups


def with_context(call: Sequence[Example]) -> list[tuple[Example, tuple[str, ...]]]:
    """Each turn of a call with the texts of the turns before it."""
    return [(turn, tuple(t.text for t in call[:index])) for index, turn in enumerate(call)]
