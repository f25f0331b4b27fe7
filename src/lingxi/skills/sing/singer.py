"""The singer: a song's phrases as sung audio, one phrase at a time, in the persona's voice.

Syllables are spoken by the call's synthesizer (the persona's voice, at its own speed and
pitch), analysed once and cached; the WORLD work runs in the synthesis pool, off the loop.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections import OrderedDict
from collections.abc import AsyncGenerator
from dataclasses import dataclass

import numpy as np

from lingxi.engines.tts.offload import run_blocking
from lingxi.interfaces import SpeechSynthesizer, Voice
from lingxi.skills.sing.library import Song
from lingxi.skills.sing.requests import voice_probe
from lingxi.skills.sing.voice import SpokenSyllable, analyse, key_shift, place, sing_phrase
from lingxi.turn.segments import Audio

CACHED_SYLLABLES = 512  # the library has 166 distinct syllables; one entry is ~50 kB


@dataclass(frozen=True, slots=True)
class Performance:
    """How to sing a song this time: from which phrase, how fast, how high."""

    song: Song
    start: int = 0  # phrase index
    tempo: float = 1.0  # factor on the song's tempo
    semitones: int = 0  # on top of the octave that suits the voice


class Singer:
    def __init__(self, tts: SpeechSynthesizer) -> None:
        self.tts = tts
        self._cache: OrderedDict[tuple[str, Voice], SpokenSyllable] = OrderedDict()
        self._pitch: dict[tuple[Voice, str], float] = {}  # (voice, language) → median Hz

    async def syllable(self, say: str, voice: Voice) -> SpokenSyllable:
        key = (say, voice)
        if key in self._cache:
            self._cache.move_to_end(key)
            return self._cache[key]
        chunks = [pcm async for pcm in self.tts.synthesize(say, voice)]
        pcm = np.concatenate(chunks) if chunks else np.zeros(0, np.int16)
        spoken = await run_blocking(analyse, pcm, self.tts.sample_rate)
        self._cache[key] = spoken
        while len(self._cache) > CACHED_SYLLABLES:
            self._cache.popitem(last=False)
        return spoken

    async def speaking_hz(self, voice: Voice, language: str) -> float:
        """Where this voice's pitch sits when it speaks `language` (a sentence, once)."""
        key = (voice, language)
        if key not in self._pitch:
            self._pitch[key] = (await self.syllable(voice_probe(language), voice)).median_hz
        return self._pitch[key]

    async def sing(self, plan: Performance, voice: Voice) -> AsyncGenerator[Audio, None]:
        """Each phrase as soon as it is rendered; closing the stream stops the work."""
        song = plan.song
        # The voice speaks each syllable plainly; the song sets speed and pitch.
        speaking = dataclasses.replace(voice, speed=1.0, pitch=0.0, style="normal")
        captions = song.captions()
        midi = [n.midi for p in song.phrases for n in p.score()]
        shift: int | None = None
        for i in range(plan.start, len(song.phrases)):
            phrase = song.phrases[i]
            # Both synthesis workers speak the line's syllables at once: the first line's wait
            # is most of the time to the first sung note.
            says = list(dict.fromkeys(s.say for s in phrase.syllables()))
            found, hz = await asyncio.gather(
                asyncio.gather(*(self.syllable(say, speaking) for say in says)),
                self.speaking_hz(speaking, song.language))
            spoken = dict(zip(says, found, strict=True))
            syllables = [spoken[s.say] for s in phrase.syllables()]
            if shift is None:
                shift = key_shift(midi, hz)
            notes = place(phrase.score(), song.tempo * plan.tempo,
                          shift + plan.semitones + voice.pitch)
            breath = phrase.breath and i < len(song.phrases) - 1
            pcm = await run_blocking(sing_phrase, syllables, notes, self.tts.sample_rate,
                                     breath=breath)
            if voice.volume != 1.0:
                pcm = np.asarray(np.clip(pcm * voice.volume, -32768, 32767), np.int16)
            yield Audio(pcm, self.tts.sample_rate, captions[i])
