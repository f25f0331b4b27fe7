"""`lingxi serve` with its event loop's thread under cProfile, timed in that thread's CPU
seconds (time.thread_time): what each function costs the loop, not how long it waited for a
core or the GIL, so a busy shared machine changes the numbers much less than wall time.

Run by ServerProcess (--profile-server OUT), which sends SIGUSR1 as each measured step
starts and ends; read with bench/loop_costs.py OUT."""

from __future__ import annotations

import cProfile
import signal
import sys
import time


def main() -> None:
    out, argv = sys.argv[1], sys.argv[2:]
    from lingxi.cli import main as lingxi_main

    profile = cProfile.Profile(time.thread_time)  # hooks only this thread: the loop's
    on = False

    def toggle(*_: object) -> None:  # SIGUSR1: the measured window starts / ends
        nonlocal on
        if on:
            profile.disable()
        else:
            profile.enable()
        on = not on

    # Signal handlers run on the main thread, which is the loop's: the profile hooks it.
    signal.signal(signal.SIGUSR1, toggle)
    try:
        lingxi_main(argv)  # uvicorn returns from SIGINT after a graceful shutdown
    except KeyboardInterrupt:
        pass
    finally:
        profile.disable()
        profile.dump_stats(out)


if __name__ == "__main__":
    main()
