"""A human operator speaks into a live call through the takeover hook."""

from __future__ import annotations

from typing import Any

from lingxi.config import Settings
from lingxi.transport.app import create_app
from tests.harness import local_client


def until(ws: Any, kind: str) -> dict[str, Any]:
    while True:
        event: dict[str, Any] = ws.receive_json()
        if event["type"] == kind:
            return event


def test_an_operator_takes_over_a_live_call() -> None:
    app = create_app(Settings(operator_token="s3cret", duties=False))
    with local_client(app) as client, client.websocket_connect("ws://127.0.0.1/v1/realtime") as ws:
        call_id = until(ws, "session.created")["session"]["id"]
        url = f"/v1/calls/{call_id}/say"
        said = "我是值班的心理咨询师小林，我现在在线上陪着你。"
        assert client.post(url, json={"text": said}).status_code == 401
        assert client.post(url, json={"text": said},
                           headers={"Authorization": "Bearer wrong"}).status_code == 401
        headers = {"Authorization": "Bearer s3cret"}
        assert client.post(url, json={"nope": 1}, headers=headers).status_code == 400
        assert client.post("/v1/calls/sess_nobody/say", json={"text": said},
                           headers=headers).status_code == 404
        answer = client.post(url, json={"text": said}, headers=headers)
        assert answer.status_code == 202
        done = until(ws, "response.done")["response"]
        assert done["id"] == answer.json()["response_id"] and done["status"] == "completed"
        assert done["output"][0]["content"][0]["transcript"] == said


def test_the_takeover_hook_is_off_without_a_token() -> None:
    with local_client(create_app(Settings())) as client:
        assert client.post("/v1/calls/x/say", json={"text": "hi"}).status_code == 404
