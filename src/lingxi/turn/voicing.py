"""How each clause of a reply is spoken: a style chosen from the caller's affect and the
clause's own words (or a tag the model put before it), and a small interjection where natural.

Safety comes first here too: safety's words are calm, and a caller at any risk never hears a
happy or playful voice (a call that only reached distress may hear one again once it has been
calm for a few turns: `Turn.subdued`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lingxi.engines.affect.words import feeling_of
from lingxi.interfaces import LIGHT_STYLES, Style
from lingxi.text import has_han
from lingxi.turn.model import Turn

# A style tag a language model may put in a clause: "[happy]", "【开心】", "（难过）", "<sad>".
# (A model's reply passes SpokenStyle first, which drops ASCII square brackets: a model should
# use 【】.) The first tag sets the clause's style; every tag is removed.
_TAG = re.compile(r"\s*[\[【(（<]\s*(normal|warm|happy|sad|calm|serious|playful|whisper|"
                  r"温暖|开心|高兴|难过|伤心|平静|严肃|俏皮|调皮|小声)\s*[\]】)）>]\s*", re.I)
_TAG_NAMES: dict[str, Style] = {
    "温暖": "warm", "开心": "happy", "高兴": "happy", "难过": "sad", "伤心": "sad",
    "平静": "calm", "严肃": "serious", "俏皮": "playful", "调皮": "playful", "小声": "whisper"}
# How Lingxi answers each feeling of the caller's.
_ANSWER: dict[str, Style] = {"happy": "happy", "sad": "sad", "tired": "calm", "anxious": "calm",
                             "angry": "calm", "neutral": "normal"}
# The clause's own words, when the caller sounds as usual.
_OWN: dict[str, Style] = {"happy": "happy", "sad": "sad", "anxious": "warm", "tired": "warm",
                          "angry": "serious", "neutral": "normal"}
_INTERJECTIONS = {("happy", "zh"): "哇！", ("happy", "en"): "Wow!",
                  ("sad", "zh"): "唉……", ("sad", "en"): "Oh…"}
_ALREADY = re.compile(r"^\s*(哇|唉|哎|啊|呀|嗯|哦|噢|wow|oh|ah|aw|yay)", re.I)
_STRONG = 0.25  # how sure (|valence|) the caller's feeling must be for an interjection


def tagged(text: str) -> tuple[Style | None, str]:
    """The style a tag in the clause asks for, and the words without tags (never spoken)."""
    match = _TAG.search(text)
    if match is None:
        return None, text
    name = match.group(1)
    style: Style = _TAG_NAMES.get(name) or name.lower()  # type: ignore[assignment]
    return style, _TAG.sub(lambda m: " " if _between_words(text, m) else "", text)


def _between_words(text: str, m: re.Match[str]) -> bool:
    """A tag between two Latin words leaves a space ("Guess [happy] what")."""
    before, after = text[:m.start()], text[m.end():]
    return bool(before and after and before[-1].isascii() and before[-1].isalnum()
                and after[0].isascii() and after[0].isalnum())


@dataclass
class Voicing:
    """One reply's clause-by-clause style choice."""

    turn: Turn
    interject: bool = False  # the reply is the responder's own words (not a skill's line)
    _started: bool = False

    def style(self, text: str, asked: Style | None, *, plain: bool, safety: bool) -> Style:
        """The style of a clause: what was asked for, else chosen; then made safe."""
        if plain:
            return "calm"  # crisis words: never whispered, never light
        if safety:  # the goodbye, "I am an AI": warm, or whispered in whisper mode
            if self.turn.style == "whisper":
                return "whisper"
            return asked if asked in ("calm", "warm") else "warm"
        style = asked or self._chosen(text)
        if style in LIGHT_STYLES and self.turn.subdued:
            return "warm"
        return style

    def _chosen(self, text: str) -> Style:
        turn = self.turn
        affect = turn.affect
        if turn.style == "whisper" or (affect is not None and affect.whispering):
            return "whisper"  # asked for, or the caller whispers: whisper back
        if affect is not None and affect.label != "neutral":
            return _ANSWER[affect.label]
        return _OWN[feeling_of(text).label]

    def opening(self, style: Style) -> str:
        """An interjection before the reply's first clause ("哇！", "唉……"), or ""."""
        if self._started:
            return ""
        self._started = True
        affect = self.turn.affect
        if (not self.interject or affect is None or style not in ("happy", "sad")
                or abs(affect.valence) < _STRONG):
            return ""
        # A call at risk hears no "哇！"; a sigh with a sad caller stays at distress (grief
        # is distress: "陪了我十年的老狗今天走了"), and from passive on the words are safety's.
        if self.turn.subdued and not (style == "sad" and self.turn.risk == "distress"):
            return ""
        return _INTERJECTIONS[(style, "zh" if self.turn.language == "zh" else "en")]

    @staticmethod
    def has_opening(text: str) -> bool:
        return bool(_ALREADY.match(text))


def joined(opening: str, text: str) -> str:
    """The interjection and the clause as one clause to say."""
    if not opening:
        return text
    return opening + ("" if has_han(text[:1]) or not text else " ") + text
