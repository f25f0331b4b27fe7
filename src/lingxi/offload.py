"""Where blocking CPU work runs. The event loop only routes: a heavy step (risk assessment of a
long text) goes to a small bounded pool, so one client's request never stalls another's call.
Tests on virtual time run the same steps inline, so what happens when stays deterministic."""

from __future__ import annotations

import asyncio
import contextlib
import os
import sys
import threading
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")
Offload = Callable[[Callable[[], T]], Awaitable[T]]

# How much lower than the event loop these pools' threads run (Linux nice steps). When the
# cores are all busy, the loop, which paces every call's reply audio, runs first: a risk
# assessment finishing a few ms later is not heard, a reply's audio arriving late is. The
# pools still get a third of the loop's share, never starved. (Not the hearing thread: it
# holds the GIL for much of its work, and a low-priority holder would stall the loop.)
BACKGROUND_NICE = 5


def lower_priority(steps: int) -> None:
    """Lower the calling thread's scheduling priority (Linux: each thread has its own)."""
    if sys.platform != "linux":
        return  # elsewhere the call would change the whole process's priority
    with contextlib.suppress(OSError):  # a sandbox that forbids it: run as we are
        tid = threading.get_native_id()
        os.setpriority(os.PRIO_PROCESS, tid, os.getpriority(os.PRIO_PROCESS, tid) + steps)


def _background() -> None:
    lower_priority(BACKGROUND_NICE)


# One worker: the work is short and per call in order; more threads would only contend for
# the two cores with speech recognition and synthesis.
_POOL = ThreadPoolExecutor(max_workers=1, thread_name_prefix="lingxi-work",
                           initializer=_background)


# Listening to a turn's voice for affect has a thread of its own: a reply waits for safety's
# assessment, and that must never queue behind affect (which no reply waits for).
_EARS = ThreadPoolExecutor(max_workers=1, thread_name_prefix="lingxi-ears",
                           initializer=_background)


# Scoring a pronunciation attempt takes seconds (pocketsphinx alignments): its own thread too,
# or every call's safety assessment would wait behind one caller's practice.
_COACH = ThreadPoolExecutor(max_workers=1, thread_name_prefix="lingxi-coach",
                            initializer=_background)


async def in_worker(fn: Callable[[], T]) -> T:
    return await asyncio.get_running_loop().run_in_executor(_POOL, fn)


async def in_ears(fn: Callable[[], T]) -> T:
    return await asyncio.get_running_loop().run_in_executor(_EARS, fn)


async def in_coach(fn: Callable[[], T]) -> T:
    return await asyncio.get_running_loop().run_in_executor(_COACH, fn)


async def inline(fn: Callable[[], T]) -> T:
    return fn()
