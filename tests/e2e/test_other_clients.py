"""Clients the project did not write, unchanged: the agents SDK for Node holds a spoken turn
and a text turn (it validates every server event with zod and crashes on a missing field),
and a browser-style handshake that offers subprotocols is answered with one."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import websockets

from lingxi.engines.fake import SpeechScript
from tests.e2e.conftest import ServerFactory

SCRIPT = SpeechScript().say(0.3, 1.5, "你好，今天过得怎么样")
REPLIES = ("我很好，谢谢你。", "嗯，我在听。")


def test_the_agents_sdk_for_node_holds_a_spoken_and_a_text_turn(
        lingxi_server: ServerFactory, node_clients: Path, tmp_path: Path) -> None:
    server = lingxi_server(SCRIPT, REPLIES)
    audio = tmp_path / "said.pcm"
    audio.write_bytes(server.user_audio(3.0))
    done = subprocess.run(
        ["node", str(node_clients / "agents_realtime.mjs"), server.realtime_url("lingxi"),
         str(audio)], capture_output=True, timeout=90, check=False)
    lines = [json.loads(line) for line in done.stdout.decode().splitlines() if line.strip()]
    assert done.returncode == 0, (lines, done.stderr.decode()[-2000:])
    assert lines[-1]["ok"] is True and lines[-1]["turns"] >= 2
    assert lines[0]["audioBytes"] > 0  # the spoken turn was answered with audio
    assert not server.errors


async def _first_event(ws: Any) -> dict[str, Any]:
    event: dict[str, Any] = json.loads(await ws.recv())
    return event


async def test_a_browser_style_handshake_gets_a_subprotocol(
        lingxi_server: ServerFactory) -> None:
    server = lingxi_server(SCRIPT, REPLIES)
    offered = ["realtime", "openai-insecure-api-key.sk-local"]
    async with websockets.connect(server.realtime_url("lingxi"),
                                  subprotocols=offered) as ws:  # type: ignore[arg-type]
        assert ws.subprotocol == "realtime"
        created = await _first_event(ws)
        assert created["type"] == "session.created"
        assert "output_modalities" in created["session"]  # GA


async def test_the_beta_subprotocol_gets_the_beta_dialect(lingxi_server: ServerFactory) -> None:
    server = lingxi_server(SCRIPT, REPLIES)
    offered = ["realtime", "openai-beta.realtime-v1"]
    async with websockets.connect(server.realtime_url("lingxi"),
                                  subprotocols=offered) as ws:  # type: ignore[arg-type]
        assert ws.subprotocol == "realtime"
        created = await _first_event(ws)
        assert "modalities" in created["session"]  # the beta shape
