"""`GET /v1/personas`: who can answer, for the page's persona picker."""

from __future__ import annotations

from collections.abc import Callable

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from lingxi.personas import PersonaBook
from lingxi.personas.model import Persona


def persona_routes(book: PersonaBook,
                   offered: Callable[[Persona, bool], bool] = lambda p, minor: True,
                   ) -> list[Route]:
    """`offered(persona, minor)`: whether the list may offer a persona to this caller (the
    safety profile keeps virtual partners and family members from minors)."""

    async def personas(request: Request) -> JSONResponse:
        # ?lang=zh|en picks the texts' language; by default each persona's own. ?minor=true:
        # the list for a minor's page.
        lang = request.query_params.get("lang")
        minor = request.query_params.get("minor", "").lower() in ("1", "true")
        if lang not in (None, "zh", "en"):
            return JSONResponse({"error": {"code": "invalid_value",
                                           "message": "lang must be 'zh' or 'en'"}},
                                status_code=400)
        return JSONResponse({"default": book.default,
                             "personas": [p.summary(lang) for p in book if offered(p, minor)]})

    return [Route("/v1/personas", personas)]
