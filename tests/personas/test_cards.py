"""SillyTavern character cards: JSON (v1, v2) and PNG with the card in a text chunk."""

from __future__ import annotations

import base64
import json
import struct
import zlib
from pathlib import Path
from typing import Any

import pytest

from lingxi.personas import PersonaError, load_book, load_persona_file
from lingxi.personas.cards import png_text_chunks

V2_CARD: dict[str, Any] = {
    "spec": "chara_card_v2", "spec_version": "2.0",
    "data": {
        "name": "Captain Mira", "description": "{{char}} is a retired sea captain.",
        "personality": "gruff, kind, tells sea stories",
        "scenario": "{{user}} visits {{char}} at the harbour.",
        "first_mes": "Ahoy, {{user}}! Come in out of the rain.",
        "mes_example": "<START>\n{{char}}: The sea gives and the sea takes.",
        "creator_notes": "A friendly old captain.", "system_prompt": "",
        "extensions": {"lingxi": {"voice": {"speed": 0.9, "pitch": -4}}},
    },
}


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def make_png(text_chunks: list[tuple[bytes, bytes]]) -> bytes:
    """A 1×1 grey PNG with the given extra chunks before the image data."""
    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    chunks = [_chunk(b"IHDR", ihdr), *(_chunk(k, b) for k, b in text_chunks),
              _chunk(b"IDAT", zlib.compress(b"\x00\x80")), _chunk(b"IEND", b"")]
    return b"\x89PNG\r\n\x1a\n" + b"".join(chunks)


def card_chunk(card: dict[str, Any], key: bytes = b"chara") -> tuple[bytes, bytes]:
    encoded = base64.b64encode(json.dumps(card, ensure_ascii=False).encode("utf-8"))
    return b"tEXt", key + b"\0" + encoded


def test_v2_json_card_becomes_a_persona(tmp_path: Path) -> None:
    path = tmp_path / "mira.json"
    path.write_text(json.dumps(V2_CARD), "utf-8")
    persona = load_persona_file(path)
    assert persona.id == "captain_mira" and persona.language == "en"
    assert persona.greeting.en == "Ahoy, you! Come in out of the rain."
    assert "Captain Mira is a retired sea captain." in persona.system_prompt
    assert "gruff" in persona.system_prompt and "The sea gives" in persona.system_prompt
    assert persona.voice.pitch == -4 and persona.voice.speed == 0.9  # from extensions.lingxi
    assert persona.description.en == "A friendly old captain."


def test_v1_card_with_a_chinese_name() -> None:
    from lingxi.personas.cards import persona_from_card

    persona = persona_from_card({"name": "小红", "description": "{{char}}是个热心的邻居。",
                                 "first_mes": "{{user}}，吃了吗？"})
    assert persona.language == "zh" and persona.id.startswith("card_")
    assert persona.greeting.zh == "你，吃了吗？" and "小红是个热心的邻居" in persona.system_prompt


def test_png_card_is_read_from_its_chara_chunk(tmp_path: Path) -> None:
    path = tmp_path / "mira.png"
    path.write_bytes(make_png([(b"tEXt", b"Comment\0made by a test"), card_chunk(V2_CARD)]))
    chunks = png_text_chunks(path.read_bytes())
    assert chunks["Comment"] == "made by a test"
    persona = load_persona_file(path)
    assert persona.id == "captain_mira" and persona.voice.pitch == -4
    # A folder of cards joins the built-ins.
    assert "captain_mira" in load_book(tmp_path)


def test_png_card_in_a_compressed_itxt_chunk(tmp_path: Path) -> None:
    card = {**V2_CARD, "data": {**V2_CARD["data"], "name": "Mira Two"}}
    text = base64.b64encode(json.dumps(card).encode())
    itxt = b"ccv3\0" + b"\x01\x00" + b"\0" + b"\0" + zlib.compress(text)
    path = tmp_path / "two.png"
    path.write_bytes(make_png([(b"iTXt", itxt)]))
    assert load_persona_file(path).id == "mira_two"


@pytest.mark.parametrize(("name", "content", "message"), [
    ("plain.png", make_png([(b"tEXt", b"Comment\0hi")]), "no character card"),
    ("damaged.png", make_png([card_chunk(V2_CARD)]).replace(b"IEND", b"IEN!"),
     "damaged"),
    ("notbase64.png", make_png([(b"tEXt", b"chara\0***")]), "not base64 JSON"),
    ("broken.json", b"{not json", "not a JSON character card"),
    ("noname.json", json.dumps({"spec": "chara_card_v2", "data": {"name": ""}}).encode(),
     "no name"),
])
def test_bad_cards_get_clear_errors(tmp_path: Path, name: str, content: bytes,
                                    message: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(PersonaError, match=message) as info:
        load_persona_file(path)
    assert name in str(info.value)


def test_a_cards_tags_flag_a_virtual_partner_or_family_member() -> None:
    from lingxi.personas.cards import persona_from_card

    def card(tags: list[str], **lingxi: Any) -> dict[str, Any]:
        data: dict[str, Any] = {"name": "Mei", "tags": tags}
        if lingxi:
            data["extensions"] = {"lingxi": lingxi}
        return {"spec": "chara_card_v2", "data": data}

    assert persona_from_card(card(["Romance", "slice of life"])).relationship == "partner"
    assert persona_from_card(card(["妈妈"])).relationship == "family"
    assert persona_from_card(card(["fantasy", "pirate"])).relationship == "none"
    assert persona_from_card(card(["girlfriend"], relationship="none")).relationship == "none"
    assert persona_from_card(V2_CARD).relationship == "none"  # no tags at all
