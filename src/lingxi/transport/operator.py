"""The human-takeover hook: an operator (or an emergency contact's service) speaks into a live
call in Lingxi's place, e.g. after an escalation webhook named the call.

`POST /v1/calls/{call_id}/say` with `Authorization: Bearer <LINGXI_OPERATOR_TOKEN>` and
`{"text": "..."}`: the live reply stops and the operator's words are spoken at once. Disabled
(404) unless a token is configured. With several workers a call lives in one of them; the
others answer 404.
"""

from __future__ import annotations

import hmac
import json

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from lingxi.session.call import Call

_MAX_TEXT = 2000


def operator_routes(calls: dict[str, Call], token: str | None) -> list[Route]:
    async def say(request: Request) -> JSONResponse:
        if not token:
            return JSONResponse({"error": "the operator API is disabled"}, status_code=404)
        scheme, _, offered = request.headers.get("authorization", "").partition(" ")
        if scheme != "Bearer" or not hmac.compare_digest(offered.strip().encode(), token.encode()):
            return JSONResponse({"error": "unauthorised"}, status_code=401)
        call = calls.get(request.path_params["call_id"])
        if call is None:
            return JSONResponse({"error": "no such live call here"}, status_code=404)
        try:
            body = json.loads(await request.body())
            text = body["text"]
            if not isinstance(text, str) or not text.strip() or len(text) > _MAX_TEXT:
                raise ValueError
            text.encode("utf-8")  # a lone surrogate could never be sent on to the call
        except (ValueError, KeyError, TypeError):
            return JSONResponse({"error": f"send {{\"text\": \"...\"}} (1-{_MAX_TEXT} chars)"},
                                status_code=400)
        reply = call.operator_say(text.strip())
        return JSONResponse({"response_id": reply.handle.id}, status_code=202)

    return [Route("/v1/calls/{call_id}/say", say, methods=["POST"])]
