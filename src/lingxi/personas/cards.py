"""Import SillyTavern character cards (v1/v2/v3 JSON, or a PNG with the card embedded).

A PNG card carries base64-encoded JSON in a text chunk named "chara" (v2) or "ccv3" (v3). The
PNG reader here walks the chunks itself (struct + zlib), checking each chunk's CRC.
"""

from __future__ import annotations

import base64
import binascii
import functools
import hashlib
import json
import re
import struct
import zlib
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from lingxi.personas.model import Persona, PersonaError, parse_persona
from lingxi.text import has_han

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_CARD_KEYS = ("ccv3", "chara")  # the newer spec first when a file carries both
_PALETTE = ("#F29AB5", "#E8A33D", "#8FB9A8", "#6FA8DC", "#B48EAD", "#D08770", "#A3BE8C")


def png_text_chunks(data: bytes) -> dict[str, str]:
    """Every tEXt/zTXt/iTXt chunk of a PNG, keyword → text."""
    if not data.startswith(PNG_SIGNATURE):
        raise PersonaError("not a PNG file")
    out: dict[str, str] = {}
    pos = len(PNG_SIGNATURE)
    while pos + 12 <= len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        kind = data[pos + 4:pos + 8]
        body = data[pos + 8:pos + 8 + length]
        (crc,) = struct.unpack(">I", data[pos + 8 + length:pos + 12 + length] or b"\0\0\0\0")
        if len(body) != length or zlib.crc32(kind + body) != crc:
            raise PersonaError(f"PNG chunk {kind!r} is damaged (length or CRC)")
        pos += 12 + length
        if kind in (b"tEXt", b"zTXt", b"iTXt"):
            key, text = _text_chunk(kind, body)
            out[key] = text
        if kind == b"IEND":
            break
    return out


def _text_chunk(kind: bytes, body: bytes) -> tuple[str, str]:
    key, _, rest = body.partition(b"\0")
    try:
        if kind == b"tEXt":
            return key.decode("latin-1"), rest.decode("latin-1")
        if kind == b"zTXt":  # one byte of method, then zlib data
            return key.decode("latin-1"), zlib.decompress(rest[1:]).decode("latin-1")
        compressed, rest = rest[0], rest[2:]  # iTXt: flag, method, lang\0, translated\0, text
        _, _, rest = rest.partition(b"\0")
        _, _, text = rest.partition(b"\0")
        raw = zlib.decompress(text) if compressed else text
        return key.decode("latin-1"), raw.decode("utf-8")
    except (zlib.error, UnicodeDecodeError, IndexError) as exc:
        raise PersonaError(f"PNG text chunk {key!r} cannot be read: {exc}") from exc


def card_from_png(data: bytes) -> dict[str, Any]:
    chunks = png_text_chunks(data)
    for key in _CARD_KEYS:
        if key in chunks:
            try:
                decoded = base64.b64decode(chunks[key], validate=True).decode("utf-8")
                card = json.loads(decoded)
            except (binascii.Error, UnicodeDecodeError, json.JSONDecodeError) as exc:
                raise PersonaError(f"the PNG's {key!r} chunk is not base64 JSON: {exc}") from exc
            if not isinstance(card, dict):
                raise PersonaError(f"the PNG's {key!r} chunk is not a character card")
            return card
    raise PersonaError("the PNG carries no character card (no 'chara' or 'ccv3' text chunk)")


def _slug(name: str) -> str:
    ascii_part = re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")
    if ascii_part and ascii_part[0].isalpha():
        return ascii_part[:32]
    # A name with no Latin letters ("孙悟空") gets a stable id from its hash.
    return "card_" + hashlib.sha1(name.encode("utf-8")).hexdigest()[:8]


@functools.cache
def _relationship_tags() -> dict[str, frozenset[str]]:
    text = resources.files("lingxi.personas").joinpath("card_tags.yaml").read_text("utf-8")
    data = yaml.safe_load(text)
    return {kind: frozenset(str(tag).lower() for tag in data[kind])
            for kind in ("partner", "family")}


def relationship_of(tags: Any) -> str:
    """"partner" or "family" when a card's tags say it plays one, else "none"."""
    given = {str(tag).strip().lower() for tag in tags} if isinstance(tags, list) else set()
    known = _relationship_tags()
    return next((kind for kind in ("partner", "family") if given & known[kind]), "none")


def persona_from_card(card: dict[str, Any], source: str = "card") -> Persona:
    """A persona from a card's fields; a `lingxi` entry in `extensions` may set voice, colour,
    id, language or any other persona field directly."""
    data = card.get("data") if isinstance(card.get("data"), dict) else card
    assert isinstance(data, dict)
    name = str(data.get("name") or "").strip()
    if not name:
        raise PersonaError(f"{source}: the card has no name")

    def field(key: str) -> str:
        value = data.get(key)
        text = value if isinstance(value, str) else ""
        return text.replace("{{char}}", name).replace("<BOT>", name).strip()

    zh = has_han(name + field("first_mes"))
    user = "你" if zh else "you"

    def spoken(key: str) -> str:
        return field(key).replace("{{user}}", user).replace("<USER>", user)

    prompt = "\n\n".join(part for part in (
        spoken("system_prompt"), f"You are {name}.", spoken("description"),
        spoken("personality") and f"Personality: {spoken('personality')}",
        spoken("scenario") and f"Scenario: {spoken('scenario')}",
        spoken("mes_example") and f"Examples of how {name} speaks:\n{spoken('mes_example')}",
    ) if part)
    blurb = (spoken("creator_notes") or spoken("description") or name)[:160]
    greeting = spoken("first_mes") or ("你好。" if zh else "Hello.")
    style = spoken("personality")[:200] or blurb
    values: dict[str, Any] = {
        "id": _slug(name), "language": "zh" if zh else "en",
        "name": {"zh": name, "en": name}, "description": {"zh": blurb, "en": blurb},
        "greeting": {"zh": greeting, "en": greeting}, "system_prompt": prompt,
        "style": {"zh": style, "en": style},
        "colour": _PALETTE[zlib.crc32(name.encode("utf-8")) % len(_PALETTE)],
        "relationship": relationship_of(data.get("tags")),
    }
    extensions = data.get("extensions")
    if isinstance(extensions, dict) and isinstance(extensions.get("lingxi"), dict):
        values.update(extensions["lingxi"])
    return parse_persona(values, source)


def load_card(path: Path) -> Persona:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise PersonaError(f"{path}: {exc}") from exc
    if raw.startswith(PNG_SIGNATURE):
        try:
            card = card_from_png(raw)
        except PersonaError as exc:
            raise PersonaError(f"{path}: {exc}") from exc
    else:
        try:
            card = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise PersonaError(f"{path}: not a JSON character card: {exc}") from exc
        if not isinstance(card, dict):
            raise PersonaError(f"{path}: not a JSON character card")
    return persona_from_card(card, str(path))
