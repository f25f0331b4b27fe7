from __future__ import annotations

import json
from pathlib import Path

import pytest

from lingxi.config import Settings
from lingxi.personas import PersonaError, builtin_book, load_book, load_persona_file
from lingxi.transport.app import create_app
from tests.harness import CallHarness, local_client

BUILT_IN = ["companion", "sunwukong", "tangseng", "lindaiyu", "english_teacher", "storyteller"]


def test_built_in_personas_load_with_distinct_voices() -> None:
    book = builtin_book()
    assert book.ids() == BUILT_IN  # in list order, the default first
    assert book.default == "companion"
    voices = {(p.voice.speed, p.voice.pitch) for p in book}
    assert len(voices) == len(BUILT_IN)
    wukong, monk = book.get("sunwukong").voice, book.get("tangseng").voice
    assert wukong.speed > 1.0 > monk.speed and wukong.pitch > 0 > monk.pitch
    for persona in book:
        assert persona.greeting.zh and persona.greeting.en and persona.system_prompt


def test_names_and_aliases_find_personas() -> None:
    book = builtin_book()
    assert book.named_in("换林黛玉来跟我说") is book.get("lindaiyu")
    assert book.named_in("让孙悟空来") is book.get("sunwukong")
    assert book.resolve("Monkey King") is book.get("sunwukong")
    assert book.resolve("海盗") is None
    assert book.get("no-such-id").id == "companion"  # unknown ids fall back to the default


def test_session_voice_overrides_the_persona_voice() -> None:
    book = builtin_book()
    assert book.voice("sunwukong").pitch == 3.0
    assert book.voice("sunwukong", "en", 1.2).name == "en"
    assert book.voice("tangseng", "default", 2.0).speed == pytest.approx(0.86 * 2.0)


def test_a_bad_persona_file_gets_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: Bad Id\nname: {zh: 坏, en: Bad}\n", "utf-8")
    with pytest.raises(PersonaError, match=r"bad.yaml: field id"):
        load_persona_file(bad)
    bad.write_text("id: pirate\nname: {zh: 海盗}\n", "utf-8")
    with pytest.raises(PersonaError, match=r"field name.en"):
        load_persona_file(bad)
    bad.write_text("id: [unclosed\n", "utf-8")
    with pytest.raises(PersonaError, match="cannot read YAML"):
        load_persona_file(bad)


def test_an_operator_folder_adds_and_replaces_personas(tmp_path: Path) -> None:
    (tmp_path / "pirate.yaml").write_text(
        "id: pirate\nlanguage: en\nname: {zh: 海盗, en: Pirate}\n"
        "description: {zh: 海盗船长, en: A pirate captain}\n"
        "greeting: {zh: 啊哈！, en: Ahoy!}\nsystem_prompt: You are a pirate.\n"
        "style: {zh: 粗声粗气, en: Gruff}\nvoice: {speed: 1.1, pitch: -4}\n", "utf-8")
    book = load_book(tmp_path)
    assert "pirate" in book and book.resolve("pirate") is book.get("pirate")
    assert book.ids()[:6] == BUILT_IN and book.ids()[-1] == "pirate"


def test_personas_endpoint_lists_every_persona() -> None:
    with local_client(create_app(Settings(duties=False))) as client:
        body = client.get("/v1/personas").json()
        assert [p["id"] for p in body["personas"]] == BUILT_IN
        assert body["default"] == "companion"
        wukong = body["personas"][1]
        assert set(wukong) == {"id", "name", "description", "greeting", "colour", "language"}
        assert wukong["name"] == "孙悟空" and wukong["colour"].startswith("#")
        english = client.get("/v1/personas?lang=en").json()["personas"][1]
        assert english["name"] == "Sun Wukong" and "Old Sun" in english["greeting"]
        assert client.get("/v1/personas?lang=fr").status_code == 400


async def test_unknown_persona_in_session_update_is_an_error_and_changes_nothing() -> None:
    async with CallHarness() as h:
        await h.send({"type": "session.update",
                      "session": {"instructions": "x", "lingxi": {"persona": "pirate"}}})
        await h.wait(0.1)
        errors = h.errors()
        assert len(errors) == 1 and errors[0]["param"] == "session.lingxi.persona"
        assert "pirate" in errors[0]["message"] and "sunwukong" in errors[0]["message"]
        assert not h.of("session.updated")
        assert h.call.session.instructions == "" and h.call.session.lingxi is None

        await h.send({"type": "session.update", "session": {"lingxi": {"persona": "tangseng"}}})
        await h.wait(0.1)
        updated = h.first("session.updated").event["session"]
        assert updated["lingxi"]["persona"] == "tangseng"


def test_cli_lists_and_checks_personas(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from lingxi.cli import main

    main(["personas", "list", "--lang", "en"])
    listed = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [p["id"] for p in listed] == BUILT_IN and listed[2]["name"] == "Tang Sanzang"
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: x\n", "utf-8")
    with pytest.raises(SystemExit) as info:
        main(["personas", "check", str(bad)])
    assert info.value.code == 1
    assert "bad.yaml: field name: Field required" in capsys.readouterr().out
