"""The order in which the embedded model's prompt cache is readied (warm.py), against a fake
model server that records what it is asked (the real one: tests/responder/test_embedded.py)."""

from __future__ import annotations

import json
from pathlib import Path

import httpx

from lingxi.engines.llm.warm import Primer, Prompt, slot_file


class FakeModelServer:
    """Answers llama.cpp's chat and slot routes; a `save` writes the file as llama.cpp does."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.asked: list[tuple[str, int, str]] = []  # (what, slot, persona or file)
        self.refuse: set[str] = set()  # files it cannot restore (another build's, damaged)

    def __call__(self, request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        if request.url.path == "/v1/chat/completions":
            system = body["messages"][0]["content"]
            self.asked.append(("read", body["id_slot"], system))
        else:
            slot = int(request.url.path.rsplit("/", 1)[1])
            action = request.url.params["action"]
            if action == "save":
                (self.folder / body["filename"]).write_bytes(b"kv")
                self.refuse.discard(body["filename"])
            if action == "restore" and body["filename"] in self.refuse:
                return httpx.Response(400, json={"error": {"message": "invalid slot file"}})
            self.asked.append((action, slot, body["filename"]))
        return httpx.Response(200, json={})


def _prompt(persona: str) -> Prompt:
    return Prompt(persona, [{"role": "system", "content": persona},
                            {"role": "user", "content": "你好"}])


def _primer(server: FakeModelServer, folder: Path, model: Path) -> Primer:
    http = httpx.Client(transport=httpx.MockTransport(server))
    return Primer(http, "http://model", slots=2, folder=folder, model=model, runtime="t")


def test_the_first_start_reads_each_prompt_once_and_saves_it(tmp_path: Path) -> None:
    model = tmp_path / "m.gguf"
    model.write_bytes(b"weights")
    server = FakeModelServer(tmp_path)
    _primer(server, tmp_path, model).prime([_prompt("companion"), _prompt("sunwukong")])
    reads = [p for what, _, p in server.asked if what == "read" and p != "hi"]
    assert [p for p in reads if p in ("companion", "sunwukong")] == ["companion", "sunwukong"]
    assert len(list(tmp_path.glob("*.bin"))) == 2
    # The default persona ends in every slot, so the first call of any kind finds it.
    default = slot_file(_prompt("companion").messages, model, "t")
    last = {slot: name for what, slot, name in server.asked if what == "restore"}
    assert last == {0: default, 1: default}


def test_a_later_start_reads_nothing_but_restores_from_disk(tmp_path: Path) -> None:
    model = tmp_path / "m.gguf"
    model.write_bytes(b"weights")
    prompts = [_prompt("companion"), _prompt("sunwukong"), _prompt("tangseng")]
    _primer(FakeModelServer(tmp_path), tmp_path, model).prime(prompts)
    again = FakeModelServer(tmp_path)
    _primer(again, tmp_path, model).prime(prompts)
    assert not any(what == "read" and p != "hi" and p in ("companion", "sunwukong", "tangseng")
                   for what, _, p in again.asked)
    assert not any(what == "save" for what, _, _ in again.asked)
    # Each other persona passes through the spare slot, and a request after it moves it to
    # the server's RAM cache.
    restored = [name for what, slot, name in again.asked if what == "restore" and slot == 1]
    for prompt in prompts[1:]:
        assert slot_file(prompt.messages, model, "t") in restored


def test_new_weights_or_a_new_prompt_make_a_new_file(tmp_path: Path) -> None:
    model = tmp_path / "m.gguf"
    model.write_bytes(b"weights")
    first = slot_file(_prompt("companion").messages, model, "t")
    assert slot_file(_prompt("companion").messages, model, "t2") != first
    assert slot_file(_prompt("tangseng").messages, model, "t") != first
    model.write_bytes(b"other weights")
    assert slot_file(_prompt("companion").messages, model, "t") != first


def test_files_no_start_used_for_a_month_go(tmp_path: Path) -> None:
    import os
    import time

    model = tmp_path / "m.gguf"
    model.write_bytes(b"weights")
    old = tmp_path / "0123.bin"
    old.write_bytes(b"kv")
    month = time.time() - 31 * 86400
    os.utime(old, (month, month))
    prompts = [_prompt("companion")]
    _primer(FakeModelServer(tmp_path), tmp_path, model).prime(prompts)
    kept = tmp_path / slot_file(prompts[0].messages, model, "t")
    os.utime(kept, (month, month))  # made long ago, but this start uses it again
    _primer(FakeModelServer(tmp_path), tmp_path, model).prime(prompts)
    assert not old.exists() and kept.exists()


def test_a_pinned_second_prompt_gets_the_last_slot(tmp_path: Path) -> None:
    # The default persona's English note: a slot of its own, since llama.cpp does not look in
    # its RAM cache when a slot already shares the persona's prompt.
    model = tmp_path / "m.gguf"
    model.write_bytes(b"weights")
    prompts = [_prompt("companion"), _prompt("companion-en"), _prompt("tangseng")]
    server = FakeModelServer(tmp_path)
    _primer(server, tmp_path, model).prime(prompts, pinned=2)
    last = {slot: name for what, slot, name in server.asked if what == "restore"}
    assert last == {0: slot_file(prompts[0].messages, model, "t"),
                    1: slot_file(prompts[1].messages, model, "t")}


def test_a_file_the_server_refuses_is_read_again(tmp_path: Path) -> None:
    model = tmp_path / "m.gguf"
    model.write_bytes(b"weights")
    prompts = [_prompt("companion")]
    _primer(FakeModelServer(tmp_path), tmp_path, model).prime(prompts)
    server = FakeModelServer(tmp_path)
    server.refuse.add(slot_file(prompts[0].messages, model, "t"))
    _primer(server, tmp_path, model).prime(prompts)
    assert [p for what, _, p in server.asked if what == "read"] == ["companion"]
    assert server.asked[-1][0] == "restore" and not server.refuse
