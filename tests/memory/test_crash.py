"""A real `lingxi serve` killed with SIGKILL in the middle of a call loses at most the turn
that was not finished: every finished turn is in the database after a restart."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import websockets

from tests.e2e.conftest import free_port, wait_until_serving


@contextmanager
def serve(db_url: str) -> Iterator[tuple[subprocess.Popen[bytes], int]]:
    port = free_port()
    env = {**os.environ, "LINGXI_LOG_LEVEL": "WARNING", "LINGXI_DATABASE_URL": db_url,
           "LINGXI_DUTIES": "false",
           # Replies take a while, so the kill lands in the middle of one.
           "LINGXI_FAKE_FIRST_TOKEN_S": "0.5", "LINGXI_FAKE_TOKEN_INTERVAL_S": "0.05"}
    proc = subprocess.Popen([sys.executable, "-m", "lingxi.cli", "serve", "--port", str(port)],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        wait_until_serving(proc, port)
        yield proc, port
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait()


async def next_of(ws: Any, kind: str) -> dict[str, Any]:
    while True:
        event = json.loads(await ws.recv())
        assert event["type"] != "error", event
        if event["type"] == kind:
            return event  # type: ignore[no-any-return]


async def user_turn(ws: Any, words: str) -> None:
    await ws.send(json.dumps({"type": "conversation.item.create", "item": {
        "type": "message", "role": "user", "content": [{"type": "input_text", "text": words}]}}))
    await ws.send(json.dumps({"type": "response.create",
                              "response": {"output_modalities": ["text"]}}))


async def test_kill_9_mid_call_keeps_every_finished_turn(tmp_path: Path) -> None:
    # SQLite, the default (WAL, synchronous=NORMAL); the writer is the same for PostgreSQL.
    db_url = f"sqlite:///{tmp_path / 'lingxi.db'}"
    # The third turn must go to the (slow, fake) language model, so that the kill lands mid-reply:
    # "我在想要不要改签" after a bad day is read passive by the learned model (a false alarm, issue
    # 15), and its prepared safety reply could finish and be saved before the kill.
    said = ["我叫小王，我今天误机了", "下午的会全泡汤了", "那我改签到明天早上吧"]
    heard: list[str] = []
    with serve(db_url) as (proc, port):
        async with websockets.connect(f"ws://127.0.0.1:{port}/v1/realtime") as ws:
            await next_of(ws, "session.created")
            await ws.send(json.dumps({"type": "session.update", "session": {
                "type": "realtime", "lingxi": {"user": "u-crash"}}}))
            await next_of(ws, "session.updated")
            for words in said[:2]:
                await user_turn(ws, words)
                done = await next_of(ws, "response.done")
                heard.append(done["response"]["output"][0]["content"][0]["text"])
            await user_turn(ws, said[2])
            await next_of(ws, "response.output_text.delta")  # the third reply is under way
            proc.send_signal(signal.SIGKILL)
            proc.wait()
    with serve(db_url) as (_, port):
        url = f"http://127.0.0.1:{port}/v1/users/u-crash/export"
        async with httpx.AsyncClient(timeout=10) as client:
            data = (await client.get(url)).json()
    turns = [(t["role"], t["text"]) for t in data["turns"]]
    assert turns == [("user", said[0]), ("assistant", heard[0]),
                     ("user", said[1]), ("assistant", heard[1]),
                     ("user", said[2])]  # the unfinished reply is the only loss
    assert {f["text"] for f in data["facts"]} == {"小王", "误机了"}
