"""What a client sends a call: each event decoded, checked and applied, or answered with a
clear error while the call goes on. `Call` inherits this; the state it reads is the call's."""

from __future__ import annotations

import binascii
import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

import pybase64
from pydantic import ValidationError

from lingxi import metrics
from lingxi.audio import AudioFormatError
from lingxi.clock import Clock
from lingxi.engines.denoise import NoiseReducer
from lingxi.interfaces import ChatMessage, Engines, calls_tools, sees_images
from lingxi.memory.context import CallMemory
from lingxi.offload import inline
from lingxi.protocol import client_events as ce
from lingxi.protocol import server_events as ev
from lingxi.protocol.client_events import ProtocolError
from lingxi.protocol.items import MessageItem
from lingxi.protocol.session import SessionConfig, apply_update, first_error, wire_format
from lingxi.session.conversation import Conversation
from lingxi.session.echo import EchoGuard
from lingxi.session.edge import Edge
from lingxi.session.hearing import Hearing
from lingxi.session.input import InputAudio
from lingxi.session.limits import ConnectionLimits
from lingxi.session.listener import Listener
from lingxi.session.outbox import Outbox
from lingxi.session.turns import TurnDetector

if TYPE_CHECKING:
    from lingxi.session.call import CallSettings
    from lingxi.session.reply import Reply

log = logging.getLogger("lingxi.session.call")


