"""The ASGI application."""

from __future__ import annotations

import contextlib
import gc
import logging
from importlib import resources

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Mount, Route, WebSocketRoute
from starlette.staticfiles import StaticFiles
from starlette.websockets import WebSocket, WebSocketDisconnect, WebSocketState

from lingxi import __version__, metrics, safety
from lingxi.assemble import build_engines, call_settings
from lingxi.clock import Clock, MonotonicClock
from lingxi.config import Settings
from lingxi.engines.llm.brain import brain_warning
from lingxi.engines.tts.clause_cache import ClauseCache
from lingxi.interfaces import Engines
from lingxi.memory.routes import memory_lifespan, memory_routes
from lingxi.memory.service import open_memory
from lingxi.preload import preload_data
from lingxi.protocol.dialect import BetaDialect, Dialect, GaDialect
from lingxi.session.call import Call
from lingxi.transport.access import AccessGuard, SecurityHeaders, grant_of
from lingxi.transport.keys import Keys
from lingxi.transport.operator import operator_routes
from lingxi.transport.personas import persona_routes
from lingxi.transport.secrets import secret_routes

log = logging.getLogger(__name__)


class WebSocketChannel:
    def __init__(self, ws: WebSocket) -> None:
        self._ws = ws

    async def receive(self) -> str | bytes | None:
        message = await self._ws.receive()
        if message["type"] == "websocket.disconnect":
            return None
        text: str | None = message.get("text")
        return text if text is not None else message.get("bytes") or b""

    async def send(self, text: str) -> None:
        # A peer that left mid-send is noticed (and the call ended) by the receive side.
        with contextlib.suppress(WebSocketDisconnect, RuntimeError):
            await self._ws.send_text(text)


REALTIME_SUBPROTOCOL = "realtime"
BETA_SUBPROTOCOL = "openai-beta.realtime-v1"


def _chosen_subprotocol(offered: list[str]) -> str | None:
    for wanted in (REALTIME_SUBPROTOCOL, BETA_SUBPROTOCOL):
        if wanted in offered:
            return wanted
    return None


def create_app(
    settings: Settings, *, engines: Engines | None = None, clock: Clock | None = None
) -> Starlette:
    clock = clock or MonotonicClock()
    engines = engines or build_engines(settings, clock)
    safety.preload()
    preload_data()
    memory = open_memory(enabled=settings.memory, url=settings.database_url,
                         retention_days=settings.retention_days,
                         note_tokens=settings.memory_note_tokens)
    if memory is not None and isinstance(engines.tts, ClauseCache):
        memory.on_evict.append(engines.tts.clear)
    per_call = call_settings(settings, clock, memory, engines.tts)
    warnings = []
    if (brain := brain_warning(settings)) is not None:
        warnings.append(brain)
    if settings.memory and memory is None:
        warnings.append("MEMORY OFF: the database could not be prepared (see the log)")
    if engines.fakes:
        warnings.append(
            f"FAKE ENGINES in use ({', '.join(engines.fakes)}): Lingxi does not understand or "
            "speak; replies are placeholders (LINGXI_ENGINES=local for the real models).")
        for w in warnings:
            log.warning("%s", w)

    live_calls: dict[str, Call] = {}
    keys = Keys(settings.api_keys)

    async def realtime(ws: WebSocket) -> None:
        offered = [p.strip() for p in ws.scope.get("subprotocols", [])]
        beta = (ws.headers.get("openai-beta", "").replace(" ", "").lower() == "realtime=v1"
                or BETA_SUBPROTOCOL in offered)
        dialect: Dialect = BetaDialect() if beta else GaDialect()
        model = ws.query_params.get("model") or "lingxi"
        if len(live_calls) >= settings.max_calls:
            metrics.ERRORS_TOTAL.labels("server_busy").inc()
            await ws.close(code=1013, reason="the server is at its call limit; try again")
            return
        # Browser-style clients offer subprotocols (and their key as one); a standard client
        # fails the handshake unless the server picks one of them.
        await ws.accept(subprotocol=_chosen_subprotocol(offered))
        metrics.CALLS_TOTAL.labels(dialect.name).inc()
        metrics.CALLS_ACTIVE.inc()
        grant = grant_of(ws.scope)  # a client secret binds the call to its user
        call = Call(engines, clock, settings=per_call, dialect=dialect, model=model,
                    user=None if grant.full else grant.user)
        call_id = call.session.id or ""
        live_calls[call_id] = call
        try:
            await call.run(WebSocketChannel(ws))
            if ws.client_state == WebSocketState.CONNECTED:
                # The call ended on purpose (the caller said goodbye): a normal closure, so a
                # client can tell it from a dropped connection and not redial.
                with contextlib.suppress(WebSocketDisconnect, RuntimeError):
                    await ws.close(call.close_code)
        finally:
            live_calls.pop(call_id, None)
            metrics.CALLS_ACTIVE.dec()

    async def healthz(_: Request) -> JSONResponse:
        failures = metrics.recent_failures()
        return JSONResponse({
            "status": "degraded" if failures else "ok", "version": __version__,
            "engines": engines.names(), "fake_engines": engines.fakes, "warnings": warnings,
            "recent_failures": failures,  # by part, in the last five minutes
        })

    async def metrics_endpoint(_: Request) -> Response:
        body, media_type = metrics.exposition()
        return Response(body, media_type=media_type)

    async def index(_: Request) -> HTMLResponse:
        page = resources.files("lingxi.web").joinpath("index.html").read_text("utf-8")
        return HTMLResponse(page)

    return Starlette(routes=[
        WebSocketRoute("/v1/realtime", realtime),
        Route("/healthz", healthz),
        Route("/metrics", metrics_endpoint),
        Route("/", index),
        # The page's scripts, styles and audio worklets (package data of lingxi.web).
        Mount("/static", StaticFiles(packages=[("lingxi", "web")]), name="static"),
        *operator_routes(live_calls, settings.operator_token),
        *persona_routes(per_call.personas, lambda persona, minor: per_call.profile.persona_allowed(
            persona.relationship, minor=minor or settings.minor_mode)),
        *memory_routes(memory, may_act_for=lambda r, user: grant_of(r.scope).may_act_for(user),
                       mood_allowed=settings.mood_minors or not settings.minor_mode),
        *secret_routes(keys, page_open=settings.page_open),
    ], lifespan=memory_lifespan(memory), middleware=[
        Middleware(SecurityHeaders),
        Middleware(AccessGuard, bind_host=settings.host, origins=settings.allowed_origins,
                   hosts=settings.allowed_hosts, keys=keys)])


def tune_gc() -> None:
    """Collect garbage less often: fewer, shorter stalls of the audio loop.

    Every audio message allocates; with CPython's default thresholds the collector runs
    hundreds of times a second and its older generations stall the loop for tens of ms under
    load (measured: delta lag p99 297 → 44 ms at 150 calls). Objects from start-up are frozen
    out of collection altogether.
    """
    gc.freeze()
    gc.set_threshold(20_000, 50, 1000)


def app_from_env() -> Starlette:
    """Factory for worker processes: settings come from the LINGXI_* environment."""
    app = create_app(Settings())
    tune_gc()
    return app
