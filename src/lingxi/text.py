"""Script and language helpers, and clause splitting: the one place that decides "is this
Chinese" and where a streamed reply may be cut for speech."""

from __future__ import annotations

import re

# CJK Unified Ideographs, Extension A and the compatibility block (a character class body,
# for patterns that need Han inside a larger class or a lookbehind).
HAN_CLASS = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
HAN = re.compile(f"[{HAN_CLASS}]")
_HARD = frozenset("。！？；!?;\n，,、：:…")
# Inside a number ("12:30", "1,000") these join digits: the synthesizer must see it whole.
_NUMERIC_JOINS = frozenset(",:：")


def is_han(ch: str) -> bool:
    return HAN.match(ch) is not None


def has_han(text: str) -> bool:
    return HAN.search(text) is not None


def language_of(text: str, default: str = "zh") -> str:
    """Han characters → zh; Latin letters only → en; nothing to go by → `default`."""
    if has_han(text):
        return "zh"
    if any(ch.isalpha() for ch in text):
        return "en"
    return default


_WORD = re.compile(r"[A-Za-z0-9']+")


def length_in_words(text: str) -> int:
    """How long a turn is as said: a Han character counts as a word, as does a Latin word."""
    return len(HAN.findall(text)) + len(_WORD.findall(text))


# What a language model's tokenizer makes of text, roughly: a Han character, a Latin word or
# number, a punctuation mark each about one token.
_TOKEN = re.compile(f"[{HAN_CLASS}]|[A-Za-z0-9']+|[^\\s{HAN_CLASS}A-Za-z0-9']")


def count_tokens(text: str) -> int:
    """About how many tokens `text` is (for max_output_tokens and usage)."""
    return len(_TOKEN.findall(text))


def first_tokens(text: str, n: int) -> str:
    """The start of `text` holding about `n` tokens (see `count_tokens`)."""
    if n <= 0:
        return ""
    for i, match in enumerate(_TOKEN.finditer(text)):
        if i == n - 1:
            return text[:match.end()]
    return text


class ClauseSplitter:
    """Feed text tokens, get complete clauses.

    A '.' ends a clause only when followed by whitespace (so "3.5" and "e.g." mid-word stay
    whole); that means a trailing '.' waits for the next token or for :meth:`flush`.
    """

    def __init__(self, min_chars: int = 2) -> None:
        # A clause needs `min_chars` letters or digits: "嗯，" alone waits for more.
        self._buf = ""
        self._min_chars = min_chars

    def push(self, token: str) -> list[str]:
        self._buf += token
        clauses: list[str] = []
        start = 0
        for i, ch in enumerate(self._buf):
            end = i + 1
            is_cut = ch in _HARD or (
                ch == "." and end < len(self._buf) and self._buf[end].isspace()
            )
            if is_cut and ch in _NUMERIC_JOINS and i > 0 and self._buf[i - 1].isdigit():
                is_cut = end < len(self._buf) and not self._buf[end].isdigit()
            if is_cut and _spoken_chars(self._buf[start:end]) >= self._min_chars:
                # Keep the space after a '.' with the clause so text joins back unchanged.
                while end < len(self._buf) and self._buf[end] == " ":
                    end += 1
                clauses.append(self._buf[start:end])
                start = end
        self._buf = self._buf[start:]
        return clauses

    def flush(self) -> str | None:
        rest, self._buf = self._buf, ""
        return rest if rest.strip() else None


def _spoken_chars(text: str) -> int:
    return sum(ch.isalnum() for ch in text)


def split_clauses(text: str) -> list[str]:
    """A whole text cut as a streamed one would be (joins back to the text unchanged)."""
    splitter = ClauseSplitter()
    clauses = splitter.push(text)
    rest = splitter.flush()
    return [*clauses, rest] if rest else clauses
