"""The escalation webhook against a real local HTTP receiver: signed, retried, de-duplicable."""

from __future__ import annotations

import asyncio
import json
import logging
import socket
from collections.abc import Iterable
from dataclasses import dataclass, field

import pytest

from lingxi.safety.escalation import (
    EVENT_ID_HEADER,
    SIGNATURE_HEADER,
    EscalationEvent,
    EscalationNotifier,
    event_body,
    sign,
    verify_signature,
)

SECRET = "whsec-test-0123456789"
NOW = 1_750_000_000.0
EVENT = EscalationEvent(
    call_id="call-7", level="plan", reasons=("plan.method.zh", "plan.means.zh"),
    region="CN", at=NOW - 3.5,
)


@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    """A minimal HTTP/1.1 server: answers each request with the next scripted status."""

    statuses: list[int]
    requests: list[Request] = field(default_factory=list)
    signature_ok: list[bool] = field(default_factory=list)
    url: str = ""

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            head = await reader.readuntil(b"\r\n\r\n")
            lines = head.decode("latin-1").split("\r\n")
            method, path, _ = lines[0].split(" ", 2)
            headers = {}
            for line in lines[1:]:
                if line:
                    key, _, value = line.partition(":")
                    headers[key.strip().lower()] = value.strip()
            body = await reader.readexactly(int(headers.get("content-length", "0")))
            self.requests.append(Request(method, path, headers, body))
            self.signature_ok.append(
                verify_signature(SECRET, headers.get(SIGNATURE_HEADER.lower(), ""), body,
                                 now=NOW)
            )
            status = self.statuses.pop(0) if self.statuses else 200
            writer.write(
                f"HTTP/1.1 {status} X\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"
                .encode()
            )
            await writer.drain()
        finally:
            writer.close()


