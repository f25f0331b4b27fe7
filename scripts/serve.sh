#!/usr/bin/env bash
# Install everything, then start the call server (extra arguments go to `lingxi serve`).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install.sh
exec .venv/bin/lingxi serve "$@"
