"""The persona schema: what a character is (prompt, style, voice, boundaries), as validated data."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from lingxi.interfaces import Voice

Language = Literal["zh", "en"]
PERSONA_ID = r"^[a-z][a-z0-9_]{0,39}$"


class _Data(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Texts(_Data):
    """One text per language."""

    zh: str = Field(min_length=1)
    en: str = Field(min_length=1)

    def get(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


class TextLists(_Data):
    zh: tuple[str, ...] = ()
    en: tuple[str, ...] = ()

    def get(self, lang: str) -> tuple[str, ...]:
        return self.zh if lang == "zh" else self.en


class PersonaVoice(_Data):
    """How the persona sounds. Voice names are the TTS's: "zh" (Mandarin, female), "en"
    (English, male), "auto"/"default" (chosen by the script of each sentence)."""

    name: str = Field("auto", pattern=r"^[A-Za-z0-9_.-]{1,40}$")
    speed: float = Field(1.0, ge=0.5, le=2.0)
    pitch: float = Field(0.0, ge=-12.0, le=12.0)  # semitones
    volume: float = Field(1.0, gt=0.0, le=2.0)
    style: Literal["normal", "whisper"] = "normal"

    def voice(self, speed_factor: float = 1.0) -> Voice:
        return Voice(self.name, self.speed * speed_factor, self.pitch, self.volume, self.style)


class CompanionStyle(_Data):
    """How the offline companion speaks as this persona (no language model involved)."""

    me: Texts = Texts(zh="我", en="I")  # self-reference in Chinese lines ("俺老孙", "贫僧")
    you: Texts = Texts(zh="你", en="you")  # how the caller is addressed ("施主")
    # Openers said before a reply that does not already sound like the persona.
    openers: TextLists = TextLists()
    # Words that mark the persona's voice; a reply without any gets an opener.
    signature: TextLists = TextLists()
    # Replacements for the companion's line groups (see lingxi/companion/data/*.yaml).
    lines: dict[str, TextLists] = Field(default_factory=dict)

    def sounds_like(self, text: str, lang: str) -> bool:
        """Whether `text` already carries one of the persona's marks (True for a persona
        without any: nothing to add)."""
        signature = self.signature.get(lang)
        if not signature or not self.openers.get(lang):
            return True
        return any(word in text for word in signature)


class Example(_Data):
    """A short exchange that shows a language model how the persona talks (few-shot)."""

    caller: str = Field(min_length=1, max_length=200)
    reply: str = Field(min_length=1, max_length=200)


class Persona(_Data):
    id: str = Field(pattern=PERSONA_ID)
    order: int = 100  # where it appears on the persona list (then by id)
    language: Language = "zh"  # the persona's own language (its greeting on the list)
    name: Texts
    aliases: tuple[str, ...] = ()  # other names a caller may use to ask for it
    description: Texts
    greeting: Texts
    system_prompt: str = Field(min_length=1)
    style: Texts  # speaking style, told to a language model
    catchphrases: TextLists = TextLists()
    voice: PersonaVoice = PersonaVoice()
    boundaries: tuple[str, ...] = ()
    # A virtual partner or family member ("partner", "family"): a jurisdiction profile may
    # keep such a persona from minors (lingxi/safety/profiles.py); "none" for any other.
    relationship: Literal["none", "partner", "family"] = "none"
    colour: str = Field("#F29AB5", pattern=r"^#[0-9A-Fa-f]{6}$")
    companion: CompanionStyle = CompanionStyle()
    # Few-shot examples for a language model (a fixed part of the prompt, so it is cached).
    examples: tuple[Example, ...] = Field((), max_length=8)

    @field_validator("aliases")
    @classmethod
    def _no_blank_alias(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if any(not a.strip() for a in value):
            raise ValueError("aliases must not be blank")
        return value

    def names(self) -> tuple[str, ...]:
        """Every name the persona answers to (lower-cased for matching)."""
        return tuple(n.lower() for n in (self.name.zh, self.name.en, *self.aliases))

    def summary(self, lang: str | None = None) -> dict[str, str]:
        """The public card: what `GET /v1/personas` lists."""
        lang = lang or self.language
        return {"id": self.id, "name": self.name.get(lang),
                "description": self.description.get(lang), "greeting": self.greeting.get(lang),
                "colour": self.colour, "language": self.language}


class PersonaError(ValueError):
    """A persona file that cannot be used, with a message that says why."""


def parse_persona(data: Any, source: str) -> Persona:
    if not isinstance(data, dict):
        raise PersonaError(f"{source}: a persona must be a mapping of fields")
    try:
        return Persona.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"]) or "(top)"
        raise PersonaError(f"{source}: field {where}: {err['msg']}") from exc
