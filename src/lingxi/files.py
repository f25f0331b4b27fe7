"""Where Lingxi keeps files: the cache of prepared models, and files that hold what callers
said or how they were (readable by this user only)."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")


def cache_dir() -> Path:
    """Lingxi's cache ($XDG_CACHE_HOME/lingxi, else ~/.cache/lingxi): prepared models under
    `models/`, and what set-up and training build from them."""
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "lingxi"


def run_preparer(step: Callable[[], T], errors: tuple[type[Exception], ...], failed: str,
                 done: Callable[[T], str]) -> int:
    """A preparer's command line (Whisper, the language model, EmbeddingGemma): run `step`;
    print `done` of its result and return 0, or, on one of `errors`, say "lingxi: `failed`:"
    and why on stderr and return 1."""
    try:
        result = step()
    except errors as exc:
        print(f"lingxi: {failed}: {exc}", file=sys.stderr)
        return 1
    print(done(result))
    return 0


def private_file(path: Path) -> None:
    """Create `path` (and its folder) readable by this user only: 0600 in 0700. SQLite gives
    its -wal and -shm files the database file's mode. An existing folder keeps its mode."""
    if not path.parent.exists():
        path.parent.mkdir(parents=True, mode=0o700)
    os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    os.chmod(path, 0o600)
