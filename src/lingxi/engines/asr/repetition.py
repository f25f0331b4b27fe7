"""Repetition loops in a transcript: how to see them, and how to cut one that survives.

Whisper, given a short window, sometimes says the sentence two or four times ("外面下雨了。
外面下雨了。") or a phrase until it runs out of tokens. The decoder is then re-run in a safer
way (see whisper_model); these functions decide when to, and clean up the rare loop that
every attempt repeats, so that no repeated output and nothing longer than the audio could hold
ever reaches the caller.

Units are what a listener counts: one per Han character, one per Latin or digit word.
"""

from __future__ import annotations

import logging
import re
import zlib
from collections.abc import Iterable
from dataclasses import dataclass

log = logging.getLogger(__name__)

_MARKS = " ,.!?;:，。！？；：、"
_UNIT = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]|[A-Za-z0-9']+")
# Faster than anyone speaks: Mandarin runs at 4–6 characters a second, English at 2–4 words.
# The slack covers a word cut at the window's edges.
UNITS_PER_S = 7.0
UNITS_SLACK = 4
# Whisper's own fallback threshold (gzip ratio of the text); long loops compress very well.
COMPRESSION_RATIO = 2.4
_COMPRESSION_MIN_CHARS = 24  # shorter texts never compress well enough to tell anything
# A stretch of this many units said twice in a row is a loop; shorter stretches must come
# more often ("对不起，对不起" and "谢谢谢谢" are ordinary speech, "哈哈哈哈哈哈" is not). Three
# units three times is one too ("…Starbucks喝咖啡喝咖啡喝咖啡", the fresh recognition set): a
# caller who does say "没关系没关系没关系" keeps its meaning in one copy.
_LONG_SPAN = 4
_SPAN_THREE_TIMES = 3
_SHORT_SPAN_TIMES = 4
_SINGLE_TIMES = 6


@dataclass(frozen=True, slots=True)
class Repeat:
    start: int  # index of the first unit of the first copy
    size: int  # units in one copy
    end: int  # index after the last repeated unit (a cut-off last copy included)


def units(text: str) -> list[re.Match[str]]:
    return list(_UNIT.finditer(text))


def _key(match: re.Match[str]) -> str:
    return match.group().lower()


def max_units(audio_s: float) -> int:
    """The most units `audio_s` seconds of speech can hold."""
    return int(UNITS_PER_S * audio_s) + UNITS_SLACK


def compression_ratio(text: str) -> float:
    data = text.encode("utf-8")
    return len(data) / len(zlib.compress(data)) if data else 0.0


def _needed(size: int) -> int:
    if size >= _LONG_SPAN:
        return 2
    if size == 3:
        return _SPAN_THREE_TIMES
    return _SINGLE_TIMES if size == 1 else _SHORT_SPAN_TIMES


def find_repeat(keys: list[str]) -> Repeat | None:
    """The first stretch repeated back to back often enough to be a loop, shortest first
    (so "好的" × 6 is one copy of "好的", not two of "好的好的好的")."""
    for start in range(len(keys)):
        for size in range(1, (len(keys) - start) // 2 + 1):
            times = 1
            span = keys[start:start + size]
            while keys[start + times * size:start + (times + 1) * size] == span:
                times += 1
            if times >= _needed(size):
                end = start + times * size
                while end < len(keys) and keys[end] == span[end - start - times * size]:
                    end += 1  # a last copy cut short by the token budget goes too
                return Repeat(start, size, end)
    return None


def is_loop(text: str, audio_s: float) -> bool:
    """Whether `text` cannot be an honest transcript of `audio_s` seconds of speech."""
    found = units(text)
    if len(found) > max_units(audio_s):
        return True
    if len(text) >= _COMPRESSION_MIN_CHARS and compression_ratio(text) > COMPRESSION_RATIO:
        return True
    return find_repeat([_key(m) for m in found]) is not None


def without_loops(text: str, audio_s: float) -> str:
    """`text` with every loop said once and cut to what the audio could hold (the last
    resort, when re-decoding kept repeating)."""
    found = units(text)
    if len(found) > 2 * max_units(audio_s):  # keeps the search below short
        text = text[:found[2 * max_units(audio_s) - 1].end()]
    while (found := units(text)) and (repeat := find_repeat([_key(m) for m in found])):
        kept = text[:found[repeat.start + repeat.size].start()].rstrip()
        tail = text[found[repeat.end - 1].end():]
        if kept and not kept[-1].isalnum():
            tail = tail.lstrip(_MARKS)  # the first copy's own mark ends it already
        text = kept + tail
    found = units(text)
    limit = max_units(audio_s)
    if len(found) > limit:
        text = text[:found[limit - 1].end()]
    return text.strip()


def first_clean(attempts: Iterable[str], audio_s: float) -> str:
    """The first attempt that is no loop; later attempts are only made (the iterable is
    lazy) when the ones before looped. When every one loops, the last one, cut."""
    text = ""
    for n, text in enumerate(attempts, 1):
        if not is_loop(text, audio_s):
            return text
        log.info("decode %d of %.1f s repeats itself (%r)", n, audio_s, text[:80])
    return without_loops(text, audio_s)


def echoes_prompt(text: str, prompt: str) -> bool:
    """Whether `text` is only the start of the style prompt the decode was given: on audio
    with no words in it (a backchannel under a speaker's echo, a breath) Whisper may say its
    prompt back ("以下是普通…"). Three units at least, and from the prompt's first, so "是的"
    or "普通话" said by the caller are still heard."""
    said = [_key(m) for m in units(text)]
    if len(said) < 3:
        return False
    return [_key(m) for m in units(prompt)][:len(said)] == said
