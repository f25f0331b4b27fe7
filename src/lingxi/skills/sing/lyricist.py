"""Parody words from a language model: asked for one line per phrase with each line's exact
count of sung syllables, checked, asked once more with the wrong lines named, then made to
fit (a long line loses its last words, a short one gets fillers from the offline templates).
Without a model, when it fails or takes longer than the time limit, the offline words are
sung: the caller always hears the tune.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from lingxi.interfaces import ChatMessage, Writer, WriteRequest, WriterError
from lingxi.skills.sing.library import Language, Song
from lingxi.skills.sing.parody import (
    Units,
    fill,
    line,
    prompts,
    rewrite,
    syllables_per_phrase,
    units,
    word_ends,
)

log = logging.getLogger(__name__)

# From the request to the words, repair included (the caller hears the lead-in line, about
# 3 s, meanwhile); past it the drafts so far are fitted, or the offline words sung.
PARODY_LIMIT_S = 12.0
ATTEMPTS = 2  # the first draft and one repair
Outcome = Literal["first", "repaired", "trimmed", "offline"]

_CLAUSE_END = re.compile(r"[，。！？；、]")  # a Chinese line written as two clauses is two lines
_NUMBERING = re.compile(r"^\s*(?:第?\s*\d+\s*行?\s*[.、:：)）]|line\s*\d+\s*[:.)]|[-*•]\s)\s*",
                        re.I)
_ASIDE = re.compile(r"[（(][^）)]*[）)]")


@dataclass(frozen=True, slots=True)
class Parody:
    song: Song  # the tune with its new words
    outcome: Outcome  # how the words came: right first time, after a repair, fitted, offline
    fitted: int = 0  # lines cut or padded to fit (all of them when offline)


async def write_parody(writer: Writer | None, tune: Song, theme: str, language: Language, *,
                       limit_s: float = PARODY_LIMIT_S) -> Parody:
    """New words about `theme` on `tune`; never raises for a model's failure."""
    if writer is None:
        return Parody(rewrite(tune, theme, language), "offline", len(tune.phrases))
    want = syllables_per_phrase(tune)
    said = prompts(language)
    messages = [ChatMessage("system", said.system), ChatMessage("user", said.example.ask),
                ChatMessage("assistant", said.example.answer),
                ChatMessage("user", _ask(theme, language, want))]
    drafts: list[list[Units]] = []
    by = f"written by a language model ({writer.name}), checked note for note"
    loop = asyncio.get_running_loop()
    try:
        async with asyncio.timeout(limit_s) as limit:
            wrong = list(range(len(want)))
            for attempt in range(ATTEMPTS):
                started = loop.time()
                text = await _written(writer, messages, _budget([want[i] for i in wrong]))
                draft = _merged(drafts[-1] if drafts else [], wrong,
                                lyric_lines(text, language, len(wrong)))
                drafts.append(draft)
                wrong = [i for i, n in enumerate(want) if len(draft[i]) != n]
                if not wrong:
                    outcome: Outcome = "first" if attempt == 0 else "repaired"
                    return Parody(rewrite(tune, theme, language, draft, by=by), outcome)
                if (limit.when() or 0.0) - loop.time() < loop.time() - started:
                    break  # a repair would not be done in time: fit this draft now
                messages += [ChatMessage("assistant", text),
                             ChatMessage("user", _repair(language, want, draft, wrong))]
    except (TimeoutError, WriterError) as exc:
        log.info("parody words: the model %s after %d drafts", type(exc).__name__,
                 len(drafts))
    if not any(any(d) for d in drafts):
        return Parody(rewrite(tune, theme, language), "offline", len(want))
    words, fitted = fitted_lines(drafts, want, theme, language)
    return Parody(rewrite(tune, theme, language, words, by=by),
                  "trimmed" if fitted else "repaired", fitted)


async def _written(writer: Writer, messages: Sequence[ChatMessage], budget: int) -> str:
    request = WriteRequest(tuple(messages), max_tokens=budget, temperature=0.5)
    async with contextlib.aclosing(writer.write(request)) as stream:  # type: ignore[type-var]
        return "".join([token async for token in stream])


def _merged(before: Sequence[Units], wrong: Sequence[int],
            rewritten: Sequence[Units]) -> list[Units]:
    """A draft: the lines before with the wrong ones replaced by their rewrites (a rewrite
    the model left out keeps the line it had)."""
    draft = list(before) or [()] * len(wrong)
    for i, new in zip(wrong, rewritten, strict=True):
        draft[i] = new or draft[i]
    return draft


def _budget(want: Sequence[int]) -> int:
    """Tokens for the lines (a syllable is about a token; a line break, some slack)."""
    return 2 * sum(want) + 6 * len(want) + 24


def _ask(theme: str, language: str, want: Sequence[int]) -> str:
    said = prompts(language)
    sep = "，" if language == "zh" else ", "
    counts = sep.join(said.counts.format(syllables=n) for n in want)
    return said.ask.format(theme=theme, count=len(want), counts=counts)


def _repair(language: str, want: Sequence[int], draft: Sequence[Units],
            wrong: Sequence[int]) -> str:
    said = prompts(language)
    errors = "\n".join(said.error.format(n=i + 1, syllables=want[i], written=len(draft[i]),
                                         words=_shown(draft[i], language)) for i in wrong)
    return said.repair.format(errors=errors, count=len(wrong))


def _shown(line: Units, language: str) -> str:
    """A line as written ("home- work" → "homework")."""
    if language == "zh":
        return "".join(line)
    return " ".join(line).replace("- ", "")


def lyric_lines(text: str, language: str, count: int) -> list[Units]:
    """The first `count` lines of sung words in a model's answer (numbering, asides and
    headings dropped); missing lines are empty."""
    found: list[Units] = []
    written = text.splitlines()
    if language == "zh":
        written = [c for raw in written for c in _CLAUSE_END.split(_ASIDE.sub("", raw))]
    for raw in written:
        said = _ASIDE.sub("", _NUMBERING.sub("", raw)).strip()
        if not said or said.endswith((":", "：")):
            continue  # "新歌词：", "Here are the lyrics:"
        sung = units(said, language)
        if sung:
            found.append(sung)
    return (found + [()] * count)[:count]


def fitted_lines(drafts: Sequence[Sequence[Units]], want: Sequence[int], theme: str,
                 language: str) -> tuple[list[Units], int]:
    """Each line from the latest draft that has it right, else the latest draft's line made
    to fit; and how many lines had to be made to fit."""
    out: list[Units] = []
    fitted = 0
    for i, n in enumerate(want):
        lines = [d[i] for d in reversed(drafts)]
        right = next((u for u in lines if len(u) == n), None)
        if right is None:
            fitted += 1
            right = fit(next((u for u in lines if u), ()), n, theme, i, language)
        out.append(right)
    return out, fitted


def fit(words: Units, n: int, theme: str, index: int, language: str) -> Units:
    """A line of exactly `n` sung syllables from `words`: whole words from its start, then
    fillers; an empty line becomes an offline one."""
    if not words:
        return line(n, theme, index, language)
    kept = max((end for end in word_ends(words) if end <= n), default=0)
    return words[:kept] + fill(n - kept, index, language)
