"""Through the real server (uvicorn, WebSocket): the second call with the same user id opens
with a memory of the first, and the caller can ask what is remembered."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import websockets

from lingxi.config import Settings
from lingxi.engines.fake import SpeechScript
from tests.e2e.conftest import serving


async def call(port: int, user: str, words: list[str]) -> list[str]:
    replies = []
    async with websockets.connect(f"ws://127.0.0.1:{port}/v1/realtime") as ws:
        await ws.send(json.dumps({"type": "session.update", "session": {
            "type": "realtime", "output_modalities": ["text"], "lingxi": {"user": user}}}))
        for said in words:
            await ws.send(json.dumps({"type": "conversation.item.create", "item": {
                "type": "message", "role": "user",
                "content": [{"type": "input_text", "text": said}]}}))
            await ws.send(json.dumps({"type": "response.create"}))
            while (event := json.loads(await ws.recv()))["type"] != "response.done":
                assert event["type"] != "error", event
            output: list[dict[str, Any]] = event["response"]["output"]
            replies.append(str(output[0]["content"][0]["text"]))
    return replies


async def test_a_second_call_remembers_the_first(tmp_path: Path) -> None:
    settings = Settings(duties=False, database_url=f"sqlite:///{tmp_path / 'lingxi.db'}")
    with serving(SpeechScript(), ["嗯嗯，我在听。"], settings) as server:
        await call(server.port, "u-e2e", ["我叫小王，我今天误机了"])
        replies = await call(server.port, "u-e2e", ["喂", "你记得我什么？"])
        assert server.responder.calls[-1].open_threads == ("误机了",)
        assert "小王" in server.responder.calls[-1].memory_note
        assert replies[1].startswith("我记得：你叫小王；你说过误机了")
        assert len(server.responder.calls) == 2  # the memory question never reached it
        assert server.errors == []
