"""Turning a spoken transcript into the one form the rules are written against.

Steps, in order: Unicode NFKC (full-width letters and digits become ASCII); Traditional →
Simplified for the characters in `normalise.toml`; every sentence mark (，。！？；… and
their ASCII twins) becomes a single `,` — a clause break the rules can rely on, since
recognisers punctuate unreliably; quotes and brackets become spaces; lower case; spaces
collapsed and removed between two Chinese characters ("我 不想 活了" → "我不想活了"); then
the ordered replacements (recogniser homophones such as 字杀 → 自杀, "wanna" → "want to",
fillers such as 嗯 and "um").
"""

from __future__ import annotations

import re
import unicodedata

from lingxi.safety.data import NormaliseData
from lingxi.text import HAN_CLASS

_CLAUSE_MARKS = "。，、；：！？…—～~,.!?;:\n\r\t|/"
_SPACES = "\"“”「」『』《》〈〉()（）[]【】<>*#"
_APOSTROPHES = "’‘`´"
_CJK = HAN_CLASS
_COMMAS = re.compile(r"\s*,[\s,]*")
_WHITESPACE = re.compile(r"\s+")
_BETWEEN_CJK = re.compile(rf"(?<=[{_CJK}]) (?=[{_CJK}])")


class Normaliser:
    """Callable: raw transcript in, normalised text out. Build once; it is immutable."""

    def __init__(self, data: NormaliseData) -> None:
        table: dict[int, str] = dict(data.traditional)
        table.update({ord(c): "," for c in _CLAUSE_MARKS})
        table.update({ord(c): " " for c in _SPACES})
        table.update({ord(c): "'" for c in _APOSTROPHES})
        self._table = table
        self._replacements = data.replacements

    def __call__(self, text: str, *, rules: bool = True) -> str:
        """`rules=False`: leave out the replacements marked `rules_only` (the text the learned
        models and the output guard read)."""
        out = unicodedata.normalize("NFKC", text).translate(self._table).lower()
        out = _COMMAS.sub(",", _WHITESPACE.sub(" ", out))
        out = _BETWEEN_CJK.sub("", out)
        for replacement in self._replacements:
            if rules or not replacement.rules_only:
                out = replacement.pattern.sub(replacement.replacement, out)
        return out.strip(" ,")
