"""`lingxi serve` as a user starts it: a real process, on a port, with one or two workers."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import websockets

from tests.e2e.conftest import free_port, wait_until_serving


@contextmanager
def lingxi_serve(*args: str) -> Iterator[int]:
    port = free_port()
    env = {**os.environ, "LINGXI_LOG_LEVEL": "WARNING"}
    proc = subprocess.Popen([sys.executable, "-m", "lingxi.cli", "serve", "--port", str(port),
                             *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        wait_until_serving(proc, port)
        yield port
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
            pytest.fail("lingxi serve did not stop on Ctrl-C within 15 s")
    output = proc.stdout.read().decode() if proc.stdout else ""
    assert "FAKE ENGINES" in output  # said loudly in the log, not only on /healthz
    assert "Traceback" not in output, output


def http_get(port: int, path: str) -> str:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as response:
        return str(response.read().decode())


@pytest.mark.parametrize("workers", ["1", "2"])
async def test_serve_answers_health_metrics_and_calls(workers: str) -> None:
    with lingxi_serve("--workers", workers) as port:
        health = json.loads(http_get(port, "/healthz"))
        assert health["fake_engines"] == ["asr", "responder", "tts"]
        for _ in range(3):  # with two workers, calls land on either; each must work
            url = f"ws://127.0.0.1:{port}/v1/realtime?model=m{workers}"
            async with websockets.connect(url) as ws:
                created = json.loads(await ws.recv())
                assert created["type"] == "session.created"
                assert created["session"]["model"] == f"m{workers}"
                await ws.send(json.dumps({"type": "response.create", "response": {
                    "output_modalities": ["text"]}}))
                while (event := json.loads(await ws.recv()))["type"] != "response.done":
                    pass
                assert event["response"]["status"] == "completed"
        page = http_get(port, "/metrics")
        assert 'lingxi_calls_total{dialect="ga"} 3.0' in page
