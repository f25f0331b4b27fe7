"""Stories: "讲个故事" / "讲三打白骨精" / "tell me the tortoise and the hare" / "再讲一个" tell a
story from Lingxi's library (`lingxi/companion/data/stories.yaml`) a part at a time, each part
ending with "要继续听吗？"; "继续讲" / "然后呢" / "go on" tells the next part. Where a story
stands is read from the history, which keeps only what the caller heard: a part cut off by a
barge-in, or a question answered in between (by the responder), resumes at the clause where it
stopped. The place is also kept in the caller's memory as a bookmark, so the next call's
"继续讲那个故事" / "上次的故事讲到哪了" picks it up. "别讲了" / "我不想听故事了，聊聊天吧" / "stop
the story" is not a request (the companion's `stop_story` words): the responder answers.

A story on a theme ("讲一个关于小刺猬的故事") is made up on the spot by the language model when
there is one (`made_up.py`); without one, or when it cannot start in time, the caller hears
honestly that no new story can be made up now, and one of the library's.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import AsyncIterator, Sequence

from lingxi.companion.data import Story, dialogue
from lingxi.companion.picker import Picker
from lingxi.companion.story import StoryPlace, story_in_progress, untold_stories
from lingxi.interfaces import ChatMessage, Writer
from lingxi.personas.model import Persona
from lingxi.skills.story.made_up import FIRST_WORDS_S, made_up_story
from lingxi.skills.story.requests import (
    Request,
    bookmark_place,
    bookmark_text,
    lines,
    named_story,
    read,
    teller,
)
from lingxi.turn.model import Turn
from lingxi.turn.segments import Say, Segment
from lingxi.turn.skill import Claim, Skill


class StoryTeller(Skill):
    """`writer`: a language model that makes up a story on a theme (None: the library only)."""

    name = "story"

    def __init__(self, writer: Writer | None = None, *,
                 first_words_s: float = FIRST_WORDS_S) -> None:
        self.writer = writer
        self.first_words_s = first_words_s

    def prepare(self, turn: Turn) -> Turn:
        # Every turn: keep the bookmark where the caller actually stopped hearing (a barge-in,
        # a question in between, a goodbye). Only a story in this call's replies moves it.
        memory = turn.memory
        if memory is not None and memory.active:
            place = story_in_progress(turn.history, turn.language)
            if place is not None:
                memory.keep_bookmark(bookmark_text(place))
        return turn

    def claim(self, turn: Turn) -> Claim | None:
        if not turn.text:
            return None
        request = read(turn.text)
        if request is not None and request.kind == "make_up":
            return Claim(0.9, "asked for a story on a theme")
        if request is None or _plan(turn, request) is None:
            return None
        return Claim(0.9, "asked for a story" if request.kind == "tell"
                     else "asked to go on with a story")

    async def perform(self, turn: Turn) -> AsyncIterator[Segment]:
        request = read(turn.text)
        if request is not None and request.kind == "make_up":
            async with contextlib.aclosing(self._made_up(turn)) as told:  # type: ignore[type-var]
                async for segment in told:
                    yield segment
            return
        plan = _plan(turn, request) if request is not None else None
        if plan is None:
            return
        async with contextlib.aclosing(_library(turn, plan)) as told:  # type: ignore[type-var]
            async for segment in told:
                yield segment

    async def _made_up(self, turn: Turn) -> AsyncIterator[Segment]:
        """The model's story as it is written; else an honest word and a library story."""
        who = _voice(teller(turn.text, turn.personas, None), turn)
        if self.writer is not None:
            told = False
            story = made_up_story(self.writer, turn.replace(persona=who or turn.persona),
                                  first_words_s=self.first_words_s)
            async with contextlib.aclosing(story) as words:  # type: ignore[type-var]
                async for text in words:
                    told = True
                    yield Say(text, persona=who)
            if told:
                return
        lang = "zh" if turn.language == "zh" else "en"
        yield Say(lines(lang).no_model[0] + ("" if lang == "zh" else " "), persona=who)
        plan = _plan(turn, Request("tell"))
        if plan is not None:
            async with contextlib.aclosing(_library(turn, plan)) as parts:  # type: ignore[type-var]
                async for segment in parts:
                    yield segment


