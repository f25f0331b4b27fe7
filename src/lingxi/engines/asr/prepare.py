"""`python -m lingxi.engines.asr.prepare`: join the Whisper weights into the model cache."""

from __future__ import annotations

import sys

from lingxi.engines.asr.model_files import ModelFilesError, prepare
from lingxi.files import run_preparer


def main() -> int:
    return run_preparer(prepare, (ModelFilesError, OSError), "cannot prepare the Whisper model",
                        lambda target: f"Whisper model ready in {target}")


if __name__ == "__main__":
    sys.exit(main())
