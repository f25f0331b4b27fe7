"""The audit log of risk events: when, how high, what was done. JSON lines, one per event.

No transcript text unless the operator turns it on (`LINGXI_SAFETY_AUDIT_TEXT=true`): the
log must be safe to hand to a reviewer. A failing disk never disturbs the call.
"""

from __future__ import annotations

import json
import logging
import os
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

from lingxi.files import private_file

log = logging.getLogger(__name__)


def default_audit_path() -> Path:
    base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "lingxi" / "safety-audit.jsonl"


class AuditLog:
    def __init__(self, path: Path, *, include_text: bool = False,
                 wall: Callable[[], float] = time.time) -> None:
        self.path = path
        self.include_text = include_text
        self._wall = wall
        # File writes stay off the event loop; one thread keeps the lines in order.
        self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="lingxi-audit")

    def record(self, *, call_id: str, level: str, action: str, reasons: Sequence[str],
               text: str | None = None) -> None:
        entry: dict[str, object] = {
            "at": datetime.fromtimestamp(self._wall(), UTC).isoformat(timespec="seconds"),
            "call_id": call_id, "level": level, "action": action, "reasons": list(reasons),
        }
        if self.include_text and text:
            entry["text"] = text
        self._writer.submit(self._append, json.dumps(entry, ensure_ascii=False) + "\n")

    def flush(self) -> None:
        """Wait until every recorded event is on disk."""
        self._writer.submit(lambda: None).result()

    def _append(self, line: str) -> None:
        try:
            if not self.path.exists():
                private_file(self.path)  # risk events are sensitive: this user only
            with self.path.open("a", encoding="utf-8") as f:
                f.write(line)
        except OSError as exc:
            log.error("could not write the safety audit log %s: %s", self.path, exc)
