"""Is the caller done? The words heard so far, read for whether a sentence has ended.

Pure text rules (zh and en, word lists in `data/end_of_turn.yaml`): the listener asks at
each pause and waits as long as the answer says (see `turns.semantic_silence_ms`).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from importlib import resources
from typing import Literal

import yaml

from lingxi.text import has_han

# "bare": a Mandarin statement with no closing particle ("我下午去医院。"): done, or the
# first clause of a longer sentence said before a comma; the words cannot tell which.
Ending = Literal["question", "sentence", "bare", "open", "unfinished"]

_QUESTION = re.compile(r"([?？]|(吗|呢|么|嘛)[。.!！]?)\s*$")
_OPEN_MARK = re.compile(r"([,，、:：;；]|\.\.\.|…+|——|-)\s*$")
_FINAL = re.compile(r"[。.!！~～\s\"'“”」]+$")
_EN_WORDS = re.compile(r"[a-z']+")
_CLAUSES = re.compile(r"[，,。.！!？?；;、]+")


@dataclass(frozen=True, slots=True)
class _Rules:
    zh_trailing: tuple[str, ...]
    zh_wants_more: tuple[str, ...]
    zh_open_subject: re.Pattern[str]
    zh_open_phrase: re.Pattern[str]
    zh_scene: tuple[str, ...]
    zh_closing: tuple[str, ...]
    zh_asking: tuple[str, ...]
    zh_subordinate: tuple[str, ...]
    en_subordinate: frozenset[str]
    openers: frozenset[str]
    en_unfinished: frozenset[tuple[str, ...]]
    en_complete: frozenset[tuple[str, ...]]


@functools.cache
def _rules() -> _Rules:
    raw = yaml.safe_load(resources.files("lingxi.session").joinpath(
        "data/end_of_turn.yaml").read_text("utf-8"))
    zh, en = raw["zh"], raw["en"]
    subjects = "|".join(sorted(zh["open_subject"], key=len, reverse=True))
    nouns = "|".join(sorted(zh["subject_nouns"], key=len, reverse=True))

    def phrases(words: list[str]) -> frozenset[tuple[str, ...]]:
        return frozenset(tuple(w.split()) for w in words)

    return _Rules(
        zh_trailing=tuple(zh["trailing"]), zh_wants_more=tuple(zh["wants_more"]),
        zh_open_subject=re.compile(
            rf"([，,]\s*({subjects})|[，,？?！!。；;]\s*({subjects})的?({nouns}))$"),
        zh_open_phrase=re.compile("|".join(f"(?:{p})" for p in zh["open_phrases"])),
        zh_scene=tuple(zh["scene"]),
        zh_closing=tuple(zh["closing"]), zh_asking=tuple(zh["asking"]),
        zh_subordinate=tuple(zh["subordinate"]),
        en_subordinate=frozenset(en["subordinate"]), openers=frozenset(raw["openers"]),
        en_unfinished=phrases(en["trailing"] + en["wants_more"]),
        en_complete=phrases(en["complete"]))


def ending(text: str) -> Ending:
    """How the words so far end: a question, a finished sentence, a bare Mandarin statement
    (finished, or a clause before a comma), an open one (no sign either way), or unfinished
    (a connective, a comma, a verb waiting for its object)."""
    text = text.strip()
    if not text:
        return "open"
    clauses = [c.strip() for c in _CLAUSES.split(text.lower()) if c.strip()]
    if clauses and clauses[-1] in _rules().openers:
        return "unfinished"
    question = _QUESTION.search(text)
    if question and not (question.group(0).strip() in ("?", "？") and has_han(text)):
        return "question"
    if _OPEN_MARK.search(text):
        return "unfinished"
    core = _FINAL.sub("", text)
    if not core:
        return "open"
    punctuated = core != text
    if question:  # a Mandarin "?" with no question particle: the recogniser's guess
        return "unfinished" if _zh(core.rstrip("?？"), True) == "unfinished" else "question"
    if has_han(core):
        return _zh(core, punctuated)
    return _en(core, punctuated)


def _zh(core: str, punctuated: bool) -> Ending:
    rules = _rules()
    if core.endswith(rules.zh_trailing) or core.endswith(rules.zh_wants_more):
        return "unfinished"
    if rules.zh_open_subject.search(core) or rules.zh_open_phrase.search(core):
        return "unfinished"
    if len(core) >= 4 and core.endswith(rules.zh_scene):
        return "unfinished"
    # "如果明天下雨": a subordinate clause with no main clause after it yet
    if core.startswith(rules.zh_subordinate) and not re.search(r"[，,；;]", core):
        return "unfinished"
    if core.endswith(rules.zh_asking):
        return "question"
    if core.endswith(rules.zh_closing):
        return "sentence"
    return "bare" if punctuated else "open"


def _en(core: str, punctuated: bool) -> Ending:
    rules = _rules()
    words = tuple(_EN_WORDS.findall(core.lower()))
    if not words:
        return "open"
    for n in (3, 2, 1):
        if words[-n:] in rules.en_complete:
            return "sentence"
    if any(words[-n:] in rules.en_unfinished for n in (3, 2, 1)):
        return "unfinished"
    # "When I was a kid.": a subordinate clause with no main clause after it yet
    if words[0] in rules.en_subordinate and not re.search(r"[,;]", core):
        return "unfinished"
    return "sentence" if punctuated else "open"
