"""Escalation: tell a human when a call reaches `plan` or `imminent` risk.

The notifier POSTs a small JSON event to a configured webhook (an emergency contact's relay,
an operator console). It is signed, retried and logged, and carries reason *codes* only —
never transcript text.

```python
notifier = EscalationNotifier("https://ops.example/hooks/lingxi", secret)
ok = await notifier.notify(EscalationEvent(
    call_id="c-42", level="plan", reasons=("plan.method.zh",), region="CN", at=time.time()))
```

Wire format (one request per attempt; the body and event id are the same on every attempt):

- `Content-Type: application/json`
- `X-Lingxi-Event-Id: <hex>`: unique per event, repeated on retries so the receiver can
  de-duplicate.
- `X-Lingxi-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, f"{t}." + body)>`
  (Stripe style; `t` is the time of the attempt). Receivers check it with `verify_signature`.
- body: `{"type": "lingxi.escalation", "event_id", "call_id", "level", "reasons", "region",
  "at", "takeover": {"hint": "a human operator may join this call"}}`.

Retries: connection errors, timeouts, 5xx, 408 and 429 are retried up to `retries` times after
the first attempt, waiting `backoff_s`, `2 * backoff_s`, `4 * backoff_s` … in between. Any other
4xx is a configuration error (bad URL, wrong secret) and is not retried.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import re
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import httpx

from lingxi.clock import MonotonicClock

log = logging.getLogger(__name__)

EVENT_TYPE = "lingxi.escalation"
LEVELS = ("plan", "imminent")
MINOR_LEVELS = ("active", *LEVELS)  # a minor's guardian is told one level earlier
SIGNATURE_HEADER = "X-Lingxi-Signature"
EVENT_ID_HEADER = "X-Lingxi-Event-Id"
TAKEOVER_HINT = "a human operator may join this call"
RETRYABLE_4XX = frozenset({408, 429})

# A reason code is a short machine identifier such as "plan.method.zh": this keeps free text
# (a transcript fragment) from being passed off as a reason.
_REASON_CODE = re.compile(r"[a-z0-9][a-z0-9_.:-]{0,63}")


@dataclass(frozen=True, slots=True)
class EscalationEvent:
    """One escalation: which call, how severe, why (reason codes), where, when (unix s)."""

    call_id: str
    level: str
    reasons: tuple[str, ...]
    region: str
    at: float
    minor: bool = False  # the caller is a minor: the receiver is their guardian's contact

    def __post_init__(self) -> None:
        if not self.call_id:
            raise ValueError("call_id must not be empty")
        allowed = MINOR_LEVELS if self.minor else LEVELS
        if self.level not in allowed:
            raise ValueError(f"level must be one of {allowed}, not {self.level!r}")
        for code in self.reasons:
            if not isinstance(code, str) or not _REASON_CODE.fullmatch(code):
                raise ValueError(f"reasons must be reason codes, not {code!r:.40}")


def event_body(event: EscalationEvent, event_id: str) -> bytes:
    """The JSON body sent for `event` (compact, UTF-8)."""
    payload: dict[str, Any] = {
        "type": EVENT_TYPE,
        "event_id": event_id,
        "call_id": event.call_id,
        "level": event.level,
        "reasons": list(event.reasons),
        "region": event.region,
        "at": event.at,
        "takeover": {"hint": TAKEOVER_HINT},
    }
    if event.minor:
        payload["minor"] = True
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _as_bytes(body: bytes | str) -> bytes:
    return body.encode("utf-8") if isinstance(body, str) else body


def _digest(secret: str, timestamp: int, body: bytes) -> str:
    message = f"{timestamp}.".encode() + body
    return hmac.new(secret.encode("utf-8"), message, hashlib.sha256).hexdigest()


def sign(secret: str, body: bytes | str, timestamp: int) -> str:
    """The `X-Lingxi-Signature` header value for `body` signed at `timestamp`."""
    return f"t={timestamp},v1={_digest(secret, timestamp, _as_bytes(body))}"


def verify_signature(
    secret: str, header: str, body: bytes | str, *, now: float, tolerance_s: float = 300
) -> bool:
    """True if `header` is a valid signature of `body` made within `tolerance_s` of `now`.

    `body` must be the raw request body, byte for byte. Several `v1=` entries are accepted
    (for secret rotation); any malformed header is simply invalid.
    """
    timestamp: int | None = None
    candidates: list[str] = []
    for part in header.split(","):
        key, sep, value = part.strip().partition("=")
        if not sep:
            return False
        if key == "t":
            if timestamp is not None or not value.isdigit():
                return False
            timestamp = int(value)
        elif key == "v1":
            candidates.append(value)
    if timestamp is None or not candidates or abs(now - timestamp) > tolerance_s:
        return False
    expected = _digest(secret, timestamp, _as_bytes(body))
    # Compare every candidate (no early exit) in constant time.
    matches = [hmac.compare_digest(expected, c) for c in candidates]
    return any(matches)


class EscalationNotifier:
    """Sends `EscalationEvent`s to one webhook, signed with a shared secret."""

    def __init__(
        self,
        url: str,
        secret: str,
        *,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], Awaitable[None]] | None = None,
        retries: int = 4,
        backoff_s: float = 0.5,
        timeout_s: float = 5.0,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        if not url.startswith(("http://", "https://")):
            raise ValueError("escalation url must be http:// or https://")
        if not secret:
            raise ValueError("escalation secret must not be empty")
        if retries < 0 or backoff_s < 0 or timeout_s <= 0:
            raise ValueError("retries and backoff_s must be >= 0, timeout_s > 0")
        self._url = url
        self._secret = secret
        self._clock = clock  # wall time: signatures and event times are unix seconds
        # Backoff waits on the call server's clock (MonotonicClock unless one is injected).
        self._sleep = sleep or MonotonicClock().sleep
        self._retries = retries
        self._backoff_s = backoff_s
        self._timeout_s = timeout_s
        self._transport = transport

    def now(self) -> float:
        """Wall-clock time as this notifier stamps it (unix seconds)."""
        return self._clock()

    async def notify(self, event: EscalationEvent) -> bool:
        """POST the event as JSON to `url`, signed; retry on connection errors and 5xx with
        exponential backoff; True once a 2xx arrives, False after the last retry. Every attempt
        is logged (level, call_id, attempt, status) — never transcript text."""
        event_id = uuid.uuid4().hex
        body = event_body(event, event_id)
        attempts = self._retries + 1
        client = httpx.AsyncClient(
            transport=self._transport, timeout=self._timeout_s, follow_redirects=False
        )
        try:
            for attempt in range(1, attempts + 1):
                if attempt > 1:
                    await self._sleep(self._backoff_s * 2 ** (attempt - 2))
                headers = {
                    "Content-Type": "application/json",
                    EVENT_ID_HEADER: event_id,
                    SIGNATURE_HEADER: sign(self._secret, body, int(self._clock())),
                }
                try:
                    response = await client.post(self._url, content=body, headers=headers)
                except httpx.TransportError as exc:
                    self._log(logging.WARNING, event, event_id, attempt, type(exc).__name__)
                    continue
                status = response.status_code
                if 200 <= status < 300:
                    self._log(logging.INFO, event, event_id, attempt, str(status))
                    return True
                if status >= 500 or status in RETRYABLE_4XX:
                    self._log(logging.WARNING, event, event_id, attempt, str(status))
                    continue
                # Any other status (4xx, stray 3xx): the webhook is misconfigured; retrying
                # will not help.
                self._log(logging.ERROR, event, event_id, attempt, f"{status} (not retried)")
                return False
        finally:
            # A transport passed in belongs to the caller; closing the client would close it.
            if self._transport is None:
                await client.aclose()
        log.error(
            "escalation failed: level=%s call_id=%s event_id=%s after %d attempts",
            event.level, event.call_id, event_id, attempts,
        )
        return False

    def _log(
        self, level: int, event: EscalationEvent, event_id: str, attempt: int, status: str
    ) -> None:
        log.log(
            level,
            "escalation attempt: level=%s call_id=%s event_id=%s attempt=%d status=%s",
            event.level, event.call_id, event_id, attempt, status,
        )
