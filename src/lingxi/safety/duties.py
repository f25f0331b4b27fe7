"""Disclosure and break reminders on the call's own clock (data: `data/duties.toml`)."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from lingxi.safety.data import DATA_DIR, SafetyDataError, read_toml

DUTIES_FILE = "duties.toml"


TEXT_KEYS = ("disclosure", "break_reminder", "minor_break_reminder", "persona_refusal")


@dataclass(frozen=True, slots=True)
class DutyTexts:
    """The duties' intervals (None: the disclosure is said at the start only, or no break
    reminder at all) and their words per language ("zh", "en")."""

    disclosure_every_s: float | None
    break_after_s: float | None
    minor_break_after_s: float | None
    disclosure: dict[str, str]
    break_reminder: dict[str, str]
    minor_break_reminder: dict[str, str]
    persona_refusal: dict[str, str]


def load_duties(path: Path | None = None) -> DutyTexts:
    path = path or DATA_DIR / DUTIES_FILE
    document = read_toml(path)
    try:
        intervals = [float(document[k]) for k in
                     ("disclosure_every_s", "break_after_s", "minor_break_after_s")]
        texts = {key: {lang: str(document[lang][key]) for lang in ("zh", "en")}
                 for key in TEXT_KEYS}
    except (KeyError, TypeError, ValueError) as exc:
        raise SafetyDataError(f"{path}: missing or malformed entry: {exc}") from None
    if min(intervals) <= 0:
        raise SafetyDataError(f"{path}: the intervals must be positive")
    every, after, minor_after = intervals
    return DutyTexts(every, after, minor_after, **texts)


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

    def before_reply(self, now: float, lang: str, *, minor: bool = False) -> str:
        """Minor mode: break reminders come sooner and say more firmly to step away."""
        lang = "zh" if lang == "zh" else "en"
        said = []
        every = self._texts.disclosure_every_s
        if self._disclosed_at is None or (every is not None and now - self._disclosed_at >= every):
            self._disclosed_at = now
            said.append(self._texts.disclosure[lang])
        interval = self._texts.minor_break_after_s if minor else self._texts.break_after_s
        due_breaks = 0 if interval is None else int((now - self._started_at) // interval)
        if due_breaks > self._breaks_reminded:
            self._breaks_reminded = due_breaks
            reminder = self._texts.minor_break_reminder if minor else self._texts.break_reminder
            said.append(reminder[lang])
        return "".join(said) if lang == "zh" else " ".join(said)
