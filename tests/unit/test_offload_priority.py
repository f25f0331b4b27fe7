"""Bulk work yields the cores to the event loop that paces every call's audio."""

from __future__ import annotations

import asyncio
import os
import sys
import threading

import pytest

from lingxi.offload import BACKGROUND_NICE, in_worker


def _nice() -> int:
    return os.getpriority(os.PRIO_PROCESS, threading.get_native_id())


@pytest.mark.skipif(sys.platform != "linux", reason="per-thread priorities are Linux's")
def test_the_worker_thread_runs_below_the_loop() -> None:
    loop_nice = _nice()
    worker_nice = asyncio.run(in_worker(_nice))
    assert worker_nice == min(19, loop_nice + BACKGROUND_NICE)
    assert _nice() == loop_nice  # the loop's own priority is untouched
