"""A story made up on the spot by a language model ("讲一个关于小刺猬的故事"), told as it is
written: the words go out as the model writes them, so the reply is cut into clauses and
spoken like any other (a barge-in stops it and the model with it). It ends at the first
sentence end past its length, and it ends quietly, with what was said standing, when the
model fails or does not start in time (then it has yielded nothing, and the caller hears the
offline answer instead).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
from collections.abc import AsyncIterator

from lingxi.interfaces import ChatMessage, Writer, WriteRequest, WriterError
from lingxi.skills.story.requests import made_up
from lingxi.text import HAN, english_words
from lingxi.turn.model import Turn

log = logging.getLogger(__name__)

# The model's first words, from the request (its prompt read, on a busy machine): longer and
# the caller hears the offline answer instead.
FIRST_WORDS_S = 8.0
STORY_TOKENS = 480  # enough for the longest story asked for; the length cap ends it sooner
_SENTENCE_END = re.compile(r"[。！？!?]|\.(?=\s|$)")


def _length(text: str, lang: str) -> int:
    return len(HAN.findall(text)) if lang == "zh" else len(english_words(text))


async def made_up_story(writer: Writer, turn: Turn, *,
                        first_words_s: float = FIRST_WORDS_S) -> AsyncIterator[str]:
    """The story's words as written (nothing at all if the model cannot start in time)."""
    lang = "zh" if turn.language == "zh" else "en"
    asked = made_up(lang)
    name = turn.personas.get(turn.persona).name.get(lang)
    request = WriteRequest((ChatMessage("system", asked.system.format(name=name)),
                            ChatMessage("user", turn.text)),
                           max_tokens=STORY_TOKENS, temperature=0.8, spoken=True)
    said = ""
    async with contextlib.aclosing(writer.write(request)) as words:  # type: ignore[type-var]
        try:
            async with asyncio.timeout(first_words_s):
                first = await anext(words)
            async for token in _chain(first, words):
                if _length(said, lang) >= asked.longest:
                    end = _SENTENCE_END.search(token)
                    if end is not None:
                        yield token[:end.end()]
                        return
                said += token
                yield token
        except (TimeoutError, WriterError, StopAsyncIteration) as exc:
            log.info("made-up story: the model %s after %d characters", type(exc).__name__,
                     len(said))


async def _chain(first: str, rest: AsyncIterator[str]) -> AsyncIterator[str]:
    yield first
    async for token in rest:
        yield token
