"""The deployment path of docs/deploy.md, for real: Debian's nginx (TLS, the site `lingxi deploy
nginx` writes) in front of two `lingxi serve` processes sharing a throwaway PostgreSQL and one
model served on its own (an OpenAI-compatible chat server). The workers use the fake ears and
voice: what is under test is the path a call takes, not the models.

What a user of such a deployment relies on: any worker takes any call (no sticky sessions);
what a caller said on one worker is remembered on the other; a client secret minted through
one worker opens a call on another; keys are still needed through the proxy and /metrics is
not served through it; a worker killed mid-test takes only its own live call with it."""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import websockets

from lingxi.deploy import Site, nginx_site
from lingxi.transport.keys import new_key
from tests.chat_server import ChatServer, chat_server
from tests.e2e.conftest import free_port, wait_until_serving
from tests.postgres import fresh_postgres_db

NGINX = "/usr/sbin/nginx"
_TLS = ssl.create_default_context()
_TLS.check_hostname = False
_TLS.verify_mode = ssl.CERT_NONE  # the test's own self-signed certificate


@dataclass
class Worker:
    port: int
    proc: subprocess.Popen[bytes]

    def calls_taken(self) -> int:
        """Calls this worker accepted (its own /metrics, read on loopback as a scraper does)."""
        with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/metrics", timeout=5) as r:
            page = r.read().decode()
        return sum(int(float(n)) for n in re.findall(r'^lingxi_calls_total\{[^}]*\} (\S+)$',
                                                     page, re.MULTILINE))


@dataclass
class Deployment:
    url: str  # wss://…/v1/realtime through nginx
    https: str  # https://… through nginx
    key: str
    workers: list[Worker]
    model: ChatServer


def _self_signed(folder: Path) -> tuple[Path, Path]:
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=127.0.0.1", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True, timeout=60)
    return cert, key


