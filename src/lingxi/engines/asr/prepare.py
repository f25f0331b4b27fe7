"""`python -m lingxi.engines.asr.prepare`: join the Whisper weights into the model cache."""

from __future__ import annotations

import sys

from lingxi.engines.asr.model_files import ModelFilesError, prepare


def main() -> int:
    try:
        target = prepare()
    except (ModelFilesError, OSError) as exc:
        print(f"lingxi: cannot prepare the Whisper model: {exc}", file=sys.stderr)
        return 1
    print(f"Whisper model ready in {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
