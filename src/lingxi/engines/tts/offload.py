"""Blocking model work off the event loop: one small thread pool for all synthesis."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
T = TypeVar("T")
# Two workers: onnxruntime already uses two threads per run, and the machine has few cores;
# more parallel runs would only slow every call's first audio.
_POOL = ThreadPoolExecutor(max_workers=2, thread_name_prefix="lingxi-tts")


async def run_blocking(fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """Run `fn` in the synthesis pool; the loop keeps serving calls meanwhile."""
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(_POOL, functools.partial(fn, *args, **kwargs))
