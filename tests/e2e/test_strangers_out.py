"""Strangers out: a web page from another origin cannot open a call on a server on the user's
loopback, a foreign host name (DNS rebinding) gets nothing, and the page itself, SDKs (no
Origin) and listed origins get through."""

from __future__ import annotations

import asyncio
import json
import urllib.error
import urllib.request

import pytest
import websockets
from websockets.exceptions import InvalidStatus

from lingxi.config import Settings
from lingxi.engines.fake import SpeechScript
from tests.e2e.conftest import serving

URL = "ws://127.0.0.1:{port}/v1/realtime"


async def _opens(port: int, **headers: str) -> bool:
    try:
        async with websockets.connect(URL.format(port=port), additional_headers=headers) as ws:
            return bool(json.loads(await ws.recv())["type"] == "session.created")
    except InvalidStatus as refused:
        assert refused.response.status_code == 403
        return False


def _get(port: int, path: str, **headers: str) -> int:
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return int(response.status)
    except urllib.error.HTTPError as refused:
        return int(refused.code)


@pytest.mark.parametrize("headers, opens", [
    ({}, True),  # an SDK sends no Origin
    ({"Origin": "http://127.0.0.1:{port}"}, True),  # the call page, same origin
    ({"Origin": "https://evil.example"}, False),  # any other page the user has open
    ({"Origin": "null"}, False),  # a sandboxed frame or a file
    ({"Host": "evil.example:{port}"}, False),  # DNS rebinding
])
async def test_who_may_open_a_call(headers: dict[str, str], opens: bool) -> None:
    with serving(SpeechScript(), ["嗯。"]) as server:
        given = {k: v.format(port=server.port) for k, v in headers.items()}
        assert await _opens(server.port, **given) is opens


async def test_a_listed_origin_may_open_a_call() -> None:
    settings = Settings(duties=False, allowed_origins=["https://app.example.com"])
    with serving(SpeechScript(), ["嗯。"], settings) as server:
        assert await _opens(server.port, Origin="https://app.example.com")
        assert not await _opens(server.port, Origin="https://other.example.com")


def test_http_routes_refuse_foreign_hosts_and_origins() -> None:
    with serving(SpeechScript(), ["嗯。"]) as server:
        assert _get(server.port, "/healthz") == 200
        assert _get(server.port, "/metrics") == 200  # from this machine
        assert _get(server.port, "/healthz", Host="rebound.example") == 403
        assert _get(server.port, "/v1/personas", Origin="https://evil.example") == 403


async def test_a_proxy_on_this_machine_does_not_open_a_keyless_server_to_others() -> None:
    """nginx on the same machine connects from loopback, saying whom for: a keyless server
    answers the local user through it, and nobody else."""
    with serving(SpeechScript(), ["嗯。"]) as server:
        assert await _opens(server.port, **{"X-Forwarded-For": "127.0.0.1"})
        assert _get(server.port, "/v1/personas", **{"X-Forwarded-For": "127.0.0.1"}) == 200
        assert not await _opens(server.port, **{"X-Forwarded-For": "203.0.113.7"})
        assert _get(server.port, "/v1/personas", **{"X-Forwarded-For": "203.0.113.7"}) == 403
        assert _get(server.port, "/healthz", **{"X-Forwarded-For": "203.0.113.7"}) == 403


async def test_beyond_the_call_limit_a_new_call_is_refused_and_the_others_go_on() -> None:
    settings = Settings(duties=False, max_calls=1)
    with serving(SpeechScript(), ["嗯。"], settings) as server:
        async with websockets.connect(URL.format(port=server.port)) as first:
            assert json.loads(await first.recv())["type"] == "session.created"
            assert not await _opens(server.port)
            await first.send(json.dumps({"type": "session.update", "session": {}}))
            assert json.loads(await first.recv())["type"] == "session.updated"
        # A place is free again once the server has seen the first call end.
        for _ in range(300):
            if await _opens(server.port):
                break
            await asyncio.sleep(0.1)
        else:
            raise AssertionError("the freed place never came back")
