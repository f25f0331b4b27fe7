"""Where a story stands in this call, read from what the caller actually heard (the history
keeps only what was heard, so a part cut off by a barge-in resumes where it stopped)."""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from lingxi.companion.data import HEAD as _HEAD
from lingxi.companion.data import Story, stories
from lingxi.interfaces import ChatMessage

_BOUNDARIES = "，。！？；,.!?;"


@dataclass(frozen=True, slots=True)
class StoryPlace:
    story: Story
    lang: str
    part: int  # the part to tell next (== number of parts: the story is over)
    resume_at: int = 0  # where in that part to pick up (0: from its start)

    @property
    def parts(self) -> tuple[str, ...]:
        return self.story.part_list(self.lang)

    @property
    def finished(self) -> bool:
        return self.part >= len(self.parts)


def _assistant_texts(history: Sequence[ChatMessage], last: int) -> list[str]:
    return [m.text for m in history if m.role == "assistant"][-last:]


def _clause_starts(part: str) -> list[str]:
    """The part's longer clauses after its first, stripped: what a resumed part begins with."""
    clauses = (part[b + 1:].lstrip() for b in range(len(part) - 1) if part[b] in _BOUNDARIES)
    return [c for c in clauses if len(c) >= 2 * _HEAD]


@functools.cache
def _any_part() -> re.Pattern[str]:
    """Every opening `_found` looks for, in one pattern: most replies hold no story at all,
    and one search tells so (the full search costs milliseconds on every turn)."""
    snippets = {part[:_HEAD] for story in stories() for lang in ("zh", "en")
                for part in story.part_list(lang)}
    snippets |= {clause[:2 * _HEAD] for story in stories() for lang in ("zh", "en")
                 for part in story.part_list(lang) for clause in _clause_starts(part)}
    return re.compile("|".join(re.escape(s) for s in sorted(snippets, key=len, reverse=True)))


def _found(text: str, part: str) -> tuple[int, int] | None:
    """Where in `text` the part begins to be heard, and from where in the part: its opening,
    or (a part resumed mid-way) the start of one of its longer clauses."""
    pos = text.find(part[:_HEAD])
    if pos >= 0:
        return pos, 0
    for clause in _clause_starts(part):
        pos = text.find(clause[:2 * _HEAD])
        if pos >= 0:
            return pos, len(part) - len(clause)
    return None


def _place_in(text: str, story: Story, lang: str) -> StoryPlace | None:
    parts = story.part_list(lang)
    for i in reversed(range(len(parts))):
        found = _found(text, parts[i])
        if found is None:
            continue
        pos, start = found
        heard, rest = text[pos:], parts[i][start:]
        if heard.startswith(rest):
            return StoryPlace(story, lang, i + 1)
        # Cut off: resume from the start of the clause that was interrupted.
        common = 0
        while common < min(len(heard), len(rest)) and heard[common] == rest[common]:
            common += 1
        cut = max((parts[i].rfind(b, 0, start + common) for b in _BOUNDARIES), default=-1)
        return StoryPlace(story, lang, i, max(start, cut + 1))
    return None


def story_in_progress(history: Sequence[ChatMessage], lang: str) -> StoryPlace | None:
    """The story told most recently in the last few replies, and where it stopped."""
    other = "en" if lang == "zh" else "zh"
    for text in reversed(_assistant_texts(history, 4)):
        if not _any_part().search(text):
            continue
        for story in stories():
            for language in (lang, other):
                place = _place_in(text, story, language)
                if place is not None:
                    return place
    return None


def untold_stories(history: Sequence[ChatMessage]) -> list[Story]:
    """Stories not yet begun in this call (all of them again once every one was told)."""
    told = " ".join(_assistant_texts(history, 1000))
    fresh = [s for s in stories()
             if not any(s.part_list(lang)[0][:_HEAD] in told for lang in ("zh", "en"))]
    return fresh or list(stories())
