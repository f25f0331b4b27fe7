"""A speaking style as prosody, on any voice: pitch level and range (WORLD where the model has
no control of its own), rate, loudness and the pauses between clauses.

Happy is higher, livelier, a little faster and louder; sad lower, flatter, slower and softer;
calm and serious sit between, steadier; warm is normal speech a touch slower and rounder.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from lingxi.interfaces import Style, Voice


@dataclass(frozen=True, slots=True)
class Prosody:
    semitones: float = 0.0  # added to the voice's own pitch
    pitch_range: float = 1.0
    speed: float = 1.0  # times the voice's own
    volume: float = 1.0  # times the voice's own
    pause: float = 1.0  # times the pause after each clause


STYLES: dict[Style, Prosody] = {
    "normal": Prosody(),
    "whisper": Prosody(),  # the synthesizer's own whisper (effects.world)
    "warm": Prosody(0.5, 1.1, 0.95, 1.0, 1.1),
    "happy": Prosody(2.5, 1.45, 1.12, 1.12, 0.85),
    "playful": Prosody(2.0, 1.5, 1.08, 1.05, 0.9),
    "sad": Prosody(-2.0, 0.7, 0.85, 0.78, 1.4),
    "calm": Prosody(-0.5, 0.8, 0.92, 0.85, 1.25),  # -1.4 dB: softer than a render's own spread
    "serious": Prosody(-1.0, 0.85, 0.95, 1.0, 1.15),
}


def styled(voice: Voice, style: Style) -> Voice:
    """`voice` speaking in `style` (whisper stays the synthesizer's own mode)."""
    p = STYLES[style]
    return dataclasses.replace(
        voice, style="whisper" if style == "whisper" else "normal",
        pitch=voice.pitch + p.semitones, pitch_range=voice.pitch_range * p.pitch_range,
        speed=voice.speed * p.speed, volume=voice.volume * p.volume,
        pause=voice.pause * p.pause)
