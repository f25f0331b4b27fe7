"""Where blocking CPU work runs. The event loop only routes: a heavy step (risk assessment of a
long text) goes to a small bounded pool, so one client's request never stalls another's call.
Tests on virtual time run the same steps inline, so what happens when stays deterministic."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")
Offload = Callable[[Callable[[], T]], Awaitable[T]]

# One worker: the work is short and per call in order; more threads would only contend for
# the two cores with speech recognition and synthesis.
_POOL = ThreadPoolExecutor(max_workers=1, thread_name_prefix="lingxi-work")


# Listening to a turn's voice for affect has a thread of its own: a reply waits for safety's
# assessment, and that must never queue behind affect (which no reply waits for).
_EARS = ThreadPoolExecutor(max_workers=1, thread_name_prefix="lingxi-ears")


# Scoring a pronunciation attempt takes seconds (pocketsphinx alignments): its own thread too,
# or every call's safety assessment would wait behind one caller's practice.
_COACH = ThreadPoolExecutor(max_workers=1, thread_name_prefix="lingxi-coach")


async def in_worker(fn: Callable[[], T]) -> T:
    return await asyncio.get_running_loop().run_in_executor(_POOL, fn)


async def in_ears(fn: Callable[[], T]) -> T:
    return await asyncio.get_running_loop().run_in_executor(_EARS, fn)


async def in_coach(fn: Callable[[], T]) -> T:
    return await asyncio.get_running_loop().run_in_executor(_COACH, fn)


async def inline(fn: Callable[[], T]) -> T:
    return fn()
