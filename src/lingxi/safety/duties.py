"""Disclosure and break reminders on the call's own clock (data: `data/duties.toml`)."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from lingxi.safety.data import DATA_DIR, SafetyDataError, read_toml

DUTIES_FILE = "duties.toml"


@dataclass(frozen=True, slots=True)
class DutyTexts:
    disclosure_every_s: float
    break_after_s: float
    disclosure: dict[str, str]
    break_reminder: dict[str, str]


def load_duties(path: Path | None = None) -> DutyTexts:
    path = path or DATA_DIR / DUTIES_FILE
    document = read_toml(path)
    try:
        every = float(document["disclosure_every_s"])
        after = float(document["break_after_s"])
        texts = {lang: (str(document[lang]["disclosure"]), str(document[lang]["break_reminder"]))
                 for lang in ("zh", "en")}
    except (KeyError, TypeError, ValueError) as exc:
        raise SafetyDataError(f"{path}: missing or malformed entry: {exc}") from None
    if every <= 0 or after <= 0:
        raise SafetyDataError(f"{path}: the intervals must be positive")
    return DutyTexts(every, after, {k: v[0] for k, v in texts.items()},
                     {k: v[1] for k, v in texts.items()})


@functools.cache
def default_duties() -> DutyTexts:
    return load_duties()


class Duties:
    """What must be said before the next reply: the AI disclosure at the start of the call
    and every few hours, and a break reminder after long continuous use."""

    def __init__(self, started_at: float, texts: DutyTexts | None = None) -> None:
        self._texts = texts or default_duties()
        self._started_at = started_at
        self._disclosed_at: float | None = None
        self._breaks_reminded = 0

    def before_reply(self, now: float, lang: str) -> str:
        lang = "zh" if lang == "zh" else "en"
        said = []
        if self._disclosed_at is None or now - self._disclosed_at >= self._texts.disclosure_every_s:
            self._disclosed_at = now
            said.append(self._texts.disclosure[lang])
        due_breaks = int((now - self._started_at) // self._texts.break_after_s)
        if due_breaks > self._breaks_reminded:
            self._breaks_reminded = due_breaks
            said.append(self._texts.break_reminder[lang])
        return "".join(said) if lang == "zh" else " ".join(said)
