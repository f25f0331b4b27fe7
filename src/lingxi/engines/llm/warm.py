"""Readying the embedded model's prompt cache before a caller needs it.

Every persona's fixed prompt is a few hundred tokens, which two CPU cores read at 20–35
tokens a second: 15–20 s each, longer than a caller will wait for a first word. So each is
read once per machine and its KV cache kept on disk (llama.cpp's slot files, ~14 MB each,
under ~/.cache/lingxi/models/slots). At every start they are restored in milliseconds: the
default persona into the slots (in Chinese, and in English in the last), the others through
one spare slot into the server's RAM cache, from where llama.cpp loads whichever a request
matches.

Before this, every start read all six personas again (about two minutes of one core), and a
call made in those minutes waited behind them: the 6 s first-token limit passed and the
caller heard the apology.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

log = logging.getLogger(__name__)

Messages = list[dict[str, Any]]


def slot_folder(models: Path) -> Path:
    return models / "slots"


def slot_file(messages: Messages, model: Path, runtime: str) -> str:
    """A file name that changes whenever the prompt, the weights or llama.cpp do (a KV cache
    is only valid for the exact tokens, weights and code that made it)."""
    size = model.stat().st_size if model.exists() else 0
    key = json.dumps([runtime, model.name, size, messages], ensure_ascii=False,
                     sort_keys=True)
    return hashlib.sha256(key.encode()).hexdigest()[:24] + ".bin"


@dataclass(frozen=True, slots=True)
class Prompt:
    persona: str
    messages: Messages  # what the first turn of a call sends, but for its words


class Primer:
    """Talks to one running model server (`root`: http://127.0.0.1:PORT, no /v1)."""

    def __init__(self, http: httpx.Client, root: str, *, slots: int, folder: Path,
                 model: Path, runtime: str) -> None:
        self.http = http
        self.root = root.rstrip("/")
        self.slots = max(1, slots)
        self.folder = folder
        self.model = model
        self.runtime = runtime

    @property
    def spare(self) -> int:
        """The slot prompts are read and passed through in (the last)."""
        return self.slots - 1

    def prime(self, prompts: Sequence[Prompt], pinned: int = 1) -> None:
        """The first `pinned` prompts into the slots (the first into all but the last
        `pinned - 1`, which take one each); the rest into the server's RAM cache.

        llama.cpp gives a request the slot sharing the longest start with it and, measured,
        does not look in its RAM cache when a slot shares the persona's prompt: so the
        default persona's English turn note gets a slot of its own, not a place in RAM."""
        if not prompts:
            return
        self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        kept = prompts[:max(1, min(pinned, self.slots))]
        order = [0] * (self.slots - len(kept) + 1) + list(range(1, len(kept)))
        for slot, which in enumerate(order):
            self._place(slot, kept[which])
        for prompt in prompts[len(kept):]:
            self._place(self.spare, prompt)
            # A slot given another prompt saves the one it held to the RAM cache first.
            self._read([{"role": "user", "content": "hi"}], self.spare)
        self._place(self.spare, kept[order[self.spare]])
        self._forget_old()

    def ensure(self, prompt: Prompt) -> str:
        """The slot file for `prompt`, made (read by the model, then saved) if missing."""
        name = slot_file(prompt.messages, self.model, self.runtime)
        path = self.folder / name
        if path.exists():
            path.touch()  # in use: kept by `_forget_old`
        else:
            log.info("reading the %s persona's prompt once for this machine", prompt.persona)
            self._read(prompt.messages, self.spare)
            self._slot(self.spare, "save", name)
        return name

    def _place(self, slot: int, prompt: Prompt) -> None:
        """`prompt`'s cache into `slot`; a file the server refuses (damaged, or from another
        build) is made again."""
        name = self.ensure(prompt)
        try:
            self._slot(slot, "restore", name)
        except httpx.HTTPStatusError:
            log.info("the saved prompt cache of %s was refused; reading it again",
                     prompt.persona)
            (self.folder / name).unlink(missing_ok=True)
            self._slot(slot, "restore", self.ensure(prompt))

    def _forget_old(self, days: float = 30.0) -> None:
        """Files of prompts, weights or runtimes no start has used for a month go (each is
        ~14 MB, and every prompt change makes new ones)."""
        cutoff = time.time() - days * 86400  # files' own clock (mtime), not a call's
        for path in self.folder.glob("*.bin"):
            with contextlib.suppress(OSError):
                if path.stat().st_mtime < cutoff:
                    path.unlink()

    def _read(self, messages: Messages, slot: int) -> None:
        body = {"messages": messages, "max_tokens": 1, "id_slot": slot}
        self.http.post(self.root + "/v1/chat/completions", json=body).raise_for_status()

    def _slot(self, slot: int, action: str, name: str) -> None:
        self.http.post(f"{self.root}/slots/{slot}", params={"action": action},
                       json={"filename": name}).raise_for_status()
