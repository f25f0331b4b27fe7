#!/usr/bin/env python
"""What the event loop's CPU went to, by part, from a --profile-server file.

Run:  .venv/bin/python bench/loop_costs.py PROF [--call-seconds N] [--top 25]
      (N: calls × seconds they were connected; the parts are then ms of loop CPU per
      call-second, the figure that decides how many calls one loop carries)
"""

from __future__ import annotations

import argparse
import pstats
from collections import defaultdict

# (part, substrings of "file:function"), first match wins; order matters.
PARTS: list[tuple[str, tuple[str, ...]]] = [
    ("reply audio resampling", ("soxr",)),
    ("base64", ("base64", "binascii")),
    ("JSON + event models", ("json", "pydantic", "lingxi/protocol/", "session/edge.py")),
    ("websocket frames + socket writes", ("websockets/", "uvicorn/", "starlette/",
                                          "transport/app.py", "write' of", "send' of")),
    ("metrics", ("prometheus", "lingxi/metrics.py")),
    ("reply text: safety + affect", ("lingxi/safety/", "lingxi/engines/affect/",
                                     "turn/router.py")),
    ("reply pacing + audio", ("reply_audio.py", "session/playback.py", "session/outbox.py",
                              "lingxi/audio.py", "numpy")),
    ("fake engines", ("engines/fake.py",)),
    ("hearing handoff + turn detection", ("session/hearing.py", "session/input.py",
                                          "session/inbound.py", "session/listener.py",
                                          "end_of_turn.py", "session/limits.py")),
    ("asyncio + event loop", ("asyncio", "uvloop", "<built-in method _asyncio", "Runner")),
    ("other lingxi", ("lingxi/",)),
]


def part_of(key: tuple[str, int, str]) -> str:
    name = f"{key[0]}:{key[2]}"
    for part, needles in PARTS:
        if any(n in name for n in needles):
            return part
    return "other"


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("prof")
    p.add_argument("--call-seconds", type=float, default=0.0)
    p.add_argument("--top", type=int, default=25)
    args = p.parse_args()
    stats = pstats.Stats(args.prof)
    raw = stats.stats  # type: ignore[attr-defined]
    total = sum(v[2] for v in raw.values())
    parts: dict[str, float] = defaultdict(float)
    for key, v in raw.items():
        parts[part_of(key)] += v[2]
    scale = 1000.0 / args.call_seconds if args.call_seconds else None
    print(f"loop CPU {total:.2f} s" + (f" = {total * scale:.2f} ms per call-second"
                                        if scale else ""))
    for part, t in sorted(parts.items(), key=lambda kv: -kv[1]):
        per = f"  {t * scale:6.3f} ms/call-s" if scale else ""
        print(f"  {100 * t / total:5.1f} %  {t:7.2f} s{per}  {part}")
    print(f"\ntop {args.top} functions by own time:")
    top = sorted(raw.items(), key=lambda kv: -kv[1][2])[: args.top]
    for key, v in top:
        where = key[0].split("site-packages/")[-1]
        print(f"  {100 * v[2] / total:5.1f} %  {v[1]:9d} calls  {where}:{key[1]} {key[2]}")


if __name__ == "__main__":
    main()
