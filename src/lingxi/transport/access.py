"""Who may reach the server at all, before any route runs.

- A browser page from another origin may not open a call or use the JSON routes (cross-site
  WebSocket hijacking: any page a user visits could otherwise talk to a server on their
  loopback). Same-origin pages (the call page) and clients that send no Origin (SDKs, curl)
  pass; other origins only when listed.
- The Host header must name this server. Bound to loopback, only loopback names pass unless
  listed, which defeats DNS rebinding (a foreign name that resolves to 127.0.0.1).
- With API keys configured (LINGXI_API_KEYS), every route but the page, its files, /healthz,
  /v1/personas and the page's own key route needs a key or a client secret (lingxi.transport
  .keys); a client secret reaches only calls and its own user's data. The grant is left in
  the scope (`lingxi.grant`) for the routes.
- `/metrics` (it shows when risk was seen) answers loopback clients, or a full API key.
- Bound to loopback with no keys, the server is for this machine's user alone: a client from
  elsewhere, as a reverse proxy on this machine reports it (X-Forwarded-For, which uvicorn
  trusts from loopback only), is refused. A proxy must not turn the local server into an
  open one; deployments behind a proxy configure keys (docs/deploy.md).
"""

from __future__ import annotations

import ipaddress
import time
from collections.abc import Callable, Iterable
from urllib.parse import urlsplit

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from lingxi.transport.keys import Grant, Keys, credential

LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})
GRANT = "lingxi.grant"  # where the request's grant is left in the ASGI scope
PAGE_KEY_PATH = "/v1/page/key"
_PUBLIC = frozenset({"/", "/healthz", "/v1/personas", "/favicon.ico", PAGE_KEY_PATH})
# The page's files, and the operator route (its own token in the Authorization header).
_OWN_GATES = ("/static/", "/v1/calls/")
# What a client secret may reach (its own user's data is checked by the memory routes).
_FOR_SECRETS = ("/v1/realtime", "/v1/users/", "/v1/personas")


def grant_of(scope: Scope) -> Grant:
    grant = scope.get(GRANT)
    return grant if isinstance(grant, Grant) else Grant("open")


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
                 hosts: Iterable[str] = (), keys: Keys | None = None,
                 now: Callable[[], float] = time.time) -> None:
        self.app = app
        self.keys = keys or Keys(())
        self._now = now
        self.origins = frozenset(o.rstrip("/").lower() for o in origins)
        self.local_only = _is_loopback(bind_host) and not self.keys.enabled
        listed = frozenset(h.lower() for h in hosts)
        # Loopback-only servers accept only loopback names; others any name unless listed.
        self.hosts: frozenset[str] | None = (
            LOOPBACK_NAMES | listed if _is_loopback(bind_host) else (listed or None))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1")
                   for k, v in scope.get("headers", [])}
        refused = self._refusal(scope, headers)
        if refused is None:
            refused = self._authorise(scope, headers)
        if refused is None:
            await self.app(scope, receive, send)
            return
        status, reason = refused
        if scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": 1008, "reason": reason})
            return
        body = f'{{"error": "{reason}"}}'.encode()
        extra = [(b"www-authenticate", b"Bearer")] if status == 401 else []
        await send({"type": "http.response.start", "status": status,
                    "headers": [(b"content-type", b"application/json"),
                                (b"content-length", str(len(body)).encode()), *extra]})
        await send({"type": "http.response.body", "body": body})

    def _authorise(self, scope: Scope, headers: dict[str, str]) -> tuple[int, str] | None:
        path = str(scope.get("path", ""))
        if not self.keys.enabled or path in _PUBLIC or path.startswith(_OWN_GATES):
            return None
        grant = self.keys.check(credential(headers, scope.get("subprotocols", [])),
                                self._now())
        if grant is None:
            if path == "/metrics" and _from_loopback(scope):
                return None
            return 401, "an API key or a client secret is required (LINGXI_API_KEYS)"
        if not grant.full and not path.startswith(_FOR_SECRETS):
            return 403, "a client secret reaches calls and its own user only"
        scope[GRANT] = grant
        return None

    def _refusal(self, scope: Scope, headers: dict[str, str]) -> tuple[int, str] | None:
        if self.local_only and not _from_loopback(scope):
            return 403, "this server has no API keys: it answers this machine only " \
                        "(LINGXI_API_KEYS)"
        host = headers.get("host", "")
        if self.hosts is not None and _hostname(host) not in self.hosts:
            return 403, "this server does not answer to that host name"
        origin = headers.get("origin")
        if origin is not None and origin != "null":
            same = urlsplit(origin).netloc.lower() == host.lower()
            if not same and origin.rstrip("/").lower() not in self.origins:
                return 403, "cross-origin requests are not allowed (LINGXI_ALLOWED_ORIGINS)"
        elif origin == "null":
            return 403, "pages without an origin may not call this server"
        if scope.get("path") == "/metrics" and not self.keys.enabled and \
                not _from_loopback(scope):
            return 403, "metrics are served to this machine only"
        return None


# What every HTTP answer carries: the page runs only its own scripts and styles, talks only to
# its own server, is never framed (clickjacking), and leaks no URL to other sites.
_SECURITY_HEADERS = [
    (b"content-security-policy",
     b"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
     b"connect-src 'self' ws: wss:; media-src 'self' blob:; worker-src 'self' blob:; "
     b"frame-ancestors 'none'; base-uri 'none'; form-action 'none'"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
]


class SecurityHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *_SECURITY_HEADERS]
            await send(message)

        await self.app(scope, receive, with_headers)


def _from_loopback(scope: Scope) -> bool:
    client = scope.get("client") or ("", 0)
    return _is_loopback(str(client[0]))