@contextmanager
def _nginx(folder: Path, site: str, port: int) -> Iterator[None]:
    """Debian's nginx on the site, in the foreground, with every file in `folder`."""
    if not Path(NGINX).is_file():
        pytest.fail("nginx is not installed: run scripts/install.sh --test")
    for sub in ("body", "proxy"):
        (folder / sub).mkdir()
        (folder / sub).chmod(0o777)  # nginx's workers drop root for `nobody`
    (folder / "nginx.conf").write_text(f"""\
worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/error.log warn;
daemon off;
events {{ worker_connections 512; }}
http {{
    access_log off;
    client_body_temp_path {folder}/body;
    proxy_temp_path {folder}/proxy;
{site}
}}
""")
    proc = subprocess.Popen([NGINX, "-p", str(folder), "-c", str(folder / "nginx.conf"),
                             "-e", str(folder / "error.log")],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        _wait_for_https(proc, f"https://127.0.0.1:{port}/healthz")
        yield
    finally:
        proc.send_signal(signal.SIGQUIT)  # graceful stop
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _wait_for_https(proc: subprocess.Popen[bytes], url: str) -> None:
    for _ in range(300):
        assert proc.poll() is None, proc.stdout.read() if proc.stdout else b""
        try:
            with urllib.request.urlopen(url, timeout=2, context=_TLS):
                return
        except OSError:
            time.sleep(0.1)
    pytest.fail(f"nginx did not answer {url}")


def _start_worker(port: int, env: dict[str, str]) -> Worker:
    proc = subprocess.Popen([sys.executable, "-m", "lingxi.cli", "serve", "--port", str(port)],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    return Worker(port, proc)


@pytest.fixture
def deployment(postgres_server: str, tmp_path: Path) -> Iterator[Deployment]:
    database = asyncio.run(fresh_postgres_db(postgres_server))
    key, hashed = new_key()
    with chat_server(tokens=["你好", "，", "我在呢", "。"]) as model:
        env = {**os.environ, "LINGXI_ENGINES": "fake", "LINGXI_LOG_LEVEL": "WARNING",
               "LINGXI_DATABASE_URL": database, "LINGXI_API_KEYS": json.dumps([hashed]),
               "LINGXI_LLM_BASE_URL": model.base_url}
        # Started together, as a service manager would: both migrate the one empty database.
        workers = [_start_worker(free_port(), env) for _ in range(2)]
        try:
            for w in workers:
                wait_until_serving(w.proc, w.port, within_s=60)
            cert, cert_key = _self_signed(tmp_path)
            port = free_port()
            site = nginx_site(Site(workers=[f"127.0.0.1:{w.port}" for w in workers],
                                   listen=f"127.0.0.1:{port}", certificate=cert,
                                   certificate_key=cert_key))
            with _nginx(tmp_path, site, port):
                yield Deployment(f"wss://127.0.0.1:{port}/v1/realtime",
                                 f"https://127.0.0.1:{port}", key, workers, model)
        finally:
            for w in workers:
                if w.proc.poll() is None:
                    w.proc.send_signal(signal.SIGINT)
            for w in workers:
                try:
                    w.proc.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    w.proc.kill()
                    w.proc.wait()
    for w in workers:
        output = w.proc.stdout.read().decode() if w.proc.stdout else ""
        assert "Traceback" not in output, output


@asynccontextmanager
async def _call(d: Deployment, credential: str, user: str) -> AsyncIterator[Any]:
    async with websockets.connect(d.url, ssl=_TLS, additional_headers={
            "Authorization": f"Bearer {credential}"}) as ws:
        assert json.loads(await ws.recv())["type"] == "session.created"
        await ws.send(json.dumps({"type": "session.update", "session": {
            "type": "realtime", "lingxi": {"user": user}}}))
        while (event := json.loads(await ws.recv()))["type"] != "session.updated":
            assert event["type"] != "error", event
        yield ws


async def _say(ws: Any, words: str) -> str:
    """A text turn; the reply's text."""
    await ws.send(json.dumps({"type": "conversation.item.create", "item": {
        "type": "message", "role": "user", "content": [{"type": "input_text", "text": words}]}}))
    await ws.send(json.dumps({"type": "response.create", "response": {
        "output_modalities": ["text"]}}))
    while (event := json.loads(await ws.recv()))["type"] != "response.done":
        assert event["type"] != "error", event
    assert event["response"]["status"] == "completed", event
    return str(event["response"]["output"][0]["content"][0]["text"])


def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=5, context=_TLS) as r:
            return int(r.status)
    except urllib.error.HTTPError as refused:
        return int(refused.code)


def _taken(d: Deployment) -> list[int]:
    return [w.calls_taken() for w in d.workers]


def _serving(d: Deployment, before: list[int]) -> int:
    """Which worker took the one call opened since `before`."""
    grew = [i for i, (a, b) in enumerate(zip(before, _taken(d), strict=True)) if b > a]
    assert len(grew) == 1, (before, _taken(d))
    return grew[0]


async def _remembered_by(d: Deployment, worker: Worker, user: str) -> list[str]:
    request = urllib.request.Request(f"http://127.0.0.1:{worker.port}/v1/users/{user}/export",
                                     headers={"Authorization": f"Bearer {d.key}"})

    def fetch() -> list[str]:
        with urllib.request.urlopen(request, timeout=5) as r:
            return [f["text"] for f in json.loads(r.read())["facts"]]

    return await asyncio.to_thread(fetch)


async def _mint_secret(d: Deployment, user: str) -> str:
    body = json.dumps({"session": {"type": "realtime", "lingxi": {"user": user}}}).encode()
    request = urllib.request.Request(
        f"{d.https}/v1/realtime/client_secrets", data=body, method="POST",
        headers={"Authorization": f"Bearer {d.key}", "Content-Type": "application/json"})

    def post() -> str:
        with urllib.request.urlopen(request, timeout=5, context=_TLS) as r:
            return str(json.loads(r.read())["value"])

    return await asyncio.to_thread(post)


async def test_calls_through_nginx_to_two_fake_engine_workers_sharing_postgresql(
        deployment: Deployment) -> None:
    d = deployment
    # Strangers are still out behind the proxy, and risk counts are not published through it.
    with pytest.raises(websockets.InvalidStatus):
        async with websockets.connect(d.url, ssl=_TLS):
            pass
    assert await asyncio.to_thread(_status, f"{d.https}/metrics") == 404
    assert await asyncio.to_thread(_status, f"{d.https}/healthz") == 200

    # A caller tells one worker who they are; the model by URL answers.
    before = _taken(d)
    async with _call(d, d.key, "alice") as ws:
        # (The first reply of a call opens with the AI disclosure.)
        assert (await _say(ws, "我叫小明。我住在杭州")).endswith("你好，我在呢。")
    first = _serving(d, before)
    for _ in range(100):  # the worker writes memory behind the call
        if {"小明", "杭州"} <= set(await _remembered_by(d, d.workers[first], "alice")):
            break
        await asyncio.sleep(0.1)

    # A browser's client secret, minted through the proxy, opens calls on any worker; the one
    # the other worker takes remembers the caller.
    secret = await _mint_secret(d, "alice")
    for _ in range(4):
        before = _taken(d)
        async with _call(d, secret, "alice") as ws:
            if _serving(d, before) == first:
                continue
            answer = await _say(ws, "你记得我什么？")
        break
    else:
        pytest.fail("nginx never sent a call to the second worker")
    assert "你叫小明" in answer and "杭州" in answer

    # A worker dies with a call on it: that call ends; new calls go to the one left.
    before = _taken(d)
    async with _call(d, d.key, "bob") as ws:
        victim = d.workers[_serving(d, before)]
        victim.proc.kill()
        victim.proc.wait()
        with pytest.raises(websockets.ConnectionClosed):
            await asyncio.wait_for(ws.recv(), 30)
    survivor = next(w for w in d.workers if w is not victim)
    before_survivor = survivor.calls_taken()
    for i in range(4):
        async with _call(d, d.key, f"carol-{i}") as ws:
            assert (await _say(ws, "你好")).endswith("你好，我在呢。")
    assert survivor.calls_taken() == before_survivor + 4
