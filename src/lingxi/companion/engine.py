"""The offline companion: a deterministic, data-driven listener (no language model).

It greets, reflects feelings, asks open questions, remembers what was said earlier in the call
(read from the history), tells its own stories a part at a time, answers the time and the date,
and says plainly, in character, what would need a language model. All wording is data.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from lingxi.companion.data import Dialogue, Intent, Situation, dialogue
from lingxi.companion.picker import Picker
from lingxi.companion.story import StoryPlace, story_in_progress, untold_stories
from lingxi.companion.words import date_words, echo, time_words
from lingxi.interfaces import ChatMessage, ReplyRequest
from lingxi.personas import PersonaBook, builtin_book
from lingxi.personas.model import Persona
from lingxi.personas.switch import switch_request
from lingxi.text import language_of

Now = Callable[[], datetime]


def local_now() -> datetime:
    """The wall clock with the server's time zone: the default `now` of a companion."""
    return datetime.now().astimezone()


_PUNCT = re.compile(r"[\s，。！？、,.!?~…]+")
_QUESTION = re.compile(r"[？?]|为什么|怎么|什么|吗$|呢$|\b(?:why|how|what|who|where|when)\b", re.I)


@dataclass(frozen=True, slots=True)
class Turn:
    request: ReplyRequest
    persona: Persona
    lang: str
    user: str  # what the caller just said ("" at the start of a call)
    said_before: tuple[str, ...]  # the caller's earlier turns in this call, oldest first

    @property
    def history(self) -> tuple[ChatMessage, ...]:
        return self.request.history

    @property
    def first_turn(self) -> bool:
        return not self.said_before


