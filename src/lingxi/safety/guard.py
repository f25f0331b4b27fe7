"""The output guard (a reply never encourages self-harm or gives methods) and the
AI-disclosure duty ("你是真人吗" is always answered truthfully). Data: `data/guard.toml`."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

from lingxi.safety.assess import default_assessor
from lingxi.safety.data import DATA_DIR, SafetyDataError, read_toml
from lingxi.safety.levels import Level

GUARD_FILE = "guard.toml"


@dataclass(frozen=True, slots=True)
class Guard:
    blocks: tuple[tuple[str, re.Pattern[str]], ...]  # (code, pattern)
    asks_zh: re.Pattern[str]
    asks_en: re.Pattern[str]
    reply_zh: str
    reply_en: str
    exit_asks: re.Pattern[str]
    goodbye: dict[str, str]  # keys: zh, en, crisis_zh, crisis_en

    def blocked(self, clause: str) -> str | None:
        """The code of the first block rule the clause breaks, or None if it may be said.

        Anything the risk assessor would rate `plan` or worse (methods, doses, timing) is
        blocked too, so the guard does not rely on its own list alone.
        """
        assessor = default_assessor()
        text = assessor.normalise(clause)
        for code, pattern in self.blocks:
            if pattern.search(text):
                return code
        if assessor.assess(clause).level >= Level.PLAN:
            return "guard.assessed_plan"
        return None

    def wants_to_leave(self, user_text: str) -> bool:
        return bool(self.exit_asks.search(default_assessor().normalise(user_text)))

    def disclosure(self, user_text: str) -> str | None:
        """The truthful answer if the person asks whether they are talking to a human."""
        text = default_assessor().normalise(user_text)
        if self.asks_zh.search(text):
            return self.reply_zh
        if self.asks_en.search(text):
            return self.reply_en
        return None


def _compile(path: Path, where: str, sources: object) -> re.Pattern[str]:
    if not isinstance(sources, list) or not sources or not all(
            isinstance(s, str) for s in sources):
        raise SafetyDataError(f"{path}: {where} must be a non-empty list of patterns")
    try:
        return re.compile("|".join(f"(?:{s})" for s in sources), re.IGNORECASE)
    except re.error as exc:
        raise SafetyDataError(f"{path}: {where}: a pattern does not compile: {exc}") from exc


def load_guard(path: Path | None = None) -> Guard:
    path = path or DATA_DIR / GUARD_FILE
    document = read_toml(path)
    blocks = []
    for n, entry in enumerate(document.get("block", [])):
        if not isinstance(entry, dict) or not isinstance(entry.get("code"), str):
            raise SafetyDataError(f"{path}: block {n} needs a 'code'")
        blocks.append((entry["code"], _compile(path, f"block {entry['code']}",
                                               entry.get("patterns"))))
    if not blocks:
        raise SafetyDataError(f"{path}: no [[block]] tables")
    disclosure = document.get("disclosure")
    if not isinstance(disclosure, dict):
        raise SafetyDataError(f"{path}: a [disclosure] table is required")
    replies = [disclosure.get(k) for k in ("reply_zh", "reply_en")]
    if not all(isinstance(r, str) and r.strip() for r in replies):
        raise SafetyDataError(f"{path}: [disclosure] needs reply_zh and reply_en")
    leave = document.get("exit")
    keys = ("reply_zh", "reply_en", "crisis_zh", "crisis_en")
    if not isinstance(leave, dict) or not all(
            isinstance(leave.get(k), str) and leave[k].strip() for k in keys):
        raise SafetyDataError(f"{path}: an [exit] table with {', '.join(keys)} is required")
    exit_asks = _compile(path, "exit", [*leave.get("zh", []), *leave.get("en", [])])
    goodbye = {"zh": leave["reply_zh"], "en": leave["reply_en"],
               "crisis_zh": leave["crisis_zh"], "crisis_en": leave["crisis_en"]}
    return Guard(tuple(blocks), _compile(path, "disclosure.zh", disclosure.get("zh")),
                 _compile(path, "disclosure.en", disclosure.get("en")),
                 str(replies[0]), str(replies[1]), exit_asks, goodbye)


@functools.cache
def default_guard() -> Guard:
    return load_guard()
