"""Pronunciation practice through the real server: the caller asks (a text turn), Lingxi reads
the word, the caller says "think" as "sink" into the microphone; silero VAD ends the turn,
Whisper hears it, and the coach scores the turn's audio and gives the TH tip."""

from __future__ import annotations

import base64
from typing import Any

import numpy as np
from starlette.testclient import WebSocketTestSession

from lingxi.clock import MonotonicClock
from lingxi.config import Settings
from lingxi.engines.asr.whisper import WhisperRecognizer
from lingxi.engines.fake import FakeResponder, FakeTTS
from lingxi.engines.silero_vad import SileroVad
from lingxi.interfaces import Engines
from lingxi.transport.app import create_app
from tests.harness import local_client
from tests.skills.pronounce_set import espeak
from tests.speech.audio import silence

WIRE = 24000


def reply(ws: WebSocketTestSession) -> tuple[str, list[dict[str, Any]]]:
    """Events up to the reply's end, and the reply's words."""
    events: list[dict[str, Any]] = []
    while not events or events[-1]["type"] != "response.done":
        events.append(ws.receive_json())
    return "".join(e["delta"] for e in events
                   if e["type"] == "response.output_audio_transcript.delta"), events


def test_said_sink_for_think_gets_the_th_tip(whisper: WhisperRecognizer,
                                             silero: SileroVad) -> None:
    clock = MonotonicClock()
    engines = Engines(vad=silero, asr=whisper, responder=FakeResponder(clock),
                      tts=FakeTTS(clock))
    app = create_app(Settings(duties=False, memory=False), engines=engines, clock=clock)
    with local_client(app) as client, client.websocket_connect("ws://127.0.0.1/v1/realtime") as ws:
        ws.send_json({"type": "conversation.item.create", "item": {
            "type": "message", "role": "user",
            "content": [{"type": "input_text", "text": "教我读 think"}]}})
        ws.send_json({"type": "response.create"})
        asked, _ = reply(ws)
        assert "「think」" in asked and "再试一次" in asked

        sink = espeak("[[s'INk]]")
        import soxr

        attempt = soxr.resample(sink, 16000, WIRE).astype(np.int16)
        audio = np.concatenate([silence(0.8, WIRE), attempt, silence(1.5, WIRE)])
        for i in range(0, len(audio), 2400):  # 100 ms chunks
            ws.send_json({"type": "input_audio_buffer.append",
                          "audio": base64.b64encode(audio[i:i + 2400].astype("<i2").tobytes())
                          .decode()})
        tip, events = reply(ws)
    heard = next(e for e in events if e["type"].endswith("transcription.completed"))
    assert "th 发成了 s" in tip, (heard["transcript"], tip)
    assert "「think」这次" in tip and "再试一次" in tip