async def _library(turn: Turn, plan: Plan) -> AsyncIterator[Segment]:
    """A part of a library story, from where `plan` says."""
    place, lead, who = plan
    lang = "zh" if turn.language == "zh" else "en"
    if place is None:  # asked for last time's story, and none was left half told
        fresh = untold_stories(turn.history)
        title = fresh[len(turn.history) % len(fresh)].title.get(lang)
        yield Say(lines(lang).nothing_kept[0].format(title=title), persona=who)
        return
    if turn.memory is not None and turn.memory.active:
        # Kept as it starts: a call that ends mid-part resumes at this part's start.
        turn.memory.keep_bookmark(bookmark_text(place))
    yield Say(_told(place, lead, turn.personas.get(who or turn.persona), len(turn.history)),
              persona=who)


def _told(place: StoryPlace, lead: str, teller: Persona, seed: int) -> str:
    """A part as the teller tells it: the companion's story lines in the teller's own words
    ("俺老孙给你讲…"), the part from where it resumes, and an invitation to go on."""
    pick = Picker(dialogue(place.lang), teller, place.lang, seed, 0)
    title = place.story.title.get(place.lang)
    opening = ""
    if lead == "start":
        opening = pick.line("story_start", title=title)
    elif lead == "resume":
        opening = pick.line("story_resume")
    elif lead == "from_last_call":
        kept = lines(place.lang).from_last_call
        opening = kept[seed % len(kept)].format(title=title)
    last = place.part == len(place.parts) - 1
    tail = pick.line("story_end" if last else "story_more")
    part = place.parts[place.part][place.resume_at:].lstrip()
    gap = "" if place.lang == "zh" else " "
    return pick.in_character(gap.join(x.strip() if gap else x for x in (opening, part, tail)
                                      if x))


Plan = tuple[StoryPlace | None, str, str | None]  # where to tell from, the lead line, the voice


def _plan(turn: Turn, request: Request) -> Plan | None:
    """What to tell for `request`, or None when the turn is not the storyteller's."""
    lang = "zh" if turn.language == "zh" else "en"
    now = story_in_progress(turn.history, lang)
    if request.kind == "tell":
        if request.again and now is None:
            return None  # "再讲一个" after no story of ours: a joke, a song, the model's
        story = request.story or _untold(turn.history, teller(turn.text, turn.personas, None))
        who = teller(turn.text, turn.personas, story)
        return StoryPlace(story, lang, 0), "start", _voice(who, turn)
    if now is not None and not now.finished:
        who = _teller_of(now.story, turn)
        return now, "resume" if now.resume_at else "", who
    memory = turn.memory
    if memory is None or not memory.active or (now is not None and not request.earlier):
        return None
    if not request.earlier and not _about_telling(turn.text):
        # A bare "continue" with no story in this call is about something else ("continue
        # with the recipe please"), not last call's story (a held-out miss).
        return None
    kept = bookmark_place(memory.bookmark())
    if kept is None:
        # "上次的故事讲到哪了" with nothing kept gets an honest answer; a bare "继续" is not ours.
        return (None, "", None) if request.earlier else None
    if kept.lang != lang:
        kept = StoryPlace(kept.story, lang, kept.part, 0)  # the other language from the part
    return kept, "from_last_call", _teller_of(kept.story, turn)


_TELLING = re.compile(r"故事|讲|说书|story|tell", re.IGNORECASE)


def _about_telling(text: str) -> bool:
    return _TELLING.search(text) is not None


def _untold(history: Sequence[ChatMessage], who: str | None) -> Story:
    """A story not yet told in this call; the asked teller's own kind first ("让孙悟空讲个
    故事" → a 西游记 one)."""
    fresh = untold_stories(history)
    theirs = [s for s in fresh if s.persona == who]
    choice = theirs or fresh
    return choice[len(history) % len(choice)]


def _teller_of(story: Story, turn: Turn) -> str | None:
    """Whoever the caller asked to tell this story when it began, if anyone (the history's
    latest request that names it)."""
    for message in reversed(turn.history):
        if message.role == "user":
            named = named_story(message.text)
            if named is not None and named[0].id == story.id:
                return _voice(teller(message.text, turn.personas, story), turn)
    return None


def _voice(who: str | None, turn: Turn) -> str | None:
    """The asked persona's voice; None (the current persona's) when it is the current one."""
    return who if who is not None and who != turn.persona else None


__all__ = ["StoryTeller"]
