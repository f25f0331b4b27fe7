"""The wire side of one reply: its item's opening and closing events and the response object.
`Reply` inherits these; they read the reply's handle, entry and timings."""

from __future__ import annotations

from lingxi import metrics
from lingxi.clock import Clock
from lingxi.protocol import server_events as ev
from lingxi.protocol.items import ContentPart, MessageItem
from lingxi.session.conversation import Conversation, Entry
from lingxi.session.handle import ResponseHandle, Status
from lingxi.session.outbox import Outbox
from lingxi.session.playback import PlaybackEstimate
from lingxi.session.timings import Timings


class ReplyEvents:
    handle: ResponseHandle
    clock: Clock
    outbox: Outbox
    conversation: Conversation
    entry: Entry | None
    timings: Timings
    turn_end: float | None
    skill: str | None
    closed: bool
    lead_s: float

    @property
    def audio(self) -> bool:
        return "audio" in self.handle.modalities

    @property
    def _item_id(self) -> str:
        return self.handle.item_id

    def _data(self, event: ev.ServerEvent) -> None:
        self.outbox.data(event, self.handle)

    def _open(self) -> None:
        kind = "output_audio" if self.audio else "output_text"
        item = MessageItem(id=self._item_id, role="assistant", status="in_progress",
                           content=[ContentPart(type=kind, transcript="" if self.audio else None,
                                                text=None if self.audio else "")])
        previous = self.conversation.last_id()
        self.entry = self.conversation.add(item)
        if self.audio:
            self.entry.playback = PlaybackEstimate(lead_s=self.lead_s)
        rid = self.handle.id
        self.outbox.control(ev.OutputItemAdded(response_id=rid, item=item.model_copy(deep=True)))
        self.outbox.control(ev.ItemAdded(item=item.model_copy(deep=True),
                                         previous_item_id=previous))
        part = ev.Part(type="audio", transcript="") if self.audio else ev.Part(type="text", text="")
        self.outbox.control(ev.ContentPartAdded(response_id=rid, item_id=self._item_id, part=part))

    def _final_part(self) -> ev.Part:
        assert self.entry is not None
        content = self.entry.item.content[0]
        if self.audio:
            return ev.Part(type="audio", transcript=content.transcript or "")
        return ev.Part(type="text", text=content.text or "")

    def _close_completed(self) -> None:
        assert self.entry is not None
        rid, iid = self.handle.id, self._item_id
        content = self.entry.item.content[0]
        events: list[ev.ServerEvent] = []
        if self.audio:
            content.transcript = self.entry.full_transcript()
            events += [ev.AudioDone(response_id=rid, item_id=iid),
                       ev.AudioTranscriptDone(response_id=rid, item_id=iid,
                                              transcript=content.transcript)]
        else:
            events.append(ev.TextDone(response_id=rid, item_id=iid, text=content.text or ""))
        self.entry.item.status = "completed"
        events += self._item_closing_events()
        events.append(ev.ResponseDone(response=self.response_object("completed")))
        events.append(self._metrics_event())
        self._emit_closing(events)

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
                events.append(self.conversation.truncate_to_heard(entry, self.clock.now()))
            events += self._item_closing_events()
        events.append(ev.ResponseDone(response=self.response_object("cancelled")))
        self._emit_closing(events)

    def _close_failed(self, exc: Exception) -> None:
        events: list[ev.ServerEvent] = []
        entry = self.entry
        if entry is not None and self._item_id in self.conversation:
            entry.item.status = "incomplete"
            if self.audio and entry.playback is not None:
                # Everything sent will be played: keep those words, and only those.
                entry.item.content[0].transcript = entry.heard_text(entry.playback.sent_ms)
            events += self._item_closing_events()
        error = ev.ErrorDetail(type="server_error", code="engine_error",
                               message=f"The reply failed: {type(exc).__name__}")
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
        return [
            ev.ContentPartDone(response_id=rid, item_id=self._item_id, part=self._final_part()),
            ev.OutputItemDone(response_id=rid, item=item),
            ev.ItemDone(item=item.model_copy(deep=True)),
        ]

    def response_object(
        self, status: Status, error: ev.ErrorDetail | None = None,
    ) -> ev.ResponseObject:
        details = None
        if status != "in_progress":
            details = ev.StatusDetails(type=status, reason=self.handle.reason, error=error)
        output = [self.entry.item.model_copy(deep=True)] if self.entry is not None else []
        out_chars = len(self.entry.item.text()) if self.entry is not None else 0
        return ev.ResponseObject(
            id=self.handle.id, status=status, status_details=details, output=output,
            output_modalities=self.handle.modalities, metadata=self.handle.metadata,
            conversation_id=None, usage=ev.Usage(output_tokens=out_chars, total_tokens=out_chars),
        )

    def _metrics_event(self) -> ev.LingxiTurnMetrics:
        timings = self.timings.as_ms(self.turn_end)
        if "first_audio_ms" in timings:
            metrics.FIRST_AUDIO.observe(timings["first_audio_ms"] / 1000)
            metrics.SERVER_OVERHEAD.observe(timings["server_overhead_ms"] / 1000)
        return ev.LingxiTurnMetrics(response_id=self.handle.id, timings_ms=timings,
                                    skill=self.skill)
