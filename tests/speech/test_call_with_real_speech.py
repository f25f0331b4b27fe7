"""A call that hears real speech: 24 kHz wire audio → silero VAD turns → Whisper transcript."""

from __future__ import annotations

import base64
from typing import Any

import numpy as np

from lingxi.clock import MonotonicClock
from lingxi.config import Settings
from lingxi.engines.asr.whisper import WhisperRecognizer
from lingxi.engines.fake import FakeResponder, FakeTTS
from lingxi.engines.silero_vad import SileroVad
from lingxi.interfaces import Engines
from lingxi.transport.app import create_app
from tests.harness import local_client
from tests.speech.audio import error_rate, espeak, silence

WIRE = 24000


def test_spoken_turn_is_detected_and_transcribed(
        whisper: WhisperRecognizer, silero: SileroVad) -> None:
    clock = MonotonicClock()
    engines = Engines(vad=silero, asr=whisper, responder=FakeResponder(clock),
                      tts=FakeTTS(clock))
    said = "Hello there, how are you doing this evening?"
    audio = np.concatenate([silence(0.8, WIRE), espeak(said, rate=WIRE), silence(1.5, WIRE)])
    events: list[dict[str, Any]] = []
    app = create_app(Settings(), engines=engines, clock=clock)
    with local_client(app) as client, client.websocket_connect("ws://127.0.0.1/v1/realtime") as ws:
        for i in range(0, len(audio), 2400):  # 100 ms chunks
            chunk = audio[i:i + 2400].astype("<i2").tobytes()
            ws.send_json({"type": "input_audio_buffer.append",
                          "audio": base64.b64encode(chunk).decode()})
        while not any(e["type"].endswith("transcription.completed") for e in events):
            events.append(ws.receive_json())
    kinds = [e["type"] for e in events]
    assert kinds.count("input_audio_buffer.speech_started") == 1
    started = next(e for e in events if e["type"] == "input_audio_buffer.speech_started")
    assert 400 <= started["audio_start_ms"] <= 800  # onset 800 ms, minus prefix padding
    transcript = next(e for e in events if e["type"].endswith("transcription.completed"))
    assert error_rate([said], [transcript["transcript"]], "word") <= 0.15, transcript
    deltas = "".join(e["delta"] for e in events if e["type"].endswith("transcription.delta"))
    assert deltas == transcript["transcript"]  # partials then the rest add up to the final
