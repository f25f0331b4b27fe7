"""Spoken style: what a text model writes for a screen, made fit to be heard.

Markdown marks, list markers, headings, code, links' addresses, URLs, emoji and a reasoning
model's `<think>` blocks never reach the TTS. The filter works on a token stream: it holds
back only what it cannot decide yet (the start of a line that may be a list marker, a link or
URL still being written), so the first clause is not delayed.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

from lingxi.engines.streams import closing
from lingxi.interfaces import (
    ReplyRequest,
    Responder,
    ToolCall,
    calls_tools,
    prime,
    sees_images,
)
from lingxi.text import is_han

_LINE_MARKER = re.compile(r"^(?:#{1,6}\s+|>\s?|[-*+•·]\s+|\d{1,3}[.)、]\s*|\|\s*)")
_MAYBE_MARKER = re.compile(r"^(?:`{1,2}|#{1,6}|>|[-*+•·]|\d{1,3}|\d{1,3}[.)]|[-*_]{2,}|\|.*)$")
_RULE = re.compile(r"^(?:[-*_]{3,}|\|?[\s:|-]*-{3,}[\s:|-]*)\s*$")  # a rule, a table's ruling
_LINK = re.compile(r"\[([^\]\n]*)\]\([^)\n]*\)")
_URL = re.compile(r"(?:https?://|www\.)[^\s\u3000-\u303f\uff00-\uffef\u4e00-\u9fff]*", re.I)
_EMOJI = re.compile("[\U0001f000-\U0001faff\u2600-\u27bf\u2300-\u23ff\u2190-\u21ff"
                    "\u25a0-\u25ff\u2b00-\u2bff\ufe0f\u200d\u20e3]")
_MARKS = re.compile(r"\*+|__+|~~|`+|<br\s*/?>|[\[\]]")
_TRAILING_WORD = re.compile(r"[A-Za-z0-9:/._\-?=&%#~+]*$")
_PAUSE = frozenset("。！？；，、：…,.!?;:")


def _speakable(text: str) -> str:
    text = _LINK.sub(r"\1", text)
    text = _URL.sub("", text)
    text = _EMOJI.sub("", text)
    text = _MARKS.sub("", text)
    return text.replace("|", "，" if any(is_han(c) for c in text) else ", ")


def _open_from(segment: str) -> int:
    """Where the undecidable tail of a line begins (len(segment) if nothing is open)."""
    hold = len(segment)
    bracket = segment.rfind("[")
    if bracket >= 0 and not _LINK.search(segment, bracket):
        close = segment.find("](", bracket)
        if close < 0 or segment.find(")", close) < 0:
            hold = bracket
    word = _TRAILING_WORD.search(segment)
    if word is not None and word.group():
        w = word.group().lower()
        if (w.startswith(("http", "www.")) or "https://".startswith(w)
                or "www.".startswith(w)):
            hold = min(hold, word.start())
    return hold


class _Thinking:
    """Drops a reasoning model's `<think>…</think>` blocks (never meant to be said)."""

    OPEN, CLOSE = "<think>", "</think>"

    def __init__(self) -> None:
        self._buf = ""
        self._inside = False

    def push(self, token: str) -> str:
        self._buf += token
        out: list[str] = []
        while True:
            tag = self.CLOSE if self._inside else self.OPEN
            at = self._buf.find(tag)
            if at < 0:
                break
            if not self._inside:
                out.append(self._buf[:at])
            self._buf = self._buf[at + len(tag):]
            self._inside = not self._inside
        # Hold back what may be the start of the tag being looked for.
        keep = next((k for k in range(min(len(tag) - 1, len(self._buf)), 0, -1)
                     if tag.startswith(self._buf[-k:])), 0)
        if not self._inside:
            out.append(self._buf[:len(self._buf) - keep])
        self._buf = self._buf[len(self._buf) - keep:]
        return "".join(out)

    def flush(self) -> str:
        rest, self._buf = ("" if self._inside else self._buf), ""
        return rest


