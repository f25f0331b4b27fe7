"""`lingxi serve` with its event loop's thread under cProfile over the measured window only.

Wall time (cProfile's default clock), so a function's time includes any wait for a core or
the GIL inside it. Timing by the thread's CPU clock instead (time.thread_time) was tried: on
this VM each reading is a ~1.7 µs system call, two per function call, which drowned the
loop's real costs (millions of short calls).

Run by ServerProcess (--profile-server OUT), which sends SIGUSR1 as each measured step
starts and ends; read with bench/loop_costs.py OUT."""

from __future__ import annotations

import cProfile
import signal
import sys


def main() -> None:
    out, argv = sys.argv[1], sys.argv[2:]
    from lingxi.cli import main as lingxi_main

    profile = cProfile.Profile()  # hooks only the thread that enables it: the loop's
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
