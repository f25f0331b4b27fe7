from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from lingxi.cli import build_parser
from lingxi.config import Settings, load_settings
from lingxi.metrics import forget_failures
from lingxi.transport.app import create_app
from tests.chat_server import closed_port
from tests.harness import local_client
from tests.responder.live import calling, live_lingxi


def test_settings_from_file_env_and_overrides(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "lingxi.toml"
    config.write_text('port = 9000\naudio_lead_ms = 250\nhost = "0.0.0.0"\n')
    monkeypatch.setenv("LINGXI_PORT", "9100")
    settings = load_settings(config, host=None)
    assert settings.port == 9100  # environment beats the file
    assert settings.audio_lead_ms == 250 and settings.host == "0.0.0.0"
    assert load_settings(config, port=9200).port == 9200  # the command line beats both


def test_cli_serve_defaults() -> None:
    args = build_parser().parse_args(["serve"])
    assert args.host is None and args.port is None  # falls back to settings: 127.0.0.1:8765
    assert Settings().host == "127.0.0.1" and Settings().port == 8765


def test_health_says_loudly_that_engines_are_fake() -> None:
    forget_failures()  # other tests' engine failures in this process
    with local_client(create_app(Settings())) as client:
        health = client.get("/healthz").json()
        assert health["status"] == "ok" and health["recent_failures"] == {}
        assert set(health["fake_engines"]) == {"asr", "responder", "tts"}
        assert "FAKE" in health["warnings"][0]
        assert "灵犀" in client.get("/").text
        with client.websocket_connect("ws://127.0.0.1/v1/realtime?model=my-model") as ws:
            created = ws.receive_json()
            assert created["type"] == "session.created"
            assert created["session"]["model"] == "my-model"
        metrics = client.get("/metrics").text
        assert "lingxi_calls_total" in metrics and "lingxi_event_lag_seconds" in metrics


def test_worker_environment_round_trips_the_settings() -> None:
    from lingxi.config import settings_env

    original = Settings(port=9001, audio_lead_ms=250, safety_webhook_url=None)
    env = settings_env(original)
    assert "LINGXI_SAFETY_WEBHOOK_URL" not in env  # unset stays unset, not the text "None"
    import os

    saved = dict(os.environ)
    try:
        os.environ.update(env)
        assert Settings() == original
    finally:
        os.environ.clear()
        os.environ.update(saved)


async def test_health_is_degraded_while_an_engine_fails_callers() -> None:
    forget_failures()
    settings = Settings(duties=False, llm_base_url=f"http://127.0.0.1:{closed_port()}/v1")
    with live_lingxi(settings) as live:
        async with calling(live) as caller:
            turn = await caller.say("你好")
        async with httpx.AsyncClient() as client:
            health = (await client.get(f"http://127.0.0.1:{live.port}/healthz")).json()
    assert turn.transcript  # the caller still heard an answer (the companion's)
    assert health["status"] == "degraded"
    assert health["recent_failures"] == {"model": 1}


def test_sessions_and_responses_say_their_audio_is_ai_generated() -> None:
    from lingxi.protocol.provenance import TRAINED_ALGORITHMIC_MEDIA

    with local_client(create_app(Settings(duties=False, memory=False))) as client, \
            client.websocket_connect("ws://127.0.0.1/v1/realtime") as ws:
        created = ws.receive_json()
        # A client echoing the session back cannot turn the mark off.
        ws.send_json({"type": "session.update", "session": {
            "provenance": {"ai_generated": False}, "instructions": "hi"}})
        updated = ws.receive_json()
        ws.send_json({"type": "conversation.item.create", "item": {
            "type": "message", "role": "user",
            "content": [{"type": "input_text", "text": "你好"}]}})
        ws.send_json({"type": "response.create", "response": {"output_modalities": ["text"]}})
        events = [ws.receive_json()]
        while events[-1]["type"] != "response.done":
            events.append(ws.receive_json())
    for session in (created["session"], updated["session"]):
        assert session["provenance"]["ai_generated"] is True
        assert session["provenance"]["digital_source_type"] == TRAINED_ALGORITHMIC_MEDIA
    assert events[-1]["response"]["provenance"]["ai_generated"] is True
