"""Clients the project did not write, unchanged: the agents SDK for Node holds a spoken turn
and a text turn (it validates every server event with zod and crashes on a missing field) and
runs a tool the model calls,
the openai npm SDK talks to `lingxi serve` over TLS (it only speaks wss:), and a
browser-style handshake that offers subprotocols is answered with one."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import websockets

from lingxi.config import Settings
from lingxi.engines.fake import SpeechScript
from tests.chat_server import chat_server
from tests.e2e.conftest import ServerFactory, free_port, wait_until_serving
from tests.responder.live import live_lingxi

SCRIPT = SpeechScript().say(0.3, 1.5, "你好，今天过得怎么样")
REPLIES = ("我很好，谢谢你。", "嗯，我在听。")


def test_the_agents_sdk_for_node_holds_a_spoken_turn_a_barge_in_and_a_text_turn(
        lingxi_server: ServerFactory, node_clients: Path, tmp_path: Path) -> None:
    # The first reply is long (3.4 s of the fake voice): the caller speaks over it.
    server = lingxi_server(SCRIPT, ("好的，我来给你讲一个很长的故事，从前有座山，山里有座庙，"
                                    "庙里有个老和尚。", *REPLIES))
    audio = tmp_path / "said.pcm"
    audio.write_bytes(server.user_audio(3.0))
    done = subprocess.run(
        ["node", str(node_clients / "agents_realtime.mjs"), server.realtime_url("lingxi"),
         str(audio)], capture_output=True, timeout=90, check=False)
    lines = [json.loads(line) for line in done.stdout.decode().splitlines() if line.strip()]
    assert done.returncode == 0, (lines, done.stderr.decode()[-2000:])
    assert lines[-1]["ok"] is True and lines[-1]["turns"] >= 2
    assert lines[0]["audioBytes"] > 0  # the spoken turn was answered with audio
    assert lines[-1]["interrupted"] >= 1  # the SDK saw its reply cut by the caller's speech
    assert not server.errors


def _self_signed(folder: Path) -> tuple[Path, Path]:
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=127.0.0.1", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True, timeout=60)
    return cert, key


@pytest.mark.parametrize("script", ["openai_ws.mjs", "openai_ws_beta.mjs"], ids=["ga", "beta"])
def test_the_openai_npm_sdk_talks_to_lingxi_serve_over_tls(
        node_clients: Path, tmp_path: Path, script: str) -> None:
    cert, key = _self_signed(tmp_path)
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "lingxi.cli", "serve", "--port", str(port),
         "--ssl-certfile", str(cert), "--ssl-keyfile", str(key)],
        env={**os.environ, "LINGXI_ENGINES": "fake", "LINGXI_LOG_LEVEL": "WARNING"},
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        wait_until_serving(proc, port, tls=True)
        done = subprocess.run(
            ["node", str(node_clients / script), f"https://127.0.0.1:{port}/v1"],
            capture_output=True, timeout=60, check=False)
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=15)
    lines = [json.loads(line) for line in done.stdout.decode().splitlines() if line.strip()]
    assert done.returncode == 0, (lines, done.stderr.decode()[-2000:])
    assert lines[-1]["status"] == "completed" and lines[-1]["transcript"]
    if script.endswith("beta.mjs"):  # the beta dialect's own event names came back
        assert "response.audio_transcript.delta" in lines[-1]["kinds"]


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


def test_the_agents_sdk_for_node_runs_a_tool_the_model_calls(node_clients: Path) -> None:
    with chat_server(tokens=["It is sunny ", "in Paris."],
                     tool_calls=[{"name": "get_weather", "arguments": '{"city": "Paris"}'}]
                     ) as model, \
            live_lingxi(Settings(duties=False, llm_base_url=model.base_url)) as live:
        done = subprocess.run(
            ["node", str(node_clients / "agents_tool.mjs"),
             f"ws://127.0.0.1:{live.port}/v1/realtime?model=lingxi"],
            capture_output=True, timeout=90, check=False)
    lines = [json.loads(line) for line in done.stdout.decode().splitlines() if line.strip()]
    assert done.returncode == 0, (lines, done.stderr.decode()[-2000:])
    assert lines[-1]["ok"] is True
    assert lines[-1]["asked"] == ["Paris"]  # the SDK ran the function with the model's arguments
    assert model.requests[1]["messages"][-1]["content"] == "sunny, 21 degrees"


@pytest.mark.parametrize("mode", ["ws", "beta", "browser"])
def test_the_openai_npm_sdk_holds_every_kind_of_turn(
        node_clients: Path, tmp_path: Path, mode: str) -> None:
    """The npm SDK's Node class (key in a header), its beta client, and its browser class (a
    WHATWG WebSocket offering the key as a subprotocol): a text turn, a spoken turn, a
    barge-in, a tool call, against `lingxi serve` over TLS with a model by URL that calls
    tools."""
    cert, key = _self_signed(tmp_path)
    port = free_port()
    story = ["好的，", *["我来给你讲一个很长很长的故事，"] * 12]
    with chat_server(tokens=story, tool_calls=[
            {"name": "get_weather", "arguments": '{"city": "Paris"}'}]) as model:
        proc = subprocess.Popen(
            [sys.executable, "-m", "lingxi.cli", "serve", "--port", str(port),
             "--ssl-certfile", str(cert), "--ssl-keyfile", str(key)],
            env={**os.environ, "LINGXI_ENGINES": "fake", "LINGXI_LOG_LEVEL": "WARNING",
                 "LINGXI_LLM_BASE_URL": model.base_url, "LINGXI_DUTIES": "false"},
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        try:
            wait_until_serving(proc, port, tls=True)
            node = ["node", "--experimental-websocket"] if mode == "browser" else ["node"]
            done = subprocess.run(
                [*node, str(node_clients / "openai_full.mjs"), mode,
                 f"https://127.0.0.1:{port}/v1"],
                env={**os.environ, "NODE_TLS_REJECT_UNAUTHORIZED": "0"},
                capture_output=True, timeout=120, check=False)
        finally:
            proc.send_signal(signal.SIGINT)
            proc.wait(timeout=15)
    lines = [json.loads(line) for line in done.stdout.decode().splitlines() if line.strip()]
    assert done.returncode == 0, (lines, done.stderr.decode()[-2000:])
    steps = {line.get("step"): line for line in lines}
    assert steps["text"]["status"] == "completed"
    assert steps["spoken+barge-in"]["status"] == "cancelled"
    assert steps["spoken+barge-in"]["reason"] == "turn_detected"
    assert (steps["tool"]["name"], json.loads(steps["tool"]["arguments"])) == (
        "get_weather", {"city": "Paris"})
    assert steps["tool"]["status"] == "completed"
    assert lines[-1]["after"] == "cancelled"  # the app's own response.cancel
    assert model.requests[-1]["messages"][-1]["content"] == "sunny, 21 degrees"
