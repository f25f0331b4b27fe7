"""Where Lingxi keeps files: the cache of prepared models, and files that hold what callers
said or how they were (readable by this user only)."""

from __future__ import annotations

import os
from pathlib import Path


def cache_dir() -> Path:
    """Lingxi's cache ($XDG_CACHE_HOME/lingxi, else ~/.cache/lingxi): prepared models under
    `models/`, and what set-up and training build from them."""
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "lingxi"


def private_file(path: Path) -> None:
    """Create `path` (and its folder) readable by this user only: 0600 in 0700. SQLite gives
    its -wal and -shm files the database file's mode. An existing folder keeps its mode."""
    if not path.parent.exists():
        path.parent.mkdir(parents=True, mode=0o700)
    os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    os.chmod(path, 0o600)
