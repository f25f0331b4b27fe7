"""One call's side of the mood timeline (the live call memory): the caller's consent, what
this call measured, the trend found as the call began and the check-in it may bring.

Nothing here runs on the audio path or waits: measurements are queued to the writer, which
finds the screening themes and stores the row; the summary is written when the call ends.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable, Coroutine
from datetime import datetime, timedelta
from typing import Any

from lingxi.memory import mood_store
from lingxi.memory.mood import MoodTurn
from lingxi.memory.store import MemoryStore, TurnWrite
from lingxi.memory.themes import themes_in
from lingxi.memory.trend import WINDOW_DAYS, Trend, detect

Submit = Callable[[Callable[[MemoryStore], Coroutine[Any, Any, Any]]], object]
CHECKIN_EVERY_DAYS = 7  # a gentle check-in at most once a week


class CallMood:
    def __init__(self, submit: Submit, wall: Callable[[], datetime],
                 allowed: Callable[[], bool]) -> None:
        self._submit = submit
        self._wall = wall
        self._allowed = allowed  # False for a minor (unless the operator's profile says so)
        self.user: str | None = None
        self.call_id = ""
        self._state: str | None = None  # "on" | "off" | None (never decided)
        self._asked = False
        self._returning = False
        self.asking = False  # the consent question was the last thing said
        self._trend: Trend | None = None
        self._checkin_due = False
        self._checked_in = False
        self.selfcheck: list[int] | None = None  # answers so far, while a self-check runs
        self.turns: list[MoodTurn] = []  # this call's measured turns

    # -- what skills see ------------------------------------------------------------------

    @property
    def available(self) -> bool:
        return self.user is not None and self._allowed()

    @property
    def state(self) -> str | None:
        return self._state if self.available else "off"

    @property
    def on(self) -> bool:
        return self.available and self._state == mood_store.ON

    @property
    def may_ask(self) -> bool:
        """Asked once, in a call of a caller who came back: never again after they were asked
        (or decided on the page)."""
        return self.available and self._returning and self._state is None and not self._asked

    def ask(self) -> None:
        """The question is being asked: recorded at once (as off until they agree), so a caller
        who hangs up without answering is not asked again."""
        self._asked, self.asking = True, True
        self.set(False, asked=True)

    def answer(self, on: bool | None) -> None:
        """The caller's answer to the question (None: no clear answer, which stays "off")."""
        self.asking = False
        self.set(bool(on), asked=True)

    def set(self, on: bool, *, asked: bool = False) -> None:
        if not self.available or self.user is None:
            return
        self._state = mood_store.ON if on else mood_store.OFF
        user, state, at = self.user, self._state, self._wall()
        self._submit(lambda s: mood_store.set_consent(s, user, state, at, asked=asked))

    def stop(self) -> None:
        """"别记我的心情了": off, and the whole timeline deleted (database and this call)."""
        self.asking = False
        self.set(False)
        self._forget()
        if self.user is not None:
            user = self.user
            self._submit(lambda s: mood_store.delete_timeline(s, user))

    def due(self) -> Trend | None:
        """The trend to check in about in this call, if one is due."""
        return self._trend if self.on and self._checkin_due and not self._checked_in else None

    def checked_in(self) -> None:
        self._checked_in = True

    # -- the call's events ----------------------------------------------------------------

    def write(self, turn: TurnWrite, label: str, valence: float, arousal: float,
              risk: str) -> Callable[[MemoryStore], Coroutine[Any, Any, Any]]:
        """The job that stores a user turn: with its mood measurement when the caller agreed.
        The themes are found in the writer, off the path of the reply."""
        blank = MoodTurn(turn.at, label, valence, arousal, risk) if self.on else None
        return functools.partial(self._store, turn=turn, blank=blank)

    async def _store(self, store: MemoryStore, turn: TurnWrite, blank: MoodTurn | None) -> None:
        if blank is not None and self.on:  # "stop" may have come in between
            measured = dataclasses.replace(blank, themes=themes_in(turn.text))
            self.turns.append(measured)
            turn = dataclasses.replace(turn, mood=measured)
        await store.add_turn(turn)

    async def load(self, store: MemoryStore, user: str, *, returning: bool = True) -> None:
        """As the call starts (in the writer): consent, unsummarised calls, the trend.
        `returning`: the caller has called before (a first call is not asked)."""
        self.user = user
        self._returning = returning
        state, asked = await mood_store.consent(store, user)
        if self._state is None:  # a choice made in this call already (a slow recall) stands
            self._state = state
        self._asked = self._asked or asked is not None
        if self._state != mood_store.ON or not self._allowed():
            return
        for call in await mood_store.unsummarised(store, user, self.call_id):
            await mood_store.summarise(store, call)
        today = self._wall().date()
        days = await mood_store.days(store, user, today - timedelta(days=2 * WINDOW_DAYS))
        self._trend = detect(days, today)
        recent = today - timedelta(days=CHECKIN_EVERY_DAYS)
        self._checkin_due = self._trend.flagged and not any(
            d.checkins for d in days if d.day > recent)

    def end(self) -> None:
        if self.on and (self.turns or self._checked_in):
            call, checked = self.call_id, self._checked_in
            self._submit(lambda s: mood_store.summarise(s, call, checked_in=checked))

    def changed(self, on: bool | None) -> None:
        """Changed elsewhere and stored already (the page): on, off and deleted, or deleted
        (None). This call follows at once."""
        if on is not None:
            self._state, self._asked, self.asking = (mood_store.ON if on else mood_store.OFF,
                                                     True, False)
        if not on:
            self._forget()

    def _forget(self) -> None:
        self.turns = []
        self._trend, self._checkin_due, self.selfcheck = None, False, None

    def forget_everything(self) -> None:
        """The caller's data was deleted: nothing of it stays in this call."""
        self._forget()
        self._state, self._asked, self.asking = None, False, False