class Companion:
    def __init__(self, book: PersonaBook | None = None, now: Now = local_now) -> None:
        self.book = book or builtin_book()
        self._now = now

    def reply(self, request: ReplyRequest) -> str:
        persona = self.book.get(request.persona)
        users = [m.text.strip() for m in request.history if m.role == "user" and m.text.strip()]
        last_is_user = bool(request.history) and request.history[-1].role == "user"
        user = users[-1] if users and last_is_user else ""
        lang = request.language or language_of(user, persona.language)
        turn = Turn(request, persona, lang, user, tuple(users[:-1] if user else users))
        recent = {m.text.strip() for m in request.history[-6:] if m.role == "assistant"}
        text = ""
        for attempt in range(8):  # never say the same thing twice in a row
            pick = Picker(dialogue(lang), persona, lang, len(users), attempt)
            text = _tidy(pick.in_character(self._compose(turn, pick)), lang)
            if text.strip() not in recent:
                return text
        return text + pick.line("open_question")

    # -- deciding what to say ----------------------------------------------------------

    def _compose(self, turn: Turn, pick: Picker) -> str:
        d = pick.dialogue
        if not turn.user:
            return turn.persona.greeting.get(turn.lang) + self._thread(turn, pick)
        switch = switch_request(turn.user, self.book)
        if switch is not None:
            return self._switch(turn, pick, switch.persona, switch.target)
        intent = _first_intent(d, turn.user, low=False)
        situation = next((s for s in d.situations if d.matches(s.any, turn.user)), None)
        if intent is None and situation is None:
            intent = _first_intent(d, turn.user, low=True)
        if intent is not None:
            return self._intent(intent.id, turn, pick)
        if situation is not None:
            advice = next(i for i in d.intents if i.id == "advice")
            return self._situation(situation, turn, pick,
                                   wants_help=d.matches(advice.any, turn.user))
        return self._listen(turn, pick)

    def _switch(self, turn: Turn, pick: Picker, target: Persona | None, name: str) -> str:
        if target is not None:  # the call already switched: this is the new persona talking
            return pick.line("greet_switch") + self._thread(turn, pick)
        others = [p.name.get(turn.lang) for p in self.book if p.id != turn.persona.id]
        sep = "、" if turn.lang == "zh" else ", "
        return pick.line("cannot_play", target=name, list=sep.join(others[:4]))

    def _intent(self, intent: str, turn: Turn, pick: Picker) -> str:
        lang = turn.lang
        if intent == "ask_time":
            return pick.line("ask_time", time=time_words(self._now(), lang))
        if intent == "ask_date":
            return pick.line("ask_date", date=date_words(self._now(), lang))
        if intent == "identity" and turn.persona.id != self.book.default:
            return pick.line("identity_persona")
        if intent == "story_request":
            return self._tell(turn, pick, None)
        if intent == "story_continue":
            place = story_in_progress(turn.history, lang)
            return self._tell(turn, pick, place) if place else pick.line("no_story")
        if intent == "repeat":
            said = [m.text for m in turn.history if m.role == "assistant"]
            if not said:
                return pick.line("nothing_to_repeat")
            return pick.line("repeat_prefix") + said[-1]
        if intent == "hello":
            greeting = pick.line("greet")
            return greeting + (self._thread(turn, pick) or pick.line("greet_more"))
        return pick.line(intent)

    def _situation(self, s: Situation, turn: Turn, pick: Picker, *,
                   wants_help: bool = False) -> str:
        d = pick.dialogue
        before = [_first_situation(d, text) for text in turn.said_before]
        times = sum(1 for earlier in before if earlier is not None and earlier.id == s.id)
        if (times >= 2 or wants_help) and s.help:  # "误机了怎么办": next steps
            return pick.pick("again" if times else "reflect", s.again if times else s.reflect) \
                + pick.pick("help", s.help)
        if times == 1:
            return pick.pick("again", s.again) + pick.pick("ask", s.ask)
        other = next((e for e in reversed(before)
                      if e is not None and e.id != s.id and e.negative and s.negative), None)
        if other is not None:  # "今天真是祸不单行"
            return (pick.line("compound", earlier=other.label, label=s.label)
                    + pick.pick("ask", s.ask))
        return pick.pick("reflect", s.reflect) + pick.pick("ask", s.ask)

    def _listen(self, turn: Turn, pick: Picker) -> str:
        d = pick.dialogue
        bare = _PUNCT.sub("", turn.user.lower())
        if bare in {_PUNCT.sub("", a) for a in d.short_acks}:
            return pick.line("listen_short") + self._thread(turn, pick)
        if turn.said_before and bare == _PUNCT.sub("", turn.said_before[-1].lower()):
            return pick.line("listen_again")
        if _QUESTION.search(turn.user):
            place = story_in_progress(turn.history, turn.lang)
            if place is not None and not place.finished:
                return pick.line("story_question")
            return pick.line("question")
        thread = self._thread(turn, pick)
        if thread:
            return pick.line("listen", echo=echo(turn.user, turn.lang)) + thread
        said = echo(turn.user, turn.lang)
        if not any(ch.isalnum() for ch in said):
            return pick.line("listen_short")
        return pick.line("listen", echo=said) + pick.line("open_question")

    def _thread(self, turn: Turn, pick: Picker) -> str:
        """At the start of a call, ask after the newest open thread from an earlier call."""
        threads = turn.request.open_threads
        if not threads or len(turn.said_before) > 1:
            return ""
        newest = threads[0]
        if any(newest in m.text for m in turn.history if m.role == "assistant"):
            return ""  # asked already
        return pick.line("thread", thread=newest)

    def _tell(self, turn: Turn, pick: Picker, place: StoryPlace | None) -> str:
        sep = "" if turn.lang == "zh" else " "
        if place is None:
            fresh = untold_stories(turn.history)
            story = fresh[len(turn.history) % len(fresh)]
            parts = story.part_list(turn.lang)
            intro = pick.line("story_start", title=story.title.get(turn.lang))
            return sep.join([intro, parts[0], pick.line("story_more")])
        if place.finished:
            return pick.line("story_end")
        part = place.parts[place.part][place.resume_at:]
        lead = pick.line("story_resume") if place.resume_at else ""
        last = place.part == len(place.parts) - 1
        tail = pick.line("story_end") if last else pick.line("story_more")
        return sep.join(x for x in (lead + part, tail) if x)


_GLUED = re.compile(r"([.!?,])(?=[A-Za-z])")


def _tidy(text: str, lang: str) -> str:
    """English lines are written as sentences; joined, they need a space between."""
    return _GLUED.sub(r"\1 ", text) if lang == "en" else text


def _first_intent(d: Dialogue, text: str, *, low: bool) -> Intent | None:
    return next((i for i in d.intents if i.low == low and d.matches(i.any, text)), None)


def _first_situation(d: Dialogue, text: str) -> Situation | None:
    return next((s for s in d.situations if d.matches(s.any, text)), None)
