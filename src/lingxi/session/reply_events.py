"""The wire side of one reply: its item's opening and closing events and the response object.
`Reply` inherits these; they read the reply's handle, entry and timings."""

from __future__ import annotations

from lingxi import metrics
from lingxi.clock import Clock
from lingxi.interfaces import ToolCall
from lingxi.protocol import server_events as ev
from lingxi.protocol.items import ContentPart, FunctionCallItem, MessageItem
from lingxi.protocol.session import SessionConfig
from lingxi.session.conversation import Conversation, Entry
from lingxi.session.handle import ResponseHandle, Status
from lingxi.session.outbox import Outbox
from lingxi.session.playback import PlaybackEstimate
from lingxi.session.timings import Timings
from lingxi.text import count_tokens


class ReplyEvents:
    handle: ResponseHandle
    session: SessionConfig
    clock: Clock
    outbox: Outbox
    conversation: Conversation
    entry: Entry | None  # the reply's message, once it has words (or the reply ends without)
    outputs: list[Entry]  # the message and the function calls, in the order they came
    timings: Timings
    turn_end: float | None
    skill: str | None
    closed: bool
    lead_s: float
    out_of_band: bool
    capped: bool

    @property
    def audio(self) -> bool:
        return "audio" in self.handle.modalities

    @property
    def _item_id(self) -> str:
        return self.handle.item_id

    @property
    def _index(self) -> int:
        """The message's place among the response's outputs."""
        return next((i for i, e in enumerate(self.outputs) if e is self.entry), 0)

    def _data(self, event: ev.ServerEvent) -> None:
        self.outbox.data(event, self.handle)

    def _open_once(self) -> None:
        if self.entry is None:
            self._open()

    def _open(self) -> None:
        kind = "output_audio" if self.audio else "output_text"
        item = MessageItem(id=self._item_id, role="assistant", status="in_progress",
                           content=[ContentPart(type=kind, transcript="" if self.audio else None,
                                                text=None if self.audio else "")])
        previous = self.conversation.last_id()
        self.entry = self.conversation.add(item)
        self.outputs.append(self.entry)
        if self.audio:
            self.entry.playback = PlaybackEstimate(lead_s=self.lead_s)
        rid, index = self.handle.id, self._index
        self.outbox.control(ev.OutputItemAdded(response_id=rid, output_index=index,
                                               item=item.model_copy(deep=True)))
        if not self.out_of_band:
            self.outbox.control(ev.ItemAdded(item=item.model_copy(deep=True),
                                             previous_item_id=previous))
        part = ev.Part(type="audio", transcript="") if self.audio else ev.Part(type="text", text="")
        self.outbox.control(ev.ContentPartAdded(response_id=rid, item_id=self._item_id,
                                                output_index=index, part=part))

    def _call_tool(self, call: ToolCall) -> None:
        """A function call item, streamed where it falls among the reply's words, so the
        client runs it once what was said before it has gone out."""
        if self.handle.cancelled:
            return
        rid, index = self.handle.id, len(self.outputs)
        item = FunctionCallItem(id=ev.new_id("item"), status="in_progress", name=call.name,
                                call_id=call.call_id or ev.new_id("call"))
        assert item.id is not None
        previous = self.conversation.last_id()
        self.outputs.append(self.conversation.add(item))
        self._data(ev.OutputItemAdded(response_id=rid, output_index=index,
                                      item=item.model_copy(deep=True)))
        if not self.out_of_band:
            self._data(ev.ItemAdded(item=item.model_copy(deep=True), previous_item_id=previous))
        self._data(ev.FunctionCallArgumentsDelta(
            response_id=rid, item_id=item.id, output_index=index, call_id=item.call_id,
            delta=call.arguments))
        item.arguments, item.status = call.arguments, "completed"
        self._data(ev.FunctionCallArgumentsDone(
            response_id=rid, item_id=item.id, output_index=index, call_id=item.call_id,
            name=item.name, arguments=item.arguments))
        self._data(ev.OutputItemDone(response_id=rid, output_index=index,
                                     item=item.model_copy(deep=True)))
        if not self.out_of_band:
            self._data(ev.ItemDone(item=item.model_copy(deep=True), previous_item_id=previous))

    def _final_part(self) -> ev.Part:
        assert self.entry is not None
        content = self.entry.message.content[0]
        if self.audio:
            return ev.Part(type="audio", transcript=content.transcript or "")
        return ev.Part(type="text", text=content.text or "")

    def _close_completed(self) -> None:
        events: list[ev.ServerEvent] = []
        if self.entry is not None:  # None: the reply only called functions
            events += self._message_done(self.entry)
        events.append(ev.ResponseDone(response=self.response_object(self.handle.status)))
        events.append(self._metrics_event())
        self._emit_closing(events)

    def _message_done(self, entry: Entry) -> list[ev.ServerEvent]:
        rid, iid, index = self.handle.id, self._item_id, self._index
        content = entry.message.content[0]
        events: list[ev.ServerEvent] = []
        if self.audio:
            content.transcript = entry.full_transcript()
            events += [ev.AudioDone(response_id=rid, item_id=iid, output_index=index),
                       ev.AudioTranscriptDone(response_id=rid, item_id=iid, output_index=index,
                                              transcript=content.transcript)]
        else:
            events.append(ev.TextDone(response_id=rid, item_id=iid, output_index=index,
                                      text=content.text or ""))
        entry.item.status = "incomplete" if self.capped else "completed"
        return events + self._item_closing_events()

    def close_cancelled(self) -> None:
        """Close a cancelled reply now: truncate to what was heard, then the final events."""
        if not self.handle.cancelled or self.closed:
            return
        events: list[ev.ServerEvent] = []
        entry = self.entry
        if entry is not None and self._item_id in self.conversation:
            entry.item.status = "incomplete"
            # A reply the client truncated itself is already cut to what was played.
            if entry.playback is not None and entry.heard_ms is None:
                if self.session.lingxi is not None and self.session.lingxi.server_truncation:
                    events.append(self.conversation.truncate_to_heard(entry, self.clock.now()))
                else:  # what was sent stands until the client says what it played
                    entry.message.content[0].transcript = entry.heard_text(
                        entry.playback.sent_ms)
            events += self._item_closing_events()
        events.append(ev.ResponseDone(response=self.response_object("cancelled")))
        self._emit_closing(events)

    def _close_failed(self, code: str, message: str, error_type: str = "server_error") -> None:
        events: list[ev.ServerEvent] = []
        entry = self.entry
        if entry is not None and self._item_id in self.conversation:
            entry.item.status = "incomplete"
            if self.audio and entry.playback is not None:
                # Everything sent will be played: keep those words, and only those.
                entry.message.content[0].transcript = entry.heard_text(entry.playback.sent_ms)
            events += self._item_closing_events()
        error = ev.ErrorDetail(type=error_type, code=code, message=message)
        events.append(ev.ResponseDone(response=self.response_object("failed", error)))
        self._emit_closing(events)

    def _emit_closing(self, events: list[ev.ServerEvent]) -> None:
        self.closed = True
        for event in events:
            self.outbox.control(event)
        metrics.RESPONSES_TOTAL.labels(self.handle.status).inc()

    def _item_closing_events(self) -> list[ev.ServerEvent]:
        assert self.entry is not None
        rid, item = self.handle.id, self.entry.item.model_copy(deep=True)
        index = self._index
        events: list[ev.ServerEvent] = [
            ev.ContentPartDone(response_id=rid, item_id=self._item_id, output_index=index,
                               part=self._final_part()),
            ev.OutputItemDone(response_id=rid, output_index=index, item=item)]
        if not self.out_of_band:
            events.append(ev.ItemDone(item=item.model_copy(deep=True)))
        return events

    def response_object(
        self, status: Status, error: ev.ErrorDetail | None = None,
    ) -> ev.ResponseObject:
        details = None
        if status != "in_progress":
            details = ev.StatusDetails(type=status, reason=self.handle.reason, error=error)
        output = [e.item.model_copy(deep=True) for e in self.outputs]
        out_tokens = sum(count_tokens(e.item.text()) for e in self.outputs)
        return ev.ResponseObject(
            id=self.handle.id, status=status, status_details=details, output=output,
            output_modalities=self.handle.modalities, metadata=self.handle.metadata,
            conversation_id=None, usage=ev.Usage(output_tokens=out_tokens, total_tokens=out_tokens),
        )

    def _metrics_event(self) -> ev.LingxiTurnMetrics:
        timings = self.timings.as_ms(self.turn_end)
        if "first_audio_ms" in timings:
            metrics.FIRST_AUDIO.observe(timings["first_audio_ms"] / 1000)
            metrics.SERVER_OVERHEAD.observe(timings["server_overhead_ms"] / 1000)
        return ev.LingxiTurnMetrics(response_id=self.handle.id, timings_ms=timings,
                                    skill=self.skill)
