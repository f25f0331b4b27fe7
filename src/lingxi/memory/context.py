"""One call's memory: who is calling, what is known about them, and what this call adds.

Everything here runs on the event loop and only enqueues writes; the one read (the recall as
the caller is identified) runs as its own task, and a reply waits for it only briefly.
"""

from __future__ import annotations

import asyncio
import dataclasses
import functools
import logging
import re
import uuid
from collections.abc import Callable, Coroutine
from contextvars import ContextVar
from datetime import datetime
from typing import Any

from lingxi.clock import Clock
from lingxi.memory import practice_store
from lingxi.memory.extract import default_extractor
from lingxi.memory.mood_live import CallMood
from lingxi.memory.note import Recollection, recollect
from lingxi.memory.practice_store import LastPractice, Practised
from lingxi.memory.service import MemoryService
from lingxi.memory.store import BOOKMARK, FactView, MemoryStore, Recall, TurnWrite

log = logging.getLogger(__name__)
# A reply waits at most this long for the caller's turn to be committed (`user_turn_kept`), so
# that a crash mid-reply loses only the reply. A commit takes milliseconds; a stalled database
# costs each turn this much until its full queue turns the call's memory off.
USER_TURN_KEPT_S = 0.25

# The memory of the call a reply belongs to: set for the call's tasks, read by the memory
# skill (which, being a responder, is shared by every call).
CURRENT: ContextVar[CallMemory | None] = ContextVar("lingxi_call_memory", default=None)

_GENERIC = re.compile(r"^(?:这件事|那件事|这个|那个|它|刚才的?|刚刚的?|(?:about )?(?:that|this|"
                      r"it|this one|what i (?:just )?said))?$", re.IGNORECASE)
_FILLER = re.compile(r"(?:的事情?|的那件事|那件事|这件事|^about |^the |^my )", re.IGNORECASE)


