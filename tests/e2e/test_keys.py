"""API keys and client secrets: with keys configured nothing but the page and its files answers
without one; a client secret (minted with a key, the OpenAI way) opens calls for its own user
only and reaches no one else's data; the page gets a secret for its own anonymous id."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any, cast

import pytest
import websockets
from openai import AsyncOpenAI
from websockets.exceptions import InvalidStatus

from lingxi.config import Settings
from lingxi.engines.fake import SpeechScript
from lingxi.transport.keys import Keys, new_key
from tests.e2e.conftest import LingxiServer, serving

KEY, HASHED = new_key()


def _http(server: LingxiServer, method: str, path: str, key: str | None = None,
          body: dict[str, Any] | None = None) -> tuple[int, Any]:
    headers = {"Content-Type": "application/json"}
    if key:
        headers["Authorization"] = f"Bearer {key}"
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(f"http://127.0.0.1:{server.port}{path}", data=data,
                                     headers=headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return int(response.status), _parsed(response.read())
    except urllib.error.HTTPError as refused:
        return int(refused.code), _parsed(refused.read())


def _parsed(body: bytes) -> Any:
    try:
        return json.loads(body or b"null")
    except json.JSONDecodeError:
        return body.decode("utf-8", "replace")  # the page


async def _session(server: LingxiServer, *, key: str | None = None, protocol_key: str | None
                   = None, update: dict[str, Any] | None = None) -> list[dict[str, Any]] | int:
    """The events up to session.updated (or created), or the HTTP status of a refusal."""
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    protocols = ["realtime", f"openai-insecure-api-key.{protocol_key}"] if protocol_key else None
    try:
        async with websockets.connect(f"ws://127.0.0.1:{server.port}/v1/realtime",
                                      additional_headers=headers,
                                      subprotocols=protocols) as ws:  # type: ignore[arg-type]
            if protocol_key:
                assert ws.subprotocol == "realtime"  # never the key echoed back
            events = [json.loads(await ws.recv())]
            if update is not None:
                await ws.send(json.dumps({"type": "session.update", "session": update}))
                events.append(json.loads(await ws.recv()))
            return events
    except InvalidStatus as refused:
        return int(refused.response.status_code)


@pytest.fixture
def keyed(tmp_path: Path) -> Any:
    settings = Settings(duties=False, api_keys=[HASHED],
                        database_url=f"sqlite:///{tmp_path / 'lingxi.db'}")
    with serving(SpeechScript(), ["嗯。"], settings) as server:
        yield server


async def test_without_a_key_only_the_page_answers(keyed: LingxiServer) -> None:
    assert await _session(keyed) == 403  # refused in the handshake
    assert await _session(keyed, key="lx-wrong") == 403
    assert _http(keyed, "GET", "/v1/users/alice/export")[0] == 401
    assert _http(keyed, "GET", "/")[0] == 200
    assert _http(keyed, "GET", "/healthz")[0] == 200
    assert _http(keyed, "GET", "/v1/personas")[0] == 200


async def test_a_key_opens_calls_by_header_or_subprotocol(keyed: LingxiServer) -> None:
    by_header = await _session(keyed, key=KEY)
    by_protocol = await _session(keyed, protocol_key=KEY)
    assert isinstance(by_header, list) and by_header[0]["type"] == "session.created"
    assert isinstance(by_protocol, list) and by_protocol[0]["type"] == "session.created"


async def test_a_client_secret_from_the_sdk_opens_its_users_calls_only(
        keyed: LingxiServer) -> None:
    client = AsyncOpenAI(api_key=KEY, base_url=f"http://127.0.0.1:{keyed.port}/v1")
    secret = await client.realtime.client_secrets.create(
        expires_after={"anchor": "created_at", "seconds": 600},
        session=cast(Any, {"type": "realtime", "lingxi": {"user": "alice"}}))
    assert secret.value.startswith("ek_")
    events = await _session(keyed, protocol_key=secret.value)
    assert isinstance(events, list)
    assert events[0]["session"]["lingxi"]["user"] == "alice"  # bound from the start
    other = await _session(keyed, protocol_key=secret.value,
                           update={"lingxi": {"user": "bob"}})
    assert isinstance(other, list)
    assert other[-1]["type"] == "error" and other[-1]["error"]["param"] == "session.lingxi.user"
    # Data: its own user only; a secret cannot mint another.
    assert _http(keyed, "GET", "/v1/users/alice/export", secret.value)[0] == 404  # none yet
    assert _http(keyed, "GET", "/v1/users/bob/export", secret.value)[0] == 403
    assert _http(keyed, "DELETE", "/v1/users/bob", secret.value)[0] == 403
    # The mood chart and its consent: the same checks.
    assert _http(keyed, "GET", "/v1/users/alice/mood", secret.value)[0] == 200
    assert _http(keyed, "GET", "/v1/users/bob/mood", secret.value)[0] == 403
    assert _http(keyed, "GET", "/v1/users/bob/mood")[0] == 401
    assert _http(keyed, "PUT", "/v1/users/bob/mood/consent", secret.value, {"on": True})[0] == 403
    assert _http(keyed, "DELETE", "/v1/users/bob/mood", secret.value)[0] == 403
    assert _http(keyed, "GET", "/v1/users/bob/export", KEY)[0] == 404  # a key reaches anyone
    assert _http(keyed, "POST", "/v1/realtime/client_secrets", secret.value, {})[0] == 403


async def test_the_page_gets_a_secret_for_its_own_anonymous_id(keyed: LingxiServer) -> None:
    status, page = _http(keyed, "POST", "/v1/page/key", body={"user": "anon-1234"})
    assert status == 200 and page["user"] == "anon-1234"
    events = await _session(keyed, protocol_key=page["value"])
    assert isinstance(events, list) and events[0]["session"]["lingxi"]["user"] == "anon-1234"
    # A page cannot claim a user an app named.
    assert _http(keyed, "POST", "/v1/page/key", body={"user": "alice"})[0] == 400


def test_a_closed_page_gets_no_key(tmp_path: Path) -> None:
    settings = Settings(duties=False, api_keys=[HASHED], page_open=False)
    with serving(SpeechScript(), ["嗯。"], settings) as server:
        assert _http(server, "POST", "/v1/page/key", body={"user": "anon-1"})[0] == 403


def test_secrets_expire_and_cannot_be_forged() -> None:
    keys = Keys([HASHED])
    value, _, expires = keys.mint("alice", 60, now=1000.0)
    assert keys.check(value, now=1059.0) is not None
    assert keys.check(value, now=expires + 1) is None
    body, signature = value.split(".")
    forged = Keys([new_key()[1]]).mint("alice", 60, now=1000.0)[0]
    assert keys.check(forged, now=1001.0) is None  # signed by another server's keys
    assert keys.check(body + "." + signature[::-1], now=1001.0) is None
    assert Keys([]).check(None, now=0.0) is not None  # no keys: an open server
