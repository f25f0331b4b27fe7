"""Checks a machine can make on one spoken reply (bench/bench_brain.py and the embedded tests).

They never compare with expected words: a reply passes when it is not copied from the caller,
does not deflect, is in the right language, has no markdown or list, is short enough to say,
does not loop, and (for a character) carries one of the persona's marks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lingxi.personas import PersonaBook

DEFLECTIONS = ("大语言模型", "语言模型", "离线", "答不好", "没法回答", "无法回答",
               "language model", "offline", "can't answer", "cannot answer", "网络有点卡",
               "line is a bit slow")
_MARKDOWN = re.compile(r"\*\*|__|`|^#{1,6}\s|^\s*(?:[-*•]|\d{1,2}[.)、])\s", re.M)
_HAN = re.compile(r"[\u3400-\u9fff]")
_LATIN = re.compile(r"[A-Za-z]")
_WORD = re.compile(r"[A-Za-z']+")
_SENTENCE = re.compile(r"[^。！？!?.…]+")
# Characters only personas with a mark of their own need (the companion and storyteller have
# none that must appear in every reply).
_MARKED = ("sunwukong", "tangseng", "lindaiyu")


@dataclass(frozen=True)
class Verdict:
    failures: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.failures


def language(text: str) -> str:
    han, latin = len(_HAN.findall(text)), len(_LATIN.findall(text))
    return "zh" if han >= max(1, latin // 4) else "en"


def _squash(text: str) -> str:
    return re.sub(r"[\s\W_]+", "", text.lower())


def copied(caller: str, reply: str) -> str | None:
    """A run of the caller's words said back: 8 characters of Chinese, or 5 English words."""
    if language(caller) == "zh":
        c, r = _squash(caller), _squash(reply)
        for i in range(len(c) - 7):
            if c[i:i + 8] in r:
                return c[i:i + 8]
        return None
    cw = [w.lower() for w in _WORD.findall(caller)]
    rw = " " + " ".join(w.lower() for w in _WORD.findall(reply)) + " "
    for i in range(len(cw) - 4):
        run = " ".join(cw[i:i + 5])
        if f" {run} " in rw:
            return run
    return None


def loops(reply: str) -> bool:
    sentences = [s.strip() for s in _SENTENCE.findall(reply) if len(s.strip()) >= 4]
    if len(sentences) != len(set(sentences)):
        return True
    squashed = _squash(reply)
    return any(squashed.count(squashed[i:i + 6]) >= 3 for i in range(len(squashed) - 5))


def too_long(reply: str, lang: str) -> bool:
    if lang == "zh":
        return len(_squash(reply)) > 120
    return len(_WORD.findall(reply)) > 60


def check(caller: str, reply: str, persona: str, book: PersonaBook) -> Verdict:
    failures: list[str] = []
    text = reply.strip()
    if not text:
        return Verdict(("empty",))
    want = language(caller)
    got = language(text)
    # The English teacher answers a Chinese question in Chinese with English to try: either is
    # right for it; everyone else answers in the caller's language.
    if got != want and not (persona == "english_teacher" and want == "zh"):
        failures.append(f"language {got} (caller {want})")
    if (run := copied(caller, text)) is not None:
        failures.append(f"copied {run!r}")
    if any(d.lower() in text.lower() for d in DEFLECTIONS):
        failures.append("deflects")
    if _MARKDOWN.search(reply) or reply.count("\n") >= 2:
        failures.append("markdown/list")
    if too_long(text, got):
        failures.append("too long")
    if loops(text):
        failures.append("loops")
    if persona in _MARKED:
        marks = book.get(persona).companion.signature.get(got)
        if marks and not any(m.lower() in text.lower() for m in marks):
            failures.append("no persona mark")
    return Verdict(tuple(failures))
