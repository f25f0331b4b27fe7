"""Read the skills' and the companion's data files at start-up, not at a call's first turn.

Each file is parsed once per process on first use (cached); parsing them all takes about
1.7 s of YAML on the event loop, and under load that landed in the first replies, holding
every call's audio while it ran."""

from __future__ import annotations

import importlib
from collections.abc import Callable

# (module, its cached loader): by name, as some packages re-export a function under their
# module's name (`lingxi.skills.pronounce.feedback`).
_LOADERS = (
    ("lingxi.companion.data", "stories"),
    ("lingxi.engines.affect.words", "_lexicon"),
    ("lingxi.skills.mood", "mood_words"),
    ("lingxi.skills.pronounce.feedback", "coach_data"),
    ("lingxi.skills.sing.library", "library"),
    ("lingxi.skills.sing.parody", "_data"),
    ("lingxi.skills.sing.requests", "_data"),
    ("lingxi.skills.story.requests", "_data"),
    ("lingxi.skills.story.requests", "_story_names"),
    ("lingxi.skills.whisper", "_data"),
    ("lingxi.skills.resume", "_data"),
    ("lingxi.skills.tell_time", "_patterns"),
    ("lingxi.personas.switch", "_patterns"),
)


def loaders() -> list[Callable[[], object]]:
    """Every cached data loader a call may reach."""
    from lingxi.companion.data import LANGUAGES, dialogue

    found: list[Callable[[], object]] = [
        getattr(importlib.import_module(module), name) for module, name in _LOADERS]
    return [*(lambda lang=lang: dialogue(lang) for lang in LANGUAGES), *found]


def preload_data() -> None:
    for load in loaders():
        load()
