"""Script and language helpers, and clause splitting: the one place that decides "is this
Chinese" and where a streamed reply may be cut for speech."""

from __future__ import annotations

import itertools
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
            if is_cut and spoken_chars(self._buf[start:end]) >= self._min_chars:
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


def spoken_chars(text: str) -> int:
    return sum(ch.isalnum() for ch in text)


def split_clauses(text: str) -> list[str]:
    """A whole text cut as a streamed one would be (joins back to the text unchanged)."""
    splitter = ClauseSplitter()
    clauses = splitter.push(text)
    rest = splitter.flush()
    return [*clauses, rest] if rest else clauses


# -- English syllables ----------------------------------------------------------------------
# A sung English word needs one note per syllable, and the singer speaks each syllable on its
# own: the word is cut where a reader would hyphenate it. Spelling rules, not a dictionary:
# the singer and the lyric checks use the same cut, so a line is counted as it is sung.
_VOWEL = "aeiouy"
# A lone "e" before these is silent ("lovely", "homework", "bedtime").
_SILENT_E_BEFORE = ("ly", "ful", "less", "ness", "ment", "ments", "work", "where", "time",
                    "times", "line", "ward", "wards")
_KEEP_LEFT = ("ck", "ng", "x")  # between two vowels these stay with the first: "chick-en"
# Consonants that can start a sung syllable (the rest of a cluster stays with the syllable
# before): "win-ter", "birth-day", "jin-gle", "twin-kle", "lit-tle".
_ONSETS = frozenset(("bl", "br", "ch", "cl", "cr", "dr", "fl", "fr", "gl", "gr", "kl", "pl",
                     "pr", "sc", "sk", "sl", "sm", "sn", "sp", "st", "sw", "th", "tr", "tw",
                     "wh", "wr", "sh", "ph", "qu", "str", "spr", "scr", "spl", "thr", "shr",
                     "squ", "tl", "dl", "zl"))


def _vowel_groups(word: str) -> list[tuple[int, int]]:
    """(start, end) of each run of vowels; a leading y ("yes") is a consonant."""
    groups: list[tuple[int, int]] = []
    i = 0
    while i < len(word):
        if word[i] in _VOWEL and not (i == 0 and word[i] == "y" and len(word) > 1
                                      and word[1] in _VOWEL):
            j = i
            while j < len(word) and word[j] in _VOWEL:
                j += 1
            groups.append((i, j))
            i = j
        else:
            i += 1
    return groups


def _silent(word: str, start: int, end: int, last: bool) -> bool:
    """A lone "e" group that is not sung: "home", "makes", "jumped", "lovely"."""
    if word[start:end] != "e" or start == 0:
        return False
    before, rest = word[start - 1], word[end:]
    if last and rest == "":
        return not (before == "l" and start >= 2 and word[start - 2] not in _VOWEL)
    if last and rest == "d":
        return before not in "td"
    if last and rest == "s":
        return before not in "sxzgc" and word[start - 2:start] not in ("ch", "sh")
    return rest in _SILENT_E_BEFORE


def _cut(word: str, end: int, start: int) -> int:
    """Where two syllables part, given the end of one vowel run and the start of the next."""
    between = word[end:start]
    if between in _KEEP_LEFT:
        return start
    for i in range(len(between)):  # the longest ending of the cluster that can start one
        if len(between) - i == 1 or between[i:] in _ONSETS:
            return end + i
    return end


def english_syllables(word: str) -> list[str]:
    """A word cut into its sung syllables, spelling kept ("homework" → home|work, "little" →
    lit|tle, "sleigh" → sleigh); a word with no vowel letter is one syllable."""
    lower = word.lower()
    groups = _vowel_groups(lower)
    cuts: list[int] = []
    last_end = None
    for i, (start, end) in enumerate(groups):
        if i and _silent(lower, start, end, i == len(groups) - 1):
            if i < len(groups) - 1:
                cuts.append(end)  # "love|ly": the silent e ends the syllable before
                last_end = None
            continue
        if last_end is not None:
            cuts.append(_cut(lower, last_end, start))
        last_end = end
    bounds = [0, *cuts, len(word)]
    return [word[a:b] for a, b in itertools.pairwise(bounds) if word[a:b]]


_LATIN_WORD = re.compile(r"[A-Za-z]+(?:'[A-Za-z]+)?")


def english_words(text: str) -> list[str]:
    """The sung words of an English line (letters and an apostrophe; digits and signs are not
    sung)."""
    return _LATIN_WORD.findall(text)


def count_english_syllables(text: str) -> int:
    return sum(len(english_syllables(w)) for w in english_words(text))