async def _receiver(statuses: Iterable[int]) -> tuple[Receiver, asyncio.Server]:
    recv = Receiver(list(statuses))
    server = await asyncio.start_server(recv.handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    recv.url = f"http://127.0.0.1:{port}/hooks/lingxi"
    return recv, server


def _notifier(url: str, *, retries: int = 4) -> EscalationNotifier:
    return EscalationNotifier(url, SECRET, clock=lambda: NOW, retries=retries, backoff_s=0.01,
                              timeout_s=1.0)


async def test_retries_5xx_then_succeeds_with_same_event_id(
    caplog: pytest.LogCaptureFixture,
) -> None:
    recv, server = await _receiver([500, 503, 200])
    caplog.set_level(logging.INFO, logger="lingxi.safety.escalation")
    try:
        assert await _notifier(recv.url).notify(EVENT) is True
    finally:
        server.close()
        await server.wait_closed()

    assert len(recv.requests) == 3
    assert all(recv.signature_ok)
    ids = {r.headers[EVENT_ID_HEADER.lower()] for r in recv.requests}
    assert len(ids) == 1 and ids.pop()
    assert {r.body for r in recv.requests} == {recv.requests[0].body}
    first = recv.requests[0]
    assert first.method == "POST" and first.path == "/hooks/lingxi"
    assert first.headers["content-type"] == "application/json"

    payload = json.loads(first.body)
    assert payload == {
        "type": "lingxi.escalation",
        "event_id": first.headers[EVENT_ID_HEADER.lower()],
        "call_id": "call-7",
        "level": "plan",
        "reasons": ["plan.method.zh", "plan.means.zh"],
        "region": "CN",
        "at": NOW - 3.5,
        "takeover": {"hint": "a human operator may join this call"},
    }
    assert "text" not in payload and "transcript" not in payload

    attempts = [r for r in caplog.records if "attempt=" in r.getMessage()]
    assert len(attempts) == 3
    assert [r.getMessage().split("status=")[1] for r in attempts] == ["500", "503", "200"]
    assert all("level=plan" in r.getMessage() and "call_id=call-7" in r.getMessage()
               for r in attempts)


async def test_each_event_gets_its_own_id() -> None:
    recv, server = await _receiver([200, 200])
    try:
        notifier = _notifier(recv.url)
        assert await notifier.notify(EVENT) and await notifier.notify(EVENT)
    finally:
        server.close()
        await server.wait_closed()
    assert len({r.headers[EVENT_ID_HEADER.lower()] for r in recv.requests}) == 2


async def test_receiver_down_returns_false_after_retries(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with socket.socket() as sock:  # a port nobody is listening on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    caplog.set_level(logging.INFO, logger="lingxi.safety.escalation")
    waits: list[float] = []

    async def sleep(seconds: float) -> None:  # the backoff, recorded instead of wall time
        waits.append(seconds)

    notifier = EscalationNotifier(f"http://127.0.0.1:{port}/hook", SECRET, clock=lambda: NOW,
                                  sleep=sleep, retries=3, backoff_s=0.01, timeout_s=1.0)
    assert await notifier.notify(EVENT) is False
    # Short, doubling waits between the four attempts: the caller is not kept hanging.
    assert waits == [0.01, 0.02, 0.04]
    attempts = [r for r in caplog.records if "attempt=" in r.getMessage()]
    assert [f"attempt={n}" in r.getMessage() for n, r in enumerate(attempts, 1)] == [True] * 4
    assert any("after 4 attempts" in r.getMessage() for r in caplog.records)


async def test_persistent_5xx_returns_false_after_retries() -> None:
    recv, server = await _receiver([502] * 10)
    try:
        assert await _notifier(recv.url, retries=2).notify(EVENT) is False
    finally:
        server.close()
        await server.wait_closed()
    assert len(recv.requests) == 3


@pytest.mark.parametrize("status", [400, 401, 404])
async def test_4xx_is_not_retried(status: int) -> None:
    recv, server = await _receiver([status, 200])
    try:
        assert await _notifier(recv.url).notify(EVENT) is False
    finally:
        server.close()
        await server.wait_closed()
    assert len(recv.requests) == 1


@pytest.mark.parametrize("status", [408, 429])
async def test_408_and_429_are_retried(status: int) -> None:
    recv, server = await _receiver([status, 200])
    try:
        assert await _notifier(recv.url).notify(EVENT) is True
    finally:
        server.close()
        await server.wait_closed()
    assert len(recv.requests) == 2


def test_verify_signature_rejects_tampering_wrong_secret_and_old_timestamps() -> None:
    body = event_body(EVENT, "abc123")
    t = int(NOW)
    header = sign(SECRET, body, t)
    assert verify_signature(SECRET, header, body, now=NOW)
    assert verify_signature(SECRET, header, body.decode(), now=NOW)

    tampered = body.replace(b'"plan"', b'"imminent"')
    assert tampered != body
    assert not verify_signature(SECRET, header, tampered, now=NOW)
    assert not verify_signature("another-secret", header, body, now=NOW)

    assert not verify_signature(SECRET, header, body, now=NOW + 301)
    assert not verify_signature(SECRET, header, body, now=NOW - 301)
    assert verify_signature(SECRET, header, body, now=NOW + 299)
    old = sign(SECRET, body, t - 3600)
    assert not verify_signature(SECRET, old, body, now=NOW)
    assert verify_signature(SECRET, old, body, now=NOW, tolerance_s=4000)

    # A timestamp moved forward without re-signing does not verify.
    digest = header.split("v1=")[1]
    assert not verify_signature(SECRET, f"t={t + 10},v1={digest}", body, now=NOW)
    # Rotation: one of several v1 entries may match.
    assert verify_signature(SECRET, f"t={t},v1={'0' * 64},v1={digest}", body, now=NOW)
    for bad in ("", "garbage", f"v1={digest}", f"t={t}", f"t=abc,v1={digest}",
                f"t={t},t={t},v1={digest}"):
        assert not verify_signature(SECRET, bad, body, now=NOW)


def test_event_rejects_free_text_and_other_levels() -> None:
    with pytest.raises(ValueError, match="reason codes"):
        EscalationEvent("c", "plan", ("我已经把药攒好了",), "CN", NOW)
    with pytest.raises(ValueError, match="reason codes"):
        EscalationEvent("c", "plan", ("i have the pills ready",), "US", NOW)
    with pytest.raises(ValueError, match="level"):
        EscalationEvent("c", "active", (), "CN", NOW)
    with pytest.raises(ValueError, match="call_id"):
        EscalationEvent("", "imminent", (), "CN", NOW)


def test_notifier_rejects_bad_config() -> None:
    with pytest.raises(ValueError):
        EscalationNotifier("ftp://x", SECRET)
    with pytest.raises(ValueError):
        EscalationNotifier("http://x", "")
    with pytest.raises(ValueError):
        EscalationNotifier("http://x", SECRET, retries=-1)
