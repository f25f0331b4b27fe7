"""Singing: "唱两句小星星" / "唱首歌" / "sing Twinkle Twinkle" → Lingxi sings a public-domain
song from its library (`data/songs/`) in the persona's own voice, phrase by phrase, each an
`Audio` segment captioned with its lyric line. "换一首…" switches (the barge-in has already
stopped the old song), "接着唱" resumes at the phrase that was cut, "唱快一点"/"高一点" change
tempo and key; a song it cannot sing gets an honest answer and a suggestion; only "嗯" over a
song sings on from the cut line; "把小星星改成关于加班的" / "change Twinkle Twinkle into a song
about homework" sings the tune with new words (a language model's when there is one, checked
note for note; offline templates otherwise: `lyricist.py`, `parody.py`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

from lingxi.interfaces import SpeechSynthesizer, Writer
from lingxi.skills.sing.library import Song, library
from lingxi.skills.sing.lyricist import PARODY_LIMIT_S, write_parody
from lingxi.skills.sing.parody import lines as parody_lines
from lingxi.skills.sing.requests import Request, lines, pick, read
from lingxi.skills.sing.singer import Performance, Singer
from lingxi.text import length_in_words
from lingxi.turn.model import Turn
from lingxi.turn.segments import Say, Segment
from lingxi.turn.skill import Claim, Skill

log = logging.getLogger(__name__)

_LONGEST_REQUEST = 30  # Han characters or words: a request to sing is short


class Sing(Skill):
    """Sings with `tts` (the call's synthesizer); without one it claims nothing, and the
    responder answers as it always did. `writer`: a language model for parody words."""

    name = "sing"

    def __init__(self, tts: SpeechSynthesizer | None, writer: Writer | None = None, *,
                 parody_limit_s: float = PARODY_LIMIT_S) -> None:
        self.singer = Singer(tts) if tts is not None else None
        self.writer = writer
        self.parody_limit_s = parody_limit_s

    def claim(self, turn: Turn) -> Claim | None:
        if self.singer is None or not (turn.text or turn.cut_short) or \
                length_in_words(turn.text) > _LONGEST_REQUEST:
            return None
        if _read(turn) is None:
            return None
        return Claim(0.9, "asked to sing")

    async def perform(self, turn: Turn) -> AsyncIterator[Segment]:
        request = _read(turn)
        if request is None or self.singer is None:
            return
        if request.kind in ("sing", "resume", "parody") and request.song is not None:
            voice = turn.personas.voice(turn.persona)
            tune = request.song
            if request.kind == "parody":
                # The model writes while the lead-in line is said.
                writing = asyncio.create_task(
                    write_parody(self.writer, tune, request.title, request.words,
                                 limit_s=self.parody_limit_s))
                try:
                    yield Say(parody_lines(request.words).sung_as.format(
                        song=tune.name(request.words), theme=request.title))
                    parody = await writing
                finally:
                    writing.cancel()  # a barge-in during the lead-in stops the model too
                log.info("parody words: %s, %d of %d lines fitted", parody.outcome,
                         parody.fitted, len(tune.phrases))
                tune = parody.song
            plan = Performance(tune, request.start, request.tempo, request.semitones)
            sung = self.singer.sing(plan, voice)
            async with contextlib.aclosing(sung):
                async for audio in sung:
                    yield audio
            return
        yield Say(_answer(request.kind, request.title, request.song, turn))


def _read(turn: Turn) -> Request | None:
    # The history ends with this turn's words (when there are any): the rest came before.
    before = turn.history[:-1] if turn.history and turn.history[-1].role == "user" \
        else turn.history
    return read(turn.text, turn.language, before, cut_short=bool(turn.cut_short))


def _answer(kind: str, title: str, song: Song | None, turn: Turn) -> str:
    said = lines(turn.language)
    language = "zh" if turn.language == "zh" else "en"
    mine = [s for s in library() if s.language == language]
    suggest = pick(language, len(turn.history), song).name(language)
    quote = "《》" if language == "zh" else '""'
    songs = ("、" if language == "zh" else ", ").join(
        quote[0] + s.name(language) + quote[1] for s in mine)
    template = {"protected": said.protected, "unknown": said.unknown,
                "finished": said.finished, "nothing": said.nothing}[kind]
    return template.format(title=song.name(language) if song else title, songs=songs,
                           suggest=suggest)


__all__ = ["Sing"]
