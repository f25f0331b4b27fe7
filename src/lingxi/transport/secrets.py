"""Client secrets over HTTP: `POST /v1/realtime/client_secrets` (OpenAI's shape) for an app's
backend holding an API key, and `POST /v1/page/key` for the call page, which holds none."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from lingxi.transport.access import PAGE_KEY_PATH, grant_of
from lingxi.transport.keys import Keys

PAGE_TTL_S = 600
DEFAULT_TTL_S = 600
_MAX_USER = 128
_MAX_BODY = 64 * 1024


def _error(code: str, message: str, status: int) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message}}, status)


async def _json_body(request: Request) -> dict[str, Any] | Response:
    raw = await request.body()
    if len(raw) > _MAX_BODY:
        return _error("invalid_request", "The body is too large.", 413)
    if not raw.strip():
        return {}
    try:
        data = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError):
        return _error("invalid_json", "The body is not valid JSON.", 400)
    return data if isinstance(data, dict) else _error("invalid_json", "Send a JSON object.", 400)


def _object(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _user(value: Any) -> str | Response | None:
    if value is None:
        return None
    if not isinstance(value, str) or not 0 < len(value) <= _MAX_USER:
        return _error("invalid_user", "A user id is 1-128 characters.", 400)
    return value


def secret_routes(keys: Keys, *, page_open: bool,
                  now: Callable[[], float] = time.time) -> list[Route]:
    async def client_secrets(request: Request) -> Response:
        if not grant_of(request.scope).full:
            return _error("forbidden", "A client secret cannot mint another.", 403)
        body = await _json_body(request)
        if isinstance(body, Response):
            return body
        session = _object(body.get("session"))
        lingxi = _object(session.get("lingxi"))
        user = _user(lingxi.get("user"))
        if isinstance(user, Response):
            return user
        after = body.get("expires_after")
        ttl = after.get("seconds") if isinstance(after, dict) else None
        if ttl is not None and (not isinstance(ttl, int) or not 10 <= ttl <= 7200):
            return _error("invalid_value", "expires_after.seconds is 10-7200.", 400)
        value, user, expires = keys.mint(user, ttl or DEFAULT_TTL_S, now())
        return JSONResponse({"value": value, "expires_at": expires,
                             "session": {**session, "lingxi": {**lingxi, "user": user}}})

    async def page_key(request: Request) -> Response:
        """The page's key, bound to its own anonymous id; only `anon-` ids, so a page can
        never claim a user an app named."""
        if not keys.enabled:
            return JSONResponse({"value": None, "expires_at": None})  # open: nothing needed
        if not page_open:
            return _error("forbidden", "The call page is closed on this server "
                          "(LINGXI_PAGE_OPEN).", 403)
        body = await _json_body(request)
        if isinstance(body, Response):
            return body
        user = _user(body.get("user"))
        if isinstance(user, Response):
            return user
        if user is not None and not user.startswith("anon-"):
            return _error("invalid_user", "The page's key is for its own anon- id.", 400)
        value, user, expires = keys.mint(user, PAGE_TTL_S, now())
        return JSONResponse({"value": value, "expires_at": expires, "user": user})

    return [Route("/v1/realtime/client_secrets", client_secrets, methods=["POST"]),
            Route(PAGE_KEY_PATH, page_key, methods=["POST"])]
