"""Waiting for something another thread or server does: a hang guard, never a timing check.

Tests that poll for an outcome (a webhook arriving, a stream seen closed) used to give up after
a fixed one or two seconds, which a loaded machine can exceed while the behaviour is correct.
`eventually` returns as soon as the condition holds and gives up only after a limit far above
any normal wait, so the assertion after it judges what happened, not how fast.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

HANG_S = 30.0  # far beyond a correct run on a busy two-core machine; only a hang reaches it
_POLL_S = 0.01


async def eventually(condition: Callable[[], object], *, within_s: float = HANG_S) -> bool:
    """Poll `condition` until it is true (returns True) or `within_s` pass (returns False)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within_s
    while not condition():
        if loop.time() >= deadline:
            return False
        await asyncio.sleep(_POLL_S)
    return True
