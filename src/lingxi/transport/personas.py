"""`GET /v1/personas`: who can answer, for the page's persona picker."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from lingxi.personas import PersonaBook


def persona_routes(book: PersonaBook) -> list[Route]:
    async def personas(request: Request) -> JSONResponse:
        # ?lang=zh|en picks the texts' language; by default each persona's own.
        lang = request.query_params.get("lang")
        if lang not in (None, "zh", "en"):
            return JSONResponse({"error": {"code": "invalid_value",
                                           "message": "lang must be 'zh' or 'en'"}},
                                status_code=400)
        return JSONResponse({"default": book.default,
                             "personas": [p.summary(lang) for p in book]})

    return [Route("/v1/personas", personas)]
