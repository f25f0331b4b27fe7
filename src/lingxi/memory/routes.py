"""Privacy over HTTP, for the page's settings: everything stored about a caller, as JSON, and
deleting all of it; the caller's mood chart, their consent to it, deleting it. The caller's id
(which the page keeps) is what grants access."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from lingxi.memory import mood_store
from lingxi.memory.service import MemoryService

_MAX_ID = 128


def memory_routes(memory: MemoryService | None,
                  may_act_for: Callable[[Request, str], bool] = lambda _r, _u: True,
                  *, mood_allowed: bool = True) -> list[Route]:
    """`may_act_for(request, user)`: whether the request's credential reaches that user.
    `mood_allowed`: False on a server for minors whose operator did not allow the mood
    timeline (it cannot be turned on from the page either)."""
    # `path`: an id an API client chose may hold "/" and must still be reachable.
    export_path, user_path = "/v1/users/{user_id:path}/export", "/v1/users/{user_id:path}"
    if memory is None:
        async def off(_: Request) -> Response:
            return _error("memory_off", "Memory is off on this server.", 503)

        return [*mood_routes(None, may_act_for, mood_allowed),
                Route(export_path, off, methods=["GET"]), Route(user_path, off, methods=["DELETE"])]

    async def caller(request: Request) -> str | Response:
        """The user the request names, with what is queued for them committed, or an error."""
        user = str(request.path_params["user_id"])
        if not 0 < len(user) <= _MAX_ID:
            return _error("invalid_user", "A user id is 1-128 characters.", 400)
        if not may_act_for(request, user):
            return _error("forbidden", "This key does not reach that user.", 403)
        await memory.writer.drain()  # what is queued belongs in the answer
        return user

    async def export(request: Request) -> Response:
        user = await caller(request)
        if isinstance(user, Response):
            return user
        data = await memory.store.export(user)
        if data is None:
            return _error("not_found", "Nothing is stored for this user.", 404)
        return JSONResponse(data, headers={
            "Content-Disposition": 'attachment; filename="lingxi-export.json"'})

    async def delete(request: Request) -> Response:
        user = await caller(request)
        if isinstance(user, Response):
            return user
        deleted = await memory.store.delete_user(user)
        memory.evict(user)
        return JSONResponse({"deleted": deleted, "user": user})

    # The mood routes first: "/v1/users/{id}/mood" must not be read as a user id with "/".
    return [*mood_routes(memory, may_act_for, mood_allowed),
            Route(export_path, export, methods=["GET"]),
            Route(user_path, delete, methods=["DELETE"])]


def mood_routes(memory: MemoryService | None, may_act_for: Callable[[Request, str], bool],
                mood_allowed: bool = True) -> list[Route]:
    """The caller's mood chart (`GET /v1/users/{id}/mood`), their consent (`PUT
    /v1/users/{id}/mood/consent` with `{"on": true|false}`; off deletes the timeline) and
    deleting the timeline (`DELETE /v1/users/{id}/mood`), behind the same checks as export."""
    chart_path = "/v1/users/{user_id:path}/mood"
    consent_path = chart_path + "/consent"

    async def caller(request: Request) -> str | Response:
        if memory is None:
            return _error("memory_off", "Memory is off on this server.", 503)
        user = str(request.path_params["user_id"])
        if not 0 < len(user) <= _MAX_ID:
            return _error("invalid_user", "A user id is 1-128 characters.", 400)
        if not may_act_for(request, user):
            return _error("forbidden", "This key does not reach that user.", 403)
        await memory.writer.drain()
        return user

    async def chart(request: Request) -> Response:
        user = await caller(request)
        if isinstance(user, Response):
            return user
        assert memory is not None
        return JSONResponse(await mood_store.export(memory.store, user))

    async def consent(request: Request) -> Response:
        user = await caller(request)
        if isinstance(user, Response):
            return user
        assert memory is not None
        try:
            body = await request.json()
        except ValueError:
            body = None
        if not isinstance(body, dict) or not isinstance(body.get("on"), bool):
            return _error("invalid_request", 'Send {"on": true} or {"on": false}.', 400)
        on: bool = body["on"]
        if on and not mood_allowed:
            return _error("mood_not_allowed",
                          "The mood timeline is off for minors on this server.", 403)
        await mood_store.set_consent(memory.store, user, mood_store.ON if on else mood_store.OFF,
                                     memory.wall())
        if not on:
            await mood_store.delete_timeline(memory.store, user)
        memory.mood_changed(user, on)
        return JSONResponse({"user": user, "consent": mood_store.ON if on else mood_store.OFF})

    async def delete(request: Request) -> Response:
        user = await caller(request)
        if isinstance(user, Response):
            return user
        assert memory is not None
        deleted = await mood_store.delete_timeline(memory.store, user)
        memory.mood_changed(user, None)
        return JSONResponse({"user": user, "deleted_turns": deleted})

    return [Route(consent_path, consent, methods=["PUT", "POST"]),
            Route(chart_path, chart, methods=["GET"]),
            Route(chart_path, delete, methods=["DELETE"])]


def _error(code: str, message: str, status: int) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message}}, status)


def memory_lifespan(memory: MemoryService | None,
                    ) -> Callable[[Any], AbstractAsyncContextManager[None]]:
    """On a clean shutdown, commit what is still queued before the process exits."""

    @contextlib.asynccontextmanager
    async def lifespan(_: Any) -> AsyncIterator[None]:
        yield
        if memory is not None:
            await memory.close()

    return lifespan
