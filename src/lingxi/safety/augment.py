"""Training-data augmentation: paraphrase templates and speech-recogniser noise.

Templates (`data/risk/templates.toml`) expand slot combinations into new lines of a kind.
Noise turns a written line into what a recogniser might hand over: no punctuation, fillers
(嗯, 那个, "um", "like"), Traditional characters (Whisper often writes them), contractions
without apostrophes ("im", "dont"). Everything is seeded, so training is reproducible.
"""

from __future__ import annotations

import itertools
import random
import re
import string
import tomllib
from pathlib import Path

from lingxi.safety.data import DATA_DIR, NORMALISE_FILE, load_normalise
from lingxi.safety.levels import Level
from lingxi.safety.riskdata import RISK_DIR, Example
from lingxi.text import has_han

TEMPLATE_FILE = RISK_DIR / "templates.toml"
_SLOT = re.compile(r"\{(\w+)\}")
_PUNCT = re.compile(r"[，。！？、；：…,.!?;:]+")
_ZH_FILLERS = ("嗯", "那个", "就是", "呃", "然后")
_KEEP = frozenset("了吃着么里面干只台后发系制")
_EN_FILLERS = ("um", "like", "you know", "uh", "so")


def expand_templates(path: Path = TEMPLATE_FILE, seed: int = 15) -> list[Example]:
    """Every template's lines (a seeded sample of at most its `max`)."""
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    rng = random.Random(seed)
    out: list[Example] = []
    for table in raw["template"]:
        level, kind, slots = Level.parse(table["level"]), table["kind"], table["slots"]
        lines: set[str] = set()
        for pattern in table["patterns"]:
            names = list(dict.fromkeys(_SLOT.findall(pattern)))
            for values in itertools.product(*(slots[name] for name in names)):
                filled = pattern
                for name, value in zip(names, values, strict=True):
                    filled = filled.replace("{" + name + "}", value)
                lines.add(filled.strip())
        chosen = sorted(lines)
        rng.shuffle(chosen)
        out.extend(Example(level, kind, line) for line in chosen[: int(table["max"])])
    return out


def _to_traditional() -> dict[int, str]:
    """Simplified → Traditional for the characters with one Traditional form only (了 is
    also 瞭, 吃 also 喫: a recogniser writes the common form, so those stay as they are)."""
    sources: dict[str, list[int]] = {}
    for trad, simple in load_normalise(DATA_DIR / NORMALISE_FILE).traditional.items():
        if len(simple) == 1:
            sources.setdefault(simple, []).append(trad)
    return {ord(simple): chr(trads[0]) for simple, trads in sources.items()
            if len(trads) == 1 and simple not in _KEEP}


class Noiser:
    """Seeded recogniser-style variants of a line."""

    def __init__(self, seed: int = 15) -> None:
        self._rng = random.Random(seed)
        self._traditional = _to_traditional()

    def variants(self, text: str, count: int = 2) -> list[str]:
        makers = ([self._asr_zh, self._traditional_script] if has_han(text)
                  else [self._asr_en, self._lower_plain])
        out = [maker(text) for maker in self._rng.sample(makers, k=min(count, len(makers)))]
        return [line for line in dict.fromkeys(out) if line and line != text]

    def _asr_zh(self, text: str) -> str:
        clauses = [c for c in _PUNCT.split(text) if c]
        if self._rng.random() < 0.6:
            at = self._rng.randrange(len(clauses) + 1)
            clauses.insert(at, self._rng.choice(_ZH_FILLERS))
        joiner = self._rng.choice(["", " "])
        return joiner.join(clauses)

    def _traditional_script(self, text: str) -> str:
        return text.translate(self._traditional)

    def _asr_en(self, text: str) -> str:
        words = _PUNCT.sub(" ", text.lower()).replace("'", "").split()
        if words and self._rng.random() < 0.7:
            words.insert(self._rng.randrange(len(words) + 1), self._rng.choice(_EN_FILLERS))
        return " ".join(words)

    def _lower_plain(self, text: str) -> str:
        return text.lower().translate(str.maketrans("", "", string.punctuation)).strip()