class SpokenFilter:
    """Feed tokens, get speakable text (possibly empty until more arrives)."""

    def __init__(self) -> None:
        self._thinking = _Thinking()
        self._pending = ""
        self._line_start = True
        self._in_fence = False
        self._skip_line = False  # the rest of a fence's opening line, or a rule
        self._last = ""  # the last character emitted
        self._after_break = True  # at the start, or just after a line break
        self._space = ""

    def push(self, token: str) -> str:
        self._pending += self._thinking.push(token)
        return self._run(final=False)

    def flush(self) -> str:
        self._pending += self._thinking.flush()
        out = self._run(final=True)
        self._pending = ""
        return out

    def _emit(self, text: str) -> str:
        if self._after_break:
            text = text.lstrip(" \t")
        if not text:
            return ""
        # Trailing spaces wait for what follows: dropped before a line break or the end.
        text = re.sub(r"[ \t]{2,}", " ", self._space + text)
        body = text.rstrip(" \t")
        self._space = text[len(body):][:1]
        if body:
            self._last = body[-1]
            self._after_break = False
        return body

    def _run(self, *, final: bool) -> str:
        out: list[str] = []
        while self._pending:
            newline = self._pending.find("\n")
            if self._in_fence or self._skip_line:
                if newline < 0:
                    if self._in_fence and not final:
                        self._pending = self._pending[-3:]  # a closing fence may be forming
                    return "".join(out)
                line, self._pending = self._pending[:newline], self._pending[newline + 1:]
                if self._in_fence and not self._skip_line and line.strip().startswith("```"):
                    self._in_fence = False
                self._skip_line = False
                self._line_start = True
                continue
            if self._line_start:
                if not self._start_line(final):
                    return "".join(out)
                continue  # the line may now be skipped, or have lost its marker
            newline = self._pending.find("\n")
            segment = self._pending if newline < 0 else self._pending[:newline]
            cut = len(segment) if (newline >= 0 or final) else _open_from(segment)
            out.append(self._emit(_speakable(segment[:cut])))
            if newline < 0 or cut < len(segment):
                self._pending = self._pending[cut:]
                if final:
                    self._pending = ""
                return "".join(out)
            self._pending = self._pending[newline + 1:]
            out.append(self._line_break())
        return "".join(out)

    def _start_line(self, final: bool) -> bool:
        """Decide what the new line starts with; False: wait for more text."""
        stripped = self._pending.lstrip(" \t")
        if not stripped:
            if not final:
                return False
            self._pending = ""
            return True
        head = stripped.split("\n", 1)[0]
        complete = "\n" in stripped or final
        if not complete and (_MAYBE_MARKER.match(head) or (head.startswith("```")
                             and len(head) < 3)):
            return False
        if head.startswith("```"):
            self._in_fence = self._skip_line = True
        elif _RULE.match(head):
            self._skip_line = True
        elif head.startswith("|"):  # a table row: its cells, one after another
            cells = [c.strip() for c in head.strip().strip("|").split("|")]
            sep = "，" if any(is_han(c) for c in head) else ", "
            stripped = sep.join(c for c in cells if c) + stripped[len(head):]
        else:
            stripped = _LINE_MARKER.sub("", stripped, count=1)
        self._pending = stripped
        self._line_start = False
        return True

    def _line_break(self) -> str:
        self._line_start = True
        last = self._last
        self._after_break = True
        han = is_han(last) or last in "。！？；，、：…"
        self._space = "" if han or not last else " "
        if not last or last in _PAUSE:
            return ""
        self._last = "。" if han else "."
        return self._last


async def spoken_style(tokens: AsyncIterator[str | ToolCall]) -> AsyncIterator[str | ToolCall]:
    """Filter a token stream; closing this stream closes the one it reads. Tool calls pass
    as they are, after the words before them."""
    speakable = SpokenFilter()
    async with closing(tokens) as stream:
        async for token in stream:
            if isinstance(token, ToolCall):
                rest = speakable.flush()
                if rest:
                    yield rest
                yield token
                continue
            text = speakable.push(token)
            if text:
                yield text
    rest = speakable.flush()
    if rest:
        yield rest


class SpokenStyle:
    """A responder whose words are filtered for speech."""

    def __init__(self, inner: Responder) -> None:
        self.inner = inner
        self.name = inner.name
        self.supports_tools = calls_tools(inner)
        self.supports_images = sees_images(inner)

    def prime(self, request: ReplyRequest) -> None:
        prime(self.inner, request)

    async def respond(self, request: ReplyRequest) -> AsyncIterator[str | ToolCall]:
        async with closing(spoken_style(self.inner.respond(request))) as stream:
            async for text in stream:
                yield text
