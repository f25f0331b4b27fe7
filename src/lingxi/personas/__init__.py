"""Personas: who answers (prompt, speaking style, voice, boundaries), as validated YAML data.

Built-ins live in `data/`; an operator adds more (or SillyTavern character cards) in the folder
named by `LINGXI_PERSONAS_DIR`.
"""

from lingxi.personas.book import (
    DEFAULT_PERSONA,
    PersonaBook,
    builtin_book,
    load_book,
    load_persona_file,
)
from lingxi.personas.model import Persona, PersonaError, PersonaVoice, Texts

__all__ = ["DEFAULT_PERSONA", "Persona", "PersonaBook", "PersonaError", "PersonaVoice", "Texts",
           "builtin_book", "load_book", "load_persona_file"]
