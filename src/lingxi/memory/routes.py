"""Privacy over HTTP, for the page's settings: everything stored about a caller, as JSON, and
deleting all of it. The caller's id (which the page keeps) is what grants access."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from lingxi.memory.service import MemoryService

_MAX_ID = 128


def memory_routes(memory: MemoryService | None) -> list[Route]:
    def user_of(request: Request) -> str | None:
        user = str(request.path_params["user_id"])
        return user if 0 < len(user) <= _MAX_ID else None

    def unavailable() -> JSONResponse:
        return JSONResponse({"error": {"code": "memory_off",
                                       "message": "Memory is off on this server."}}, 503)

    async def export(request: Request) -> Response:
        user = user_of(request)
        if memory is None:
            return unavailable()
        if user is None:
            return JSONResponse({"error": {"code": "invalid_user",
                                           "message": "A user id is 1-128 characters."}}, 400)
        await memory.writer.drain()  # what is queued belongs in the export
        data = await memory.store.export(user)
        if data is None:
            return JSONResponse({"error": {"code": "not_found",
                                           "message": "Nothing is stored for this user."}}, 404)
        return JSONResponse(data, headers={
            "Content-Disposition": 'attachment; filename="lingxi-export.json"'})

    async def delete(request: Request) -> Response:
        user = user_of(request)
        if memory is None:
            return unavailable()
        if user is None:
            return JSONResponse({"error": {"code": "invalid_user",
                                           "message": "A user id is 1-128 characters."}}, 400)
        await memory.writer.drain()
        deleted = await memory.store.delete_user(user)
        return JSONResponse({"deleted": deleted, "user": user})

    return [Route("/v1/users/{user_id:str}/export", export, methods=["GET"]),
            Route("/v1/users/{user_id:str}", delete, methods=["DELETE"])]


def memory_lifespan(memory: MemoryService | None,
                    ) -> Callable[[Any], AbstractAsyncContextManager[None]]:
    """On a clean shutdown, commit what is still queued before the process exits."""

    @contextlib.asynccontextmanager
    async def lifespan(_: Any) -> AsyncIterator[None]:
        yield
        if memory is not None:
            await memory.close()

    return lifespan
