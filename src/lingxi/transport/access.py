"""Who may reach the server at all, before any route runs.

- A browser page from another origin may not open a call or use the JSON routes (cross-site
  WebSocket hijacking: any page a user visits could otherwise talk to a server on their
  loopback). Same-origin pages (the call page) and clients that send no Origin (SDKs, curl)
  pass; other origins only when listed.
- The Host header must name this server. Bound to loopback, only loopback names pass unless
  listed, which defeats DNS rebinding (a foreign name that resolves to 127.0.0.1).
- `/metrics` (it shows when risk was seen) answers loopback clients only.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from urllib.parse import urlsplit

from starlette.types import ASGIApp, Receive, Scope, Send

LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})


def _hostname(host_header: str) -> str:
    """`[::1]:8765` → `::1`; `Example.com:80` → `example.com`."""
    return (urlsplit(f"//{host_header}").hostname or "").lower()


def _is_loopback(address: str) -> bool:
    try:
        return ipaddress.ip_address(address).is_loopback
    except ValueError:
        return address == "localhost"


class AccessGuard:
    def __init__(self, app: ASGIApp, *, bind_host: str, origins: Iterable[str] = (),
                 hosts: Iterable[str] = ()) -> None:
        self.app = app
        self.origins = frozenset(o.rstrip("/").lower() for o in origins)
        listed = frozenset(h.lower() for h in hosts)
        # Loopback-only servers accept only loopback names; others any name unless listed.
        self.hosts: frozenset[str] | None = (
            LOOPBACK_NAMES | listed if _is_loopback(bind_host) else (listed or None))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        reason = self._refusal(scope)
        if reason is None:
            await self.app(scope, receive, send)
        elif scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": 1008, "reason": reason})
        else:
            body = f'{{"error": "{reason}"}}'.encode()
            await send({"type": "http.response.start", "status": 403,
                        "headers": [(b"content-type", b"application/json"),
                                    (b"content-length", str(len(body)).encode())]})
            await send({"type": "http.response.body", "body": body})

    def _refusal(self, scope: Scope) -> str | None:
        headers = {k.decode("latin-1").lower(): v.decode("latin-1")
                   for k, v in scope.get("headers", [])}
        host = headers.get("host", "")
        if self.hosts is not None and _hostname(host) not in self.hosts:
            return "this server does not answer to that host name"
        origin = headers.get("origin")
        if origin is not None and origin != "null":
            same = urlsplit(origin).netloc.lower() == host.lower()
            if not same and origin.rstrip("/").lower() not in self.origins:
                return "cross-origin requests are not allowed (LINGXI_ALLOWED_ORIGINS)"
        elif origin == "null":
            return "pages without an origin may not call this server"
        if scope.get("path") == "/metrics":
            client = scope.get("client") or ("", 0)
            if not _is_loopback(str(client[0])):
                return "metrics are served to this machine only"
        return None