class CallMemory:
    def __init__(self, service: MemoryService | None, call_id: str, clock: Clock,
                 mood_allowed: Callable[[], bool] = lambda: True) -> None:
        """`mood_allowed`: whether this caller may have a mood timeline at all (not a minor,
        unless the operator's profile allows it)."""
        self.service = service
        self.call_id = call_id
        self.clock = clock
        self.user: str | None = None
        self._failed = False
        self._persona: str | None = None
        self._facts: list[FactView] = []  # newest first
        self._loaded: asyncio.Future[None] | None = None
        self._recorded: dict[str, str] = {}  # assistant item id → the text stored
        self._user_write: asyncio.Future[None] | None = None  # the last user turn's commit
        self._offered: tuple[str, ...] = ()
        # The note given on this call's first turn, keyed by the earlier calls' facts it came
        # from (see `recollect`).
        self._note: tuple[tuple[str, ...], Recollection] | None = None
        self._bookmark = ""  # where the caller's story stopped (the storyteller's, opaque)
        self._practice: dict[str, Practised] = {}  # practised word → its last score
        self.mood = CallMood(self._submit, lambda: self._wall(), mood_allowed)
        self.mood.call_id = call_id

    # -- state ----------------------------------------------------------------------------

    @property
    def failed(self) -> bool:
        return self._failed

    def fail(self, exc: BaseException) -> None:
        """The database failed this call: memory is off for the rest of it."""
        if not self._failed:
            log.warning("memory off for call %s: %s", self.call_id, type(exc).__name__)
        self._failed = True
        if self._loaded is not None and not self._loaded.done():
            self._loaded.set_result(None)  # nobody waits for a recall that will not come

    @property
    def active(self) -> bool:
        return self.service is not None and self.user is not None and not self._failed

    @property
    def persona(self) -> str | None:
        return self._persona

    def facts(self) -> list[FactView]:
        return list(self._facts)

    # -- events of the call ---------------------------------------------------------------

    def identify(self, user: str | None, persona: str | None) -> None:
        """The session names its caller (and perhaps a persona). The first user id counts
        for the whole call."""
        if self.service is None or self._failed or not user:
            return
        if self.user is None:
            self.user = user
            # Known at once, so "stop tracking my mood" reaches the database even before the
            # recall is back (asking waits for it: `may_ask` needs what the recall says).
            self.mood.user = user
            self.service.attach(self)
            self.service.keep_retention(self.clock)
            at = self.service.wall()
            self._submit(lambda s: s.open_call(user, self.call_id, at, persona))
            # Read through the writer's queue: whatever an earlier call wrote is read back.
            self._loaded = asyncio.get_running_loop().create_future()
            self._submit(functools.partial(self._recall, user=user))
        elif persona and persona != self._persona and user == self.user:
            self._submit(lambda s: s.set_persona(user, persona))
        if persona:
            self._persona = persona

    async def _recall(self, store: MemoryStore, user: str) -> None:
        try:
            recall: Recall = await store.recall(user)
            # This call is counted already: more than one is a caller who came back.
            await self.mood.load(store, user, returning=recall.calls > 1)
            earlier = await practice_store.latest(store, user)
            # A score given in this call before the recall came back is newer.
            self._practice = earlier | self._practice
        finally:
            if self._loaded is not None and not self._loaded.done():
                self._loaded.set_result(None)
        known = {(f.kind, f.text) for f in self._facts}
        # A bookmark is the storyteller's, not something the caller said: kept apart.
        marks = [f for f in recall.facts if f.kind == BOOKMARK]
        if marks and not self._bookmark:
            self._bookmark = marks[0].text
        self._facts += [f for f in recall.facts
                        if (f.kind, f.text) not in known and f.kind != BOOKMARK]
        self._facts.sort(key=lambda f: f.at, reverse=True)
        if self._persona is None:
            self._persona = recall.persona

    async def ready(self) -> None:
        """Wait (briefly) for the recall that began when the caller was identified."""
        if self._loaded is not None and self.service is not None:
            await self._within(self._loaded, self.service.config.recall_timeout_s)

    async def _within(self, pending: asyncio.Future[None], seconds: float) -> None:
        """Wait until `pending` is done or `seconds` have passed on the call's clock."""
        if pending.done():
            return
        timer = asyncio.ensure_future(self.clock.sleep(seconds))
        try:
            await asyncio.wait({pending, timer}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            timer.cancel()

    def recollect(self) -> Recollection:
        """The note and open threads for the next reply: what earlier calls left, the same on
        every turn of this call.

        A note that changed from turn to turn (a fact just said, a thread just asked) changed
        the language model's system prompt, so its server read the whole call again on every
        turn: 15–20 s on two cores. What this call learns is in the call's own words already;
        only a fact forgotten now changes the note."""
        if self.service is None or self.user is None:
            return Recollection("", (), ())
        earlier = [f for f in self._facts if f.call_id != self.call_id]
        key = tuple(f.id for f in earlier)
        if self._note is None or self._note[0] != key:
            first = self._note is None or not self._note[0]
            found = recollect(earlier, self.service.wall(), self.call_id,
                              self.service.config.note_tokens)
            if not first:  # asked already in this call: still in the note, not offered again
                found = dataclasses.replace(found, thread_ids=())
            self._note = (key, found)
            self._offered = found.thread_ids
        return self._note[1]

    def user_turn(self, item_id: str, text: str, risk: str, affect: str | None = None,
                  valence: float = 0.0, arousal: float = 0.0) -> None:
        """`affect`: how the caller sounded (the affect engine's label, with its valence and
        arousal); None: from the words."""
        if not self.active or not text.strip():
            return
        assert self.service is not None and self.user is not None
        at = self.service.wall()
        extractor = default_extractor()
        new: list[FactView] = []
        if extractor.command(text) is None:  # "forget that" is not a fact to keep
            known = {(f.kind, f.text) for f in self._facts}
            new = [FactView(id=uuid.uuid4().hex, kind=f.kind, text=f.text, lang=f.lang, at=at,
                            happened_on=f.happened_on(at), call_id=self.call_id)
                   for f in extractor.extract(text) if (f.kind, f.text) not in known]
        self._facts[:0] = reversed(new)
        turn = TurnWrite(user_id=self.user, call_id=self.call_id, item_id=item_id, role="user",
                         text=text, at=at, facts=new)
        self._user_write = self._submit(self.mood.write(
            turn, affect or extractor.affect(text), valence, arousal, risk))
        if self._offered:
            # The threads were offered to the reply this turn answers: they have been asked.
            asked = set(self._offered)
            self._offered = ()
            self._facts = [dataclasses.replace(f, asked_at=at) if f.id in asked else f
                           for f in self._facts]
            self._submit(lambda s: s.mark_asked(sorted(asked), at))

    def assistant_turn(self, item_id: str, text: str) -> None:
        """A reply is over, or was cut short (perhaps after it ended: a late barge-in);
        `text` is what was heard of it."""
        if not self.active or self._recorded.get(item_id) == text:
            return
        assert self.service is not None and self.user is not None
        if item_id in self._recorded:
            self._submit(lambda s: s.update_heard(self.call_id, item_id, text))
        elif text.strip():
            turn = TurnWrite(user_id=self.user, call_id=self.call_id, item_id=item_id,
                             role="assistant", text=text, at=self.service.wall())
            self._submit(lambda s: s.add_turn(turn))
        else:
            return
        self._recorded[item_id] = text

    def bookmark(self) -> str:
        return self._bookmark if self.active else ""

    def keep_bookmark(self, text: str) -> None:
        """Keep where the caller's story stopped ("" when it is over), replacing any earlier."""
        if not self.active or text == self._bookmark:
            return
        assert self.service is not None and self.user is not None
        self._bookmark = text
        user, call, at = self.user, self.call_id, self.service.wall()
        self._submit(lambda s: s.keep_bookmark(user, call, text, at))

    def last_practice(self, word: str) -> LastPractice | None:
        found = self._practice.get(practice_store.key(word)) if self.active else None
        return self._last(found) if found is not None else None

    def practised(self) -> dict[str, LastPractice]:
        return {w: self._last(p) for w, p in self._practice.items()} if self.active else {}

    def _last(self, found: Practised) -> LastPractice:
        days = int((self._wall() - found.at).total_seconds() // 86400)
        return LastPractice(found.score, max(0, days), found.call_id == self.call_id)

    def keep_practice(self, word: str, score: int) -> None:
        """A pronunciation attempt was scored: kept for later attempts and later calls."""
        if not self.active:
            return
        assert self.user is not None
        user, call, at, key = self.user, self.call_id, self._wall(), practice_store.key(word)
        self._practice[key] = Practised(key, score, at, call)
        self._submit(functools.partial(practice_store.add, user_id=user, call_id=call,
                                       word=word, score=score, at=at))

    def forget_everything(self) -> None:
        """The caller's data was deleted (the page, the export/delete API): this call knows
        nothing of them from now on."""
        self._facts = []
        self._practice = {}
        self._offered = ()
        self._bookmark = ""
        self.mood.forget_everything()

    def mood_changed(self, on: bool | None) -> None:
        self.mood.changed(on)

    def forget(self, hint: str) -> FactView | None:
        """Forget the fact the words point at ("忘掉误机的事"), or the most recent one
        ("忘掉这件事"); None when nothing remembered matches."""
        if not self.active or not self._facts:
            return None
        target = self._facts[0] if _generic(hint) else _matching(self._facts, hint)
        if target is None:
            return None
        self._facts.remove(target)
        self._submit(lambda s: s.forget(target.id))
        return target

    def end(self) -> None:
        if self.active:
            assert self.service is not None
            self.mood.end()
            at = self.service.wall()
            self._submit(lambda s: s.end_call(self.call_id, at))

    def _wall(self) -> datetime:
        assert self.service is not None
        return self.service.wall()

    def _submit(self, job: Callable[[Any], Coroutine[Any, Any, Any]]
                ) -> asyncio.Future[None] | None:
        assert self.service is not None
        return self.service.writer.submit(self, job)

    async def user_turn_kept(self, within: float = USER_TURN_KEPT_S) -> None:
        """Wait, at most `within` seconds, until the last user turn is committed: a reply
        that starts first and a crash mid-reply would lose the caller's words with it."""
        pending, self._user_write = self._user_write, None
        if pending is not None:
            await self._within(pending, within)


def _generic(hint: str) -> bool:
    return bool(_GENERIC.match(_FILLER.sub("", hint.strip()).strip()))


def _matching(facts: list[FactView], hint: str) -> FactView | None:
    lowered = _FILLER.sub("", hint.strip()).strip().lower()
    for fact in facts:
        text = fact.text.lower()
        if lowered in text or text in lowered:
            return fact
    pairs = {lowered[i:i + 2] for i in range(len(lowered) - 1)}
    tokens = set(re.findall(r"[a-z]{3,}", lowered))
    for fact in facts:
        text = fact.text.lower()
        if any(p in text for p in pairs if not p.isascii()) or tokens & set(text.split()):
            return fact
    return None
