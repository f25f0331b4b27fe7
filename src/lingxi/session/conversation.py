"""The conversation: ordered items, and what of each assistant reply was actually heard."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field

from lingxi.interfaces import ChatMessage, ToolCall
from lingxi.protocol import server_events as ev
from lingxi.protocol.client_events import ProtocolError
from lingxi.protocol.items import FunctionCallItem, FunctionCallOutputItem, Item, MessageItem
from lingxi.session.playback import PlaybackEstimate
from lingxi.turn import TurnAudio


@dataclass(slots=True)
class Spoken:
    """A clause of assistant speech and where its audio lies in the reply (ms)."""

    text: str
    start_ms: float
    end_ms: float


@dataclass(eq=False)
class Entry:
    item: Item
    spoken: list[Spoken] = field(default_factory=list)
    playback: PlaybackEstimate | None = None
    heard_ms: float | None = None
    transcript: asyncio.Future[str] | None = None
    audio: TurnAudio | None = None  # the caller's audio, kept for the newest spoken turn only

    @property
    def message(self) -> MessageItem:
        """The entry's message (replies, user turns); function items have none."""
        assert isinstance(self.item, MessageItem), "not a message item"
        return self.item

    @property
    def audio_ms(self) -> float:
        return self.playback.sent_ms if self.playback else 0.0

    def full_transcript(self) -> str:
        return "".join(s.text for s in self.spoken)

    def heard_text(self, audio_end_ms: float) -> str:
        words: list[str] = []
        for s in self.spoken:
            if s.end_ms <= audio_end_ms:
                words.append(s.text)
            elif s.start_ms < audio_end_ms:
                share = (audio_end_ms - s.start_ms) / (s.end_ms - s.start_ms)
                words.append(s.text[: int(len(s.text) * share)])
        return "".join(words)


_CLAUSE_ENDS = "，。！？；,.!?;"
MAX_ITEMS = 2000  # items kept per conversation; older ones are dropped first
MAX_CHARS = 400_000  # and characters of text in all of them (~1 MB; a model sees far less)


def _size(item: Item) -> int:
    """Characters an item holds when added (text, tool arguments and outputs, images)."""
    if isinstance(item, FunctionCallItem):
        return len(item.arguments)
    if isinstance(item, FunctionCallOutputItem):
        return len(item.output)
    return len(item.text()) + sum(len(url) for url in item.images())


