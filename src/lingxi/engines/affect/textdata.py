"""Labelled text-emotion lines: `label<TAB>line` files (the training lines here, the bench
sets in bench/data/affect) and the paraphrase templates (`data/text_templates.toml`)."""

from __future__ import annotations

import itertools
import random
import re
import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from lingxi.engines.affect.learned import LABELS

_SLOT = re.compile(r"\{(\w+)\}")


@dataclass(frozen=True, slots=True)
class Line:
    label: str
    text: str


def data_path(name: str) -> Path:
    return Path(str(resources.files("lingxi.engines.affect").joinpath("data", name)))


def read_lines(path: Path) -> list[Line]:
    """Every `label<TAB>line` row; `#` starts a comment line."""
    out = []
    for number, row in enumerate(path.read_text("utf-8").splitlines(), 1):
        if not row.strip() or row.startswith("#"):
            continue
        label, sep, text = row.partition("\t")
        if not sep or label not in LABELS or not text.strip():
            raise ValueError(f"{path.name}:{number}: expected 'label<TAB>line', a label of "
                             f"{', '.join(LABELS)}")
        out.append(Line(label, text.strip()))
    return out


def expand_templates(path: Path | None = None, seed: int = 19) -> list[Line]:
    """Every template's lines: each slot combination, a seeded sample of at most its `max`.
    (The same expansion as lingxi.safety.augment.expand_templates, which is tied to risk
    levels.)"""
    raw = tomllib.loads((path or data_path("text_templates.toml")).read_text("utf-8"))
    rng = random.Random(seed)
    out: list[Line] = []
    for table in raw["template"]:
        lines: set[str] = set()
        for pattern in table["patterns"]:
            names = list(dict.fromkeys(_SLOT.findall(pattern)))
            for values in itertools.product(*(table["slots"][name] for name in names)):
                filled = pattern
                for name, value in zip(names, values, strict=True):
                    filled = filled.replace("{" + name + "}", value)
                lines.add(filled.strip())
        chosen = sorted(lines)
        rng.shuffle(chosen)
        out.extend(Line(table["label"], line) for line in chosen[: int(table["max"])])
    return out


def training_lines() -> tuple[list[Line], list[Line]]:
    """The hand-written training lines and the templated ones."""
    return read_lines(data_path("text_train.tsv")), expand_templates()
