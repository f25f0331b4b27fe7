"""A jurisdiction profile through the real server: the cn break reminder after two hours of a
call (on a clock the test moves forward), and the profile's crisis lines for a caller whose
session names no region."""

from __future__ import annotations

from typing import Any

from starlette.testclient import WebSocketTestSession

from lingxi.clock import MonotonicClock
from lingxi.config import Settings
from lingxi.engines.energy_vad import EnergyVad
from lingxi.engines.fake import FakeASR, FakeResponder, FakeTTS, SpeechScript
from lingxi.interfaces import Engines
from lingxi.transport.app import create_app
from tests.harness import local_client


class JumpingClockFake(MonotonicClock):
    """Real time plus a jump the test makes (a fake: two hours pass in an instant)."""

    def __init__(self) -> None:
        self.jumped = 0.0

    def now(self) -> float:
        return super().now() + self.jumped


def say(ws: WebSocketTestSession, text: str) -> tuple[str, list[dict[str, Any]]]:
    """A typed user turn and the reply's words (and every event up to its end)."""
    ws.send_json({"type": "conversation.item.create", "item": {
        "type": "message", "role": "user", "content": [{"type": "input_text", "text": text}]}})
    ws.send_json({"type": "response.create"})
    events: list[dict[str, Any]] = []
    while not events or events[-1]["type"] != "response.done":
        events.append(ws.receive_json())
    return "".join(e["delta"] for e in events
                   if e["type"] == "response.output_audio_transcript.delta"), events


def serve(profile: str, clock: MonotonicClock) -> Any:
    # Short audio (2 ms a character): the replies are paced in real time.
    engines = Engines(vad=EnergyVad(), asr=FakeASR(clock, SpeechScript()),
                      responder=FakeResponder(clock, replies=["好的。"]),
                      tts=FakeTTS(clock, ms_per_char=2.0))
    settings = Settings(memory=False, safety_model=False,
                        safety_profile=profile)
    return create_app(settings, engines=engines, clock=clock)


def test_cn_reminds_the_caller_to_rest_after_two_hours_of_one_call() -> None:
    clock = JumpingClockFake()
    with local_client(serve("cn", clock)) as client, \
            client.websocket_connect("ws://127.0.0.1/v1/realtime") as ws:
        first, _ = say(ws, "你好")
        assert "人工智能" in first and "休息" not in first
        clock.jumped = 2 * 3600 + 5
        later, _ = say(ws, "我们再聊聊吧")
    assert "休息" in later and later.endswith("好的。")


def test_the_profiles_region_picks_the_crisis_line_when_the_session_names_none() -> None:
    numbers: dict[str, set[str]] = {}
    for profile in ("cn", "us-ny"):
        with local_client(serve(profile, MonotonicClock())) as client, \
                client.websocket_connect("ws://127.0.0.1/v1/realtime") as ws:
            ws.send_json({"type": "session.update", "session": {"lingxi": {"events": True}}})
            _, events = say(ws, "I want to die")
        notice = next(e for e in events if e["type"] == "lingxi.safety.notice")
        numbers[profile] = {line["number"] for line in notice["hotlines"]}
    assert "12356" in numbers["cn"] and "988" not in numbers["cn"]
    assert "988" in numbers["us-ny"]