class Conversation:
    def __init__(self, max_items: int = MAX_ITEMS, max_chars: int = MAX_CHARS) -> None:
        self.max_items = max_items
        self.max_chars = max_chars
        self._entries: dict[str, Entry] = {}
        self._chars = 0  # a running total of the items' text as added (O(1) to keep)
        self.on_truncate: Callable[[Entry], None] | None = None  # memory keeps what was heard

    def __contains__(self, item_id: str) -> bool:
        return item_id in self._entries

    def last_id(self) -> str | None:
        return next(reversed(self._entries), None)

    def add(self, item: Item, previous_item_id: str | None = None) -> Entry:
        assert item.id is not None
        if item.id in self._entries:
            raise ProtocolError("item_already_exists", f"Item '{item.id}' already exists",
                                param="item.id")
        entry = Entry(item)
        size = _size(item)
        while self._entries and (len(self._entries) >= self.max_items
                                 or self._chars + size > self.max_chars):
            # The oldest items leave the conversation (a model sees only recent history).
            oldest = next(iter(self._entries))
            self._chars -= _size(self._entries.pop(oldest).item)
        self._chars += size
        if previous_item_id is None or previous_item_id == self.last_id():
            self._entries[item.id] = entry
            return entry
        if previous_item_id not in self._entries and previous_item_id != "root":
            raise ProtocolError("item_not_found", f"Previous item '{previous_item_id}' not found",
                                param="previous_item_id")
        items = list(self._entries.items())
        at = 0 if previous_item_id == "root" else [k for k, _ in items].index(previous_item_id) + 1
        items.insert(at, (item.id, entry))
        self._entries = dict(items)
        return entry

    def get(self, item_id: str) -> Entry:
        try:
            return self._entries[item_id]
        except KeyError:
            raise ProtocolError("item_not_found", f"Item '{item_id}' does not exist",
                                param="item_id") from None

    def previous_id(self, item_id: str) -> str | None:
        # From the end: the item asked about is almost always the newest, so this is O(1)
        # where a list of every key made 20,000 text items O(n²).
        keys = reversed(self._entries)
        for key in keys:
            if key == item_id:
                return next(keys, None)
        raise KeyError(item_id)

    def delete(self, item_id: str) -> None:
        self._chars -= _size(self.get(item_id).item)
        del self._entries[item_id]

    def truncate(self, item_id: str, content_index: int, audio_end_ms: float) -> Entry:
        entry = self.get(item_id)
        if entry.item.role != "assistant" or entry.playback is None:
            raise ProtocolError("invalid_value", "Only assistant audio items can be truncated",
                                param="item_id")
        if content_index != 0:
            raise ProtocolError("invalid_value", "Assistant audio lives in content_index 0",
                                param="content_index")
        if audio_end_ms > entry.audio_ms + 1:
            raise ProtocolError(
                "invalid_value",
                f"audio_end_ms {audio_end_ms} exceeds the item's audio "
                f"({entry.audio_ms:.0f} ms)", param="audio_end_ms")
        entry.heard_ms = audio_end_ms
        entry.message.content[0].transcript = entry.heard_text(audio_end_ms)
        entry.item.status = "incomplete"
        if self.on_truncate is not None:
            self.on_truncate(entry)
        return entry

    def truncate_to_heard(self, entry: Entry, now: float) -> ev.ItemTruncated:
        """Cut an assistant reply to what its playback estimate says was heard by `now`."""
        assert entry.item.id is not None and entry.playback is not None
        heard = entry.playback.played_ms(now)
        self.truncate(entry.item.id, 0, heard)
        return ev.ItemTruncated(item_id=entry.item.id, content_index=0, audio_end_ms=int(heard))

    def pending_transcripts(self) -> list[asyncio.Future[str]]:
        return [e.transcript for e in self._entries.values()
                if e.transcript is not None and not e.transcript.done()]

    def last_user(self) -> Entry | None:
        for entry in reversed(self._entries.values()):
            if entry.item.role == "user":
                return entry
        return None

    def keep_audio(self, entry: Entry, audio: TurnAudio) -> None:
        """The newest spoken turn keeps its audio (for the skills); older turns let theirs go,
        so a long call does not hold all of it."""
        for other in self._entries.values():
            other.audio = None
        entry.audio = audio

    def cut_short_before(self, entry: Entry) -> str:
        """What Lingxi was still going to say when the caller spoke over it, from the start of
        the clause they cut into, if the reply right before `entry` was cut short."""
        assert entry.item.id is not None
        before_id = self.previous_id(entry.item.id)
        before = self._entries.get(before_id) if before_id is not None else None
        if before is None or before.item.role != "assistant" or before.heard_ms is None:
            return ""
        written, heard = before.full_transcript(), before.item.text()
        if not written.startswith(heard) or len(written) <= len(heard):
            return ""
        start = max((heard.rfind(mark) for mark in _CLAUSE_ENDS), default=-1) + 1
        return written[start:].strip()

    def last_assistant_audio(self) -> Entry | None:
        for entry in reversed(self._entries.values()):
            if entry.item.role == "assistant" and entry.playback is not None:
                return entry
        return None

    def history(self) -> tuple[ChatMessage, ...]:
        out: list[ChatMessage] = []
        for entry in self._entries.values():
            item = entry.item
            if isinstance(item, FunctionCallItem):
                call = ToolCall(item.call_id, item.name, item.arguments)
                last = out[-1] if out else None
                if last is not None and last.role == "assistant":
                    # One assistant message says its words and makes its calls (the chat API
                    # wants the calls of one turn together, before their outputs).
                    out[-1] = ChatMessage("assistant", last.text, (*last.tool_calls, call))
                else:
                    out.append(ChatMessage("assistant", "", (call,)))
            elif isinstance(item, FunctionCallOutputItem):
                out.append(ChatMessage("tool", item.output, tool_call_id=item.call_id))
            elif (text := item.text().strip()) or item.images():
                out.append(ChatMessage(item.role, text, images=item.images()))
        return tuple(out)
