#!/usr/bin/env bash
# Install everything, then lint, type-check and run the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install.sh --test
.venv/bin/ruff check src tests bench
.venv/bin/mypy
# Two workers, a test file per worker at a time (module fixtures such as the embedded model
# load once); pass `-n 0` to run in one process.
.venv/bin/python -m pytest -n 2 --dist loadfile "$@"
