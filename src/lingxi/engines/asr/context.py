"""What the conversation tells the recogniser before a word is heard.

Whisper reads "the text said before" as a prompt and leans towards its words and its style.
A call knows useful words (the persona's name, the song or story being talked about, the words
being practised) and the turn just before; a short prompt made of them turns near-homophones
("林希" for "灵犀") into the intended word. Everything here is optional: without a context the
recogniser behaves as before.
"""

from __future__ import annotations

from dataclasses import dataclass

_MAX_HOTWORDS = 12
_MAX_PREVIOUS_CHARS = 80  # the end of the previous turn is what the new one answers


@dataclass(frozen=True, slots=True)
class RecognitionContext:
    # Names, titles and words likely to be said (a few; more dilutes the prompt).
    hotwords: tuple[str, ...] = ()
    # The turn before this one (usually what Lingxi just said), in its own words.
    previous: str = ""

    def prompt(self) -> str:
        """The prompt text: the hotwords, then the end of the previous turn."""
        words = [w.strip() for w in self.hotwords if w.strip()][:_MAX_HOTWORDS]
        parts = []
        if words:
            parts.append(("、" if any(_is_han(w) for w in words) else ", ").join(words) + "。")
        previous = self.previous.strip()[-_MAX_PREVIOUS_CHARS:]
        if previous:
            parts.append(previous)
        return " ".join(parts)


def _is_han(text: str) -> bool:
    return any("\u3400" <= ch <= "\u9fff" for ch in text)
