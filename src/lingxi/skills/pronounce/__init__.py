"""The English pronunciation coach: "教我读 think" / "how do I say three" → a model reading
(slow, then at normal speed) → the caller tries → the score, with the last one when there was
one, and one tip about the sound that went wrong ("th 发成了 s：…") → the model reading again
and "再试一次". "下一个词" moves on through a list of words Mandarin speakers find hard.

It claims only practice requests, and during a practice (Lingxi's last reply asked for the
word) the caller's spoken attempts, "下一个词", "再读一遍"; anything else goes on as usual.
The scoring runs off the event loop; the scorer is an engine behind a seam
(`PronunciationScorer`), the model reading comes from the call's synthesizer.
"""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence

import numpy as np

from lingxi.interfaces import (
    Assessment,
    ChatMessage,
    PronunciationScorer,
    SpeechSynthesizer,
    Voice,
)
from lingxi.memory.practice_store import LastPractice
from lingxi.offload import in_coach
from lingxi.skills.pronounce.feedback import coach_data, feedback, line, when
from lingxi.skills.pronounce.practice import (
    Step,
    last_score,
    next_word,
    practice_language,
    practised,
    step,
)
from lingxi.turn.model import Turn
from lingxi.turn.segments import Audio, Say, Segment
from lingxi.turn.skill import Claim, Skill

SLOW = 0.6  # speed of the first model reading
REVIEW_BELOW = 80  # a word scored under this in an earlier call is practised again first


class Pronounce(Skill):
    """Without a scorer it claims nothing (the responder answers as it always did)."""

    name = "pronounce"

    def __init__(self, scorer: PronunciationScorer | None, tts: SpeechSynthesizer | None,
                 offload: Callable[[Callable[[], Assessment]], Awaitable[Assessment]]
                 = in_coach) -> None:
        self.scorer = scorer
        self.tts = tts
        self.offload = offload

    def hotwords(self, history: Sequence[ChatMessage]) -> tuple[str, ...]:
        # The word being practised: an attempt at it heard as Han or as nothing is not taken
        # as an attempt (on the spent held36-38 attempts, 20 of 636 without it, 6 with).
        word = practised(history)
        return (word,) if word else ()

    def _step(self, turn: Turn) -> Step | None:
        return step(turn.text, _before(turn), has_audio=turn.audio is not None)

    def claim(self, turn: Turn) -> Claim | None:
        if self.scorer is None or self._step(turn) is None:
            return None
        return Claim(0.9, "pronunciation practice")

    async def perform(self, turn: Turn) -> AsyncIterator[Segment]:
        found, scorer = self._step(turn), self.scorer
        if found is None or scorer is None:
            return
        lang = turn.language if found.kind in ("request", "start") \
            else practice_language(_before(turn), turn.language)
        turn = turn.replace(language=lang)
        word = found.word
        if found.kind == "start":
            word = _to_review(turn, scorer) or next_word(word, len(turn.history))
        elif found.kind == "next":
            word = next_word(word, len(turn.history))
        if found.kind in ("request", "start", "next"):
            unknown = [w for w in word.split() if not scorer.knows(w)]
            if unknown:
                yield Say(line(lang, "unknown", word=word, suggest=coach_data().words[0]))
                return
            yield Say(_intro(word, turn))
            async for segment in self._reading(word, turn):
                yield segment
            yield Say(line(lang, "your_turn", word=word))
            return
        if found.kind == "again":
            yield Say(line(lang, "again", word=word))
            async for segment in self._reading(word, turn):
                yield segment
            yield Say(line(lang, "try_again", word=word))
            return
        async for segment in self._attempt(word, turn):
            yield segment

    async def _attempt(self, word: str, turn: Turn) -> AsyncIterator[Segment]:
        audio, scorer, lang = turn.audio, self.scorer, turn.language
        assert audio is not None and scorer is not None

        def score() -> Assessment:
            return scorer.assess(audio.pcm, audio.sample_rate, word)

        result = await self.offload(score)
        said = feedback(result, lang, _before_now(word, turn))
        if result.heard_speech and turn.memory is not None:
            turn.memory.keep_practice(word, result.score)
        for text in said:
            yield Say(text)
        if result.heard_speech and result.wrong:
            yield Say(line(lang, "retry"))
            async for segment in self._reading(word, turn):
                yield segment
            yield Say(line(lang, "try_again", word=word))

    async def _reading(self, word: str, turn: Turn) -> AsyncIterator[Segment]:
        """The word read slowly, then at normal speed, in the persona's own voice."""
        if self.tts is None:
            yield Say(f"{word}. ")
            yield Say(line(turn.language, "normal"))
            yield Say(f"{word}. ")
            return
        voice = dataclasses.replace(turn.personas.voice(turn.persona), style="normal")
        for n, speed in enumerate((SLOW, 1.0)):
            if n:
                yield Say(line(turn.language, "normal"))
            pcm = await self._spoken(word, dataclasses.replace(voice, speed=voice.speed * speed))
            yield Audio(pcm, self.tts.sample_rate, word)

    async def _spoken(self, word: str, voice: Voice) -> np.ndarray:
        assert self.tts is not None
        chunks = [pcm async for pcm in self.tts.synthesize(word, voice)]
        return np.concatenate(chunks) if chunks else np.zeros(0, np.int16)


def _before_now(word: str, turn: Turn) -> LastPractice | None:
    """The word's last score: said earlier in this call, else kept from an earlier call."""
    said = last_score(turn.history, word)
    if said is not None:
        return LastPractice(said, 0, this_call=True)
    return turn.memory.last_practice(word) if turn.memory is not None else None


def _to_review(turn: Turn, scorer: PronunciationScorer) -> str | None:
    """"我想练发音" with no word named: the word that went worst in an earlier call, when it
    scored under `REVIEW_BELOW` (a teacher goes back to what was hard)."""
    if turn.memory is None:
        return None
    weak = [(p.score, w) for w, p in turn.memory.practised().items()
            if not p.this_call and p.score < REVIEW_BELOW
            and all(scorer.knows(part) for part in w.split())]
    return min(weak)[1] if weak else None


def _intro(word: str, turn: Turn) -> str:
    """"Let's practise …", with how it went last time when that was in an earlier call."""
    before = _before_now(word, turn)
    if before is None or before.this_call:
        return line(turn.language, "intro", word=word)
    return line(turn.language, "intro_again", word=word, before=before.score,
                when=when(turn.language, before.days_ago))


def _before(turn: Turn) -> tuple[ChatMessage, ...]:
    """The conversation before this turn (the history ends with this turn's words)."""
    history = turn.history
    return history[:-1] if history and history[-1].role == "user" else history


__all__ = ["Pronounce"]
