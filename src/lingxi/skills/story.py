"""Story resume: "然后呢？" / "go on" after one of the companion's own stories picks it up where
the caller stopped hearing it (the history keeps only what was heard), whoever else answers
the other turns (a language model cannot know where a curated story was cut off)."""

from __future__ import annotations

from collections.abc import AsyncIterator

from lingxi.companion import Companion
from lingxi.companion.data import dialogue
from lingxi.companion.story import story_in_progress
from lingxi.text import split_clauses
from lingxi.turn.model import Turn
from lingxi.turn.segments import Say, Segment
from lingxi.turn.skill import Claim, Skill


class StoryResume(Skill):
    name = "story"

    def claim(self, turn: Turn) -> Claim | None:
        if not turn.text:
            return None
        d = dialogue(turn.language)
        wants_more = next(i for i in d.intents if i.id == "story_continue")
        if not d.matches(wants_more.any, turn.text):
            return None
        place = story_in_progress(turn.history, turn.language)
        if place is None or place.finished:
            return None
        return Claim(0.9, "a story of ours is in progress")

    async def perform(self, turn: Turn) -> AsyncIterator[Segment]:
        for clause in split_clauses(Companion(turn.personas).reply(turn.request())):
            yield Say(clause)
