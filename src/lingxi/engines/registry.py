"""Choose engines by configuration."""

from __future__ import annotations

from lingxi.clock import Clock
from lingxi.config import Settings
from lingxi.engines.base import Engines
from lingxi.engines.energy_vad import EnergyVad
from lingxi.engines.fake import FakeASR, FakeResponder, FakeTTS


def build_engines(settings: Settings, clock: Clock) -> Engines:
    if settings.engines == "fake":
        return Engines(
            vad=EnergyVad(),
            asr=FakeASR(clock, final_delay_s=settings.fake_asr_delay_s),
            responder=FakeResponder(clock, first_token_delay_s=settings.fake_first_token_s,
                                    token_interval_s=settings.fake_token_interval_s),
            tts=FakeTTS(clock, first_chunk_delay_s=settings.fake_tts_first_chunk_s),
        )
    raise ValueError(f"unknown engine set {settings.engines!r}")
