#!/usr/bin/env python
"""Memory benchmark: the memory lookup behind each reply, for a caller with many stored facts.

Seeds one user with N facts (default 10 000) spread over many calls, then measures:
- `recall`: what a call start costs: the database read of the caller's newest facts
  (`MemoryStore.recall`, indexed on (user_id, at)) plus building the note;
- `note`: what every later turn costs: building the note and open threads from what the
  call has loaded (`CallMemory.recollect`, on the event loop);
- `commit`: a finished user turn (the turn, two facts, a mood row) committed by the writer.

SQLite always; PostgreSQL too with `--postgres` (a throwaway server is started for the run,
as the tests do; needs the `postgresql` package).

Run:  .venv/bin/python bench/bench_memory.py [--facts N] [--repeat N] [--postgres]
"""

from __future__ import annotations

import argparse
import asyncio
import glob
import os
import shutil
import socket
import statistics
import subprocess
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

from lingxi.clock import MonotonicClock
from lingxi.memory.context import CallMemory
from lingxi.memory.mood import MoodTurn
from lingxi.memory.note import recollect
from lingxi.memory.schema import CallRecord, Fact, User
from lingxi.memory.service import MemoryConfig, MemoryService
from lingxi.memory.store import FactView, TurnWrite

KINDS = ("event", "like", "family", "work", "place", "date")
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def pct(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def report(name: str, samples_s: list[float]) -> None:
    ms = [s * 1000 for s in samples_s]
    print(f"  {name:<8} p50 {pct(ms, 0.5):7.3f} ms   p95 {pct(ms, 0.95):7.3f} ms   "
          f"max {max(ms):7.3f} ms   (n={len(ms)}, mean {statistics.fmean(ms):.3f})")


async def seed(memory: MemoryService, user: str, facts: int) -> None:
    calls = max(1, facts // 20)
    async with memory.store.sessions.begin() as s:
        s.add(User(id=user, created_at=NOW, last_seen_at=NOW, persona="companion"))
        await s.flush()  # no ORM relationships: parents go in first, explicitly
        s.add_all([CallRecord(id=f"c{i}", user_id=user,
                              started_at=NOW - timedelta(hours=calls - i)) for i in range(calls)])
    for start in range(0, facts, 2000):
        async with memory.store.sessions.begin() as s:
            s.add_all([Fact(id=uuid.uuid4().hex, user_id=user, call_id=f"c{i // 20}",
                            kind="name" if i == 0 else KINDS[i % len(KINDS)],
                            text=f"小王{i}" if i == 0 else f"事情{i}号", lang="zh",
                            at=NOW - timedelta(minutes=facts - i))
                       for i in range(start, min(facts, start + 2000))])


async def timed(fn: Callable[[], Awaitable[object]], repeat: int) -> list[float]:
    samples = []
    for _ in range(repeat):
        t = time.perf_counter()
        await fn()
        samples.append(time.perf_counter() - t)
    return samples


async def run(url: str, facts: int, repeat: int) -> None:
    memory = MemoryService.open(MemoryConfig(url=url), wall=lambda: NOW)
    try:
        user = "bench-user"
        await seed(memory, user, facts)
        clock = MonotonicClock()

        async def recall() -> object:
            found = await memory.store.recall(user)
            return recollect(found.facts, NOW, "bench-call")

        report("recall", await timed(recall, repeat))
        call = CallMemory(memory, "bench-call", clock)
        call.identify(user, None)
        await call.ready()
        assert call.recollect().note, "the note should not be empty"

        async def note() -> object:
            return call.recollect()

        report("note", await timed(note, repeat * 10))

        async def commit() -> None:
            fv = [FactView(id=uuid.uuid4().hex, kind=k, text="误机了", lang="zh", at=NOW)
                  for k in ("event", "like")]
            await memory.store.add_turn(TurnWrite(user, "c0", "item", "user", "我今天误机了",
                                                  NOW, facts=fv,
                                                  mood=MoodTurn(NOW, "sad", -0.6, -0.3, "none")))

        report("commit", await timed(commit, repeat))
    finally:
        await memory.close()


@contextmanager
def postgres() -> Iterator[str]:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not found:
        raise SystemExit("--postgres needs the postgresql package (apt-get install postgresql)")
    bin_dir = Path(found[-1]).parent
    as_pg = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    root = Path(tempfile.mkdtemp(prefix="lingxi-bench-pg-"))
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    subprocess.run([*as_pg, str(bin_dir / "initdb"), "-D", str(root / "data"), "-U", "postgres",
                    "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"],
                   check=True, capture_output=True)
    # fsync stays on: the commit numbers should be a real server's.
    subprocess.run([*as_pg, str(bin_dir / "pg_ctl"), "-D", str(root / "data"), "-l",
                    str(root / "log"), "-w", "-o",
                    f"-p {port} -k {root} -c listen_addresses=127.0.0.1", "start"],
                   check=True, capture_output=True)
    try:
        yield f"postgresql+asyncpg://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run([*as_pg, str(bin_dir / "pg_ctl"), "-D", str(root / "data"), "-m", "fast",
                        "-w", "stop"], capture_output=True)
        shutil.rmtree(root, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    parser.add_argument("--facts", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument("--postgres", action="store_true", help="also on PostgreSQL")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        print(f"SQLite, {args.facts} facts for one user:")
        asyncio.run(run(f"sqlite:///{tmp}/bench.db", args.facts, args.repeat))
    if args.postgres:
        with postgres() as url:
            print(f"PostgreSQL, {args.facts} facts for one user:")
            asyncio.run(run(url, args.facts, args.repeat))


if __name__ == "__main__":
    main()
