"""Measurements on synthesised audio: level, pitch, voicing (WORLD's f0 tracker)."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pyworld

from lingxi.audio import Pcm
from lingxi.interfaces import SpeechSynthesizer, Voice


async def speak(tts: SpeechSynthesizer, text: str, voice: Voice) -> list[Pcm]:
    return [pcm async for pcm in tts.synthesize(text, voice)]


def rms(pcm: Pcm) -> float:
    x = pcm.astype(np.float64) / 32768.0
    return float(np.sqrt(np.mean(x * x)))


def f0_track(pcm: Pcm, rate: int) -> npt.NDArray[np.float64]:
    x = pcm.astype(np.float64) / 32768.0
    f0, t = pyworld.dio(x, rate, frame_period=5.0)
    return pyworld.stonemask(x, f0, t, rate)  # type: ignore[no-any-return]


def median_f0(pcm: Pcm, rate: int) -> float:
    f0 = f0_track(pcm, rate)
    return float(np.median(f0[f0 > 0]))


def voiced_fraction(pcm: Pcm, rate: int) -> float:
    """Share of frames with speech energy that carry a pitch."""
    f0 = f0_track(pcm, rate)
    hop = int(rate * 0.005)
    # WORLD's track may have one frame more than the audio holds: that frame is silent.
    frames = np.array([rms(pcm[i * hop : (i + 1) * hop]) if i * hop < len(pcm) else 0.0
                       for i in range(len(f0))])
    loud = frames > 0.1 * frames.max()
    return float(np.mean(f0[loud] > 0))