class Inbound:
    engines: Engines
    settings: CallSettings
    session: SessionConfig
    outbox: Outbox
    conversation: Conversation
    edge: Edge
    listener: Listener
    input: InputAudio
    memory: CallMemory
    reply: Reply | None
    clock: Clock
    echo: EchoGuard | None  # the reply's own echo is not the caller (settings.echo_guard)
    bound_user: str | None
    rates: ConnectionLimits
    _queued_turn_end: float | None
    _told_no_tools = False  # the client was told once that its tools cannot be called
    _told_no_images = False

    # The call's own, used here.
    spawn: Callable[[Any], Any]
    start_reply: Callable[..., Reply]
    cancel_reply: Callable[[str], bool]
    _observe: Callable[[str, str], None]

    def handle_message(self, raw: str | bytes) -> Awaitable[None] | None:
        """Handle one message; an append being heard off the loop is returned, to be awaited
        before the next message (a call's audio is heard in order)."""
        if not self.rates.admit():
            self._too_fast("messages")
            return None
        event_id: str | None = None
        try:
            event = self.edge.decode(raw)
            event_id = event.event_id
            if not isinstance(event, ce.BufferAppend) and not self.rates.events.take(1):
                self._too_fast("events")
                return None
            return self._dispatch(event)
        except ProtocolError as exc:
            self.error(exc.code, exc.message, param=exc.param,
                       event_id=exc.event_id or event_id, error_type=exc.error_type)
        except Exception:
            log.exception("handling a client event failed")
            self.error("server_error", "The server failed to handle this event; the call "
                       "continues.", event_id=event_id, error_type="server_error")
        return None

    def _too_fast(self, what: str) -> None:
        """Dropped: the client sends faster than any real one would."""
        metrics.ERRORS_TOTAL.labels("rate_limit_exceeded").inc()
        if self.rates.tell():
            limits = self.settings.limits
            pace = {"audio": f"{limits.audio_rate:g}x real time",
                    "events": f"{limits.events_per_s:g} events a second"}.get(
                what, f"{limits.messages_per_s:g} messages a second")
            self.error("rate_limit_exceeded", f"Too fast: {what} beyond {pace} are dropped.")

    def error(self, code: str, message: str, *, param: str | None = None,
              event_id: str | None = None, error_type: str = "invalid_request_error") -> None:
        metrics.ERRORS_TOTAL.labels(code).inc()
        self.outbox.control(ev.ErrorEvent(error=ev.ErrorDetail(
            type=error_type, code=code, message=message, param=param, event_id=event_id)))

    def _dispatch(self, event: ce.ClientEvent) -> Awaitable[None] | None:
        match event:
            case ce.SessionUpdate():
                self._update_session(event.session)
            case ce.BufferAppend():
                return self._append(event.audio, event.event_id)
            case ce.BufferCommit():
                self.listener.commit_manual()
            case ce.BufferClear():
                self.listener.clear()
                self.outbox.control(ev.BufferCleared())
            case ce.ItemCreate():
                self._create_item(event)
            case ce.ItemTruncate():
                self._truncate(event.item_id, event.content_index, event.audio_end_ms)
            case ce.ItemDelete():
                self._delete(event.item_id)
            case ce.ItemRetrieve():
                item = self.conversation.get(event.item_id).item
                self.outbox.control(ev.ItemRetrieved(item=item.model_copy(deep=True)))
            case ce.ResponseCreate():
                self._response_create(event.response)
            case ce.ResponseCancel():
                self._response_cancel(event.response_id)
            case ce.OutputAudioBufferClear():
                self._output_clear()
        return None

    def _update_session(self, update: dict[str, Any]) -> None:
        try:
            new = apply_update(self.session, update)
        except ValidationError as exc:
            param, message = first_error(exc)
            raise ProtocolError("invalid_value", f"Invalid session.{param}: {message}",
                                param=f"session.{param}") from exc
        except ValueError as exc:
            raise ProtocolError("invalid_value", str(exc), param="session.type") from exc
        self._check_persona(new)
        bound = self.bound_user
        if bound is not None and (new.lingxi is None or new.lingxi.user != bound):
            raise ProtocolError("invalid_value", "This connection's client secret is for one "
                                "user; session.lingxi.user cannot name another.",
                                param="session.lingxi.user")
        old_in = self.session.audio.input
        self.session = new
        if new.lingxi is not None:
            self.memory.identify(new.lingxi.user, new.lingxi.persona)
        new_in = new.audio.input
        if old_in.format != new_in.format or old_in.turn_detection != new_in.turn_detection \
                or old_in.noise_reduction != new_in.noise_reduction:
            self._queued_turn_end = None
            self.listener.reconfigured()
            self.retire_input()
            self.input = self._new_input(start_ms=self.input.position_ms)
        self.outbox.control(ev.SessionUpdated(session=self.session.wire_dump()))
        self._tell_if_tools_unsupported(bool(new.tools))

    def _tell_if_tools_unsupported(self, given: bool) -> None:
        """Tools given to a responder that cannot call them are not dropped in silence: a
        notice, once per call (an `error` would stop some clients' event loops, pipecat's)."""
        if not given or self._told_no_tools or calls_tools(self.engines.responder):
            return
        self._told_no_tools = True
        log.warning("call %s: tools given, but %s cannot call them", self.session.id,
                    self.engines.responder.name)
        self.outbox.control(ev.LingxiNotice(
            code="tools_unsupported", message=f"{self.engines.responder.name} cannot call "
            "tools: replies are spoken only, and tool_choice 'required' fails. Set "
            "LINGXI_LLM_BASE_URL to a model that calls tools."))

    def _tell_if_images_unseen(self, given: bool) -> None:
        """An image the model cannot see stays in the conversation; the client is told once
        (a notice, never an error: pipecat's event loop stops on an error)."""
        if not given or self._told_no_images or sees_images(self.engines.responder):
            return
        self._told_no_images = True
        self.outbox.control(ev.LingxiNotice(
            code="images_unseen", message=f"{self.engines.responder.name} does not take "
            "images: they are kept in the conversation but not seen. Set LINGXI_LLM_VISION "
            "for a vision model by URL."))

    def _check_persona(self, new: SessionConfig) -> None:
        persona = new.lingxi.persona if new.lingxi else None
        known = self.settings.personas
        if persona is not None and persona not in known:
            raise ProtocolError(
                "invalid_value", f"Unknown persona {persona!r}; known personas: "
                f"{', '.join(known.ids())} (GET /v1/personas lists them).",
                param="session.lingxi.persona")

    def _new_input(self, start_ms: float = 0.0) -> InputAudio:
        config = self.session.audio.input.turn_detection
        vad_frame_ms = 1000.0 * self.engines.vad.frame_samples / self.engines.vad.sample_rate
        detector = (None if config is None
                    else TurnDetector(config, vad_frame_ms, self.settings.min_speech_ms))
        wire = wire_format(self.session.audio.input.format)
        noise = self.session.audio.input.noise_reduction
        reducer = None if noise is None else NoiseReducer(wire.sample_rate, noise.type)
        if reducer is not None:
            self.spawn(self._load_reducer(reducer))
        audio_in = InputAudio(wire, self.engines, detector, start_ms=start_ms,
                              reducer=reducer, batch=self.settings.batch_vad)
        audio_in.echo = self.echo
        return audio_in

    def retire_input(self) -> None:
        """The call's input is replaced or the call ends: a denoiser's model is freed on the
        thread it was made on (its binding refuses any other)."""
        reducer = self.input.reducer
        if reducer is not None:
            self.spawn(self._on_hearing_thread(reducer.close))

    async def _on_hearing_thread(self, fn: Callable[[], None]) -> None:
        hearing = self.settings.hearing
        await (inline(fn) if hearing is None else hearing.run(fn))

    async def _load_reducer(self, reducer: NoiseReducer) -> None:
        """Where the audio is heard: the model may only be used on the thread that made it
        (0.13 s, off the loop in the server); audio passes as it came until it is ready."""
        try:
            await self._on_hearing_thread(reducer.load)
        except (ImportError, RuntimeError, OSError) as exc:
            log.warning("noise reduction unavailable: %s", type(exc).__name__)
            self.outbox.control(ev.LingxiNotice(
                code="noise_reduction_unavailable",
                message="noise_reduction could not be applied on this server; the audio is "
                        "heard as it comes."))

    def _append(self, audio_b64: str, event_id: str | None) -> Awaitable[None] | None:
        # The pace is checked on the encoded length, before decoding: audio beyond it costs
        # nothing but this line.
        seconds = self.input.wire.duration_ms(len(audio_b64) * 3 // 4) / 1000
        if not self.rates.audio.take(seconds):
            self._too_fast("audio")
            return None
        try:
            data = pybase64.b64decode(audio_b64, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise ProtocolError("invalid_base64", f"'audio' is not valid base64: {exc}",
                                param="audio") from exc
        if self.input.buffered_ms > self.settings.max_buffer_s * 1000:
            if self.input.detector is None:
                raise ProtocolError("input_audio_buffer_full",
                                    "The input audio buffer is full; commit or clear it.")
            # With turn detection on, a turn this long (or endless noise) is ended here
            # rather than making the call deaf.
            self.listener.force_end_of_turn()
        audio_in = self.input
        if self.echo is not None:  # when this audio arrived places it against the reply's
            self.echo.arrived(audio_in.position_ms + audio_in.wire.duration_ms(len(data)),
                              self.clock.now())
        try:
            if self.settings.hearing is not None and audio_in.costly(data):
                return self._hear_off_loop(self.settings.hearing, audio_in, data, event_id)
            self.listener.on_audio(*audio_in.accept(audio_in.hear(data)))
        except AudioFormatError as exc:
            raise ProtocolError("invalid_audio_format", str(exc), param="audio") from exc
        return None

    async def _hear_off_loop(self, hearing: Hearing, audio_in: InputAudio, data: bytes,
                             event_id: str | None) -> None:
        try:
            heard = await hearing.hear(audio_in, data)
        except Exception:
            log.exception("hearing appended audio failed")
            self.error("server_error", "The server failed to process this audio; the call "
                       "continues.", event_id=event_id, error_type="server_error")
            return
        # No other message was handled meanwhile, so this is still the call's input.
        self.listener.on_audio(*audio_in.accept(heard))

    def _check_message(self, item: MessageItem) -> None:
        allowed = {"user": {"input_text", "input_audio", "input_image"}, "system": {"input_text"},
                   "assistant": {"output_text", "output_audio"}}[item.role]
        if not item.content or any(p.type not in allowed for p in item.content):
            raise ProtocolError("invalid_value", f"A {item.role} message needs content of type "
                                f"{sorted(allowed)}", param="item.content")
        limit = self.settings.max_item_chars
        if item.role == "user" and len(item.text()) > limit:
            raise ProtocolError("string_above_max_length",
                                f"A user message holds at most {limit} characters; this one "
                                f"has {len(item.text())}.", param="item.content")

    def _create_item(self, event: ce.ItemCreate) -> None:
        item = event.item
        if isinstance(item, MessageItem):
            self._check_message(item)
            self._tell_if_images_unseen(bool(item.images()))
        elif item.type == "function_call_output" and len(item.output) > \
                self.settings.max_item_chars:
            raise ProtocolError("string_above_max_length", "A function's output holds at most "
                                f"{self.settings.max_item_chars} characters.",
                                param="item.output")
        item.id = item.id or ev.new_id("item")
        item.status = "completed"
        previous = event.previous_item_id
        self.conversation.add(item, previous)
        if item.role == "user":
            self._observe(item.id, item.text())
        previous = self.conversation.previous_id(item.id)
        self.outbox.control(ev.ItemAdded(item=item.model_copy(deep=True),
                                         previous_item_id=previous))
        self.outbox.control(ev.ItemDone(item=item.model_copy(deep=True),
                                        previous_item_id=previous))

    def _truncate(self, item_id: str, content_index: int, audio_end_ms: int) -> None:
        self.conversation.truncate(item_id, content_index, audio_end_ms)  # validates first
        reply = self.reply
        if reply is not None and reply.handle.item_id == item_id:
            if self.echo is not None:  # its playback stopped: nothing later comes back
                self.echo.stopped(self.clock.now())
            if reply.handle.live:  # the client has stopped playing it: stop producing it too
                self.cancel_reply("client_cancelled")
        self.outbox.control(ev.ItemTruncated(item_id=item_id, content_index=content_index,
                                             audio_end_ms=audio_end_ms))

    def _delete(self, item_id: str) -> None:
        if self.reply is not None and self.reply.handle.item_id == item_id:
            self.cancel_reply("client_cancelled")
        self.conversation.delete(item_id)
        self.outbox.control(ev.ItemDeleted(item_id=item_id))

    def _response_create(self, params: ce.ResponseParams) -> None:
        if not self.session.answers:
            raise ProtocolError("invalid_request_error", "A transcription session does not "
                                "create responses; update the session to type 'realtime'.")
        if self.reply is not None and self.reply.handle.live:
            raise ProtocolError(
                "conversation_already_has_active_response",
                f"Response '{self.reply.handle.id}' is still in progress; cancel it or wait "
                "for response.done.")
        self._tell_if_tools_unsupported(bool(params.tools))
        history = None if params.input is None else self._response_input(params.input)
        self.start_reply(modalities=params.output_modalities, instructions=params.instructions,
                         metadata=params.metadata, tools=params.tools,
                         tool_choice=params.tool_choice, history=history,
                         out_of_band=params.conversation == "none",
                         limits=(params.max_output_tokens, params.temperature, params.voice))

    def _response_input(self, given: list[dict[str, Any]]) -> tuple[ChatMessage, ...]:
        """A response's own input, in place of the conversation: its items, and conversation
        items by reference."""
        scratch = Conversation(max_items=max(1, len(given)))
        for i, data in enumerate(given):
            param = f"response.input.{i}"
            if data.get("type") == "item_reference":
                ref = data.get("id")
                if not isinstance(ref, str) or ref not in self.conversation:
                    raise ProtocolError("item_not_found", f"Item {ref!r} does not exist",
                                        param=f"{param}.id")
                item = self.conversation.get(ref).item.model_copy(deep=True)
            else:
                item = ce.parse_item(data, param)
                if isinstance(item, MessageItem):
                    self._check_message(item)
            item.id = ev.new_id("item")
            scratch.add(item)
        return scratch.history()

    def _response_cancel(self, response_id: str | None) -> None:
        live = self.reply.handle if self.reply is not None else None
        if live is None or not live.live or (response_id and response_id != live.id):
            # The service's own words: clients (LiveKit, several apps) recognise this prefix
            # as the harmless race of a cancel sent just after the reply ended.
            raise ProtocolError("response_cancel_not_active",
                                "Cancellation failed: no active response found",
                                param="response_id" if response_id else None)
        self.cancel_reply("client_cancelled")

    def _output_clear(self) -> None:
        if self.reply is None or not self.reply.handle.live:
            raise ProtocolError("response_cancel_not_active", "No reply audio is playing.")
        rid = self.reply.handle.id
        self.cancel_reply("client_cancelled")
        self.outbox.control(ev.OutputAudioBufferCleared(response_id=rid))

