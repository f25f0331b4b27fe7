"""Pronunciation practice through the real server: the caller asks (a text turn), Lingxi reads
the word, the caller says "think" as "sink" into the microphone; silero VAD ends the turn,
Whisper hears it, and the coach scores the turn's audio and gives the TH tip."""

from __future__ import annotations

import base64
import re
from pathlib import Path
from typing import Any

import numpy as np
import soxr
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


def practise_think(ws: WebSocketTestSession) -> tuple[str, str, str]:
    """Ask for "think", then say it as "sink": (the reading's words, the feedback's words,
    what the recogniser heard)."""
    ws.send_json({"type": "conversation.item.create", "item": {
        "type": "message", "role": "user",
        "content": [{"type": "input_text", "text": "教我读 think"}]}})
    ws.send_json({"type": "response.create"})
    asked, _ = reply(ws)
    attempt = soxr.resample(espeak("[[s'INk]]"), 16000, WIRE).astype(np.int16)
    audio = np.concatenate([silence(0.8, WIRE), attempt, silence(1.5, WIRE)])
    for i in range(0, len(audio), 2400):  # 100 ms chunks
        ws.send_json({"type": "input_audio_buffer.append",
                      "audio": base64.b64encode(audio[i:i + 2400].astype("<i2").tobytes())
                      .decode()})
    tip, events = reply(ws)
    heard = next(e for e in events if e["type"].endswith("transcription.completed"))
    return asked, tip, str(heard["transcript"])


def app_with(whisper: WhisperRecognizer, silero: SileroVad, settings: Settings) -> Any:
    clock = MonotonicClock()
    engines = Engines(vad=silero, asr=whisper, responder=FakeResponder(clock),
                      tts=FakeTTS(clock))
    return create_app(settings, engines=engines, clock=clock)


def test_said_sink_for_think_gets_the_th_tip(whisper: WhisperRecognizer,
                                             silero: SileroVad) -> None:
    app = app_with(whisper, silero, Settings(duties=False, memory=False))
    with local_client(app) as client, client.websocket_connect("ws://127.0.0.1/v1/realtime") as ws:
        asked, tip, heard = practise_think(ws)
    assert "「think」" in asked and "再试一次" in asked
    assert "th 发成了 s" in tip, (heard, tip)
    assert "「think」这次" in tip and "再试一次" in tip


def test_the_next_call_remembers_the_words_last_score(whisper: WhisperRecognizer,
                                                       silero: SileroVad,
                                                       tmp_path: Path) -> None:
    """A caller the server knows (session.lingxi.user) practises "think" in one call; in the
    next call the coach says what they scored then, before the reading and with the new score."""
    settings = Settings(duties=False, memory=True,
                        database_url=f"sqlite:///{tmp_path / 'lingxi.db'}")
    app = app_with(whisper, silero, settings)
    scores: list[str] = []
    for call in range(2):
        with local_client(app) as client, \
                client.websocket_connect("ws://127.0.0.1/v1/realtime") as ws:
            ws.send_json({"type": "session.update",
                          "session": {"type": "realtime", "lingxi": {"user": "u-learner"}}})
            asked, tip, heard = practise_think(ws)
        found = re.search(r"「think」(?:今天早些时候练的时候 (\d+) 分，)?这次 (\d+) 分", tip)
        assert found, (heard, tip)
        if call == 1:
            assert f"你得了 {scores[0]} 分" in asked, asked
            assert found.group(1) == scores[0], tip
        scores.append(found.group(2))
