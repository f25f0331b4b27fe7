"""Where the server hears callers' audio: one thread for every call, off the event loop.

Each call hands over an append and waits for it (so its audio stays in order); the thread
takes everything queued at once, denoises and resamples each append, then runs the VAD
model over all of them together, one frame from each call per run (a batch costs about a
third as much per frame as one at a time). Real-time chunks are heard and answered before
any long append in the same round. Under load the batches grow by themselves: the
longer a round takes, the more appends wait for the next one. Results go back to each
loop in one wake-up per round, not one per append.

One thread, not a pool: DeepFilterNet's model may only be used on the thread that made it,
so each call's denoiser is loaded, run and freed here (`run`)."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from lingxi import metrics
from lingxi.interfaces import BatchVad, VadStream
from lingxi.session.input import Front, Heard, InputAudio

log = logging.getLogger(__name__)
T = TypeVar("T")
_Outcome = tuple["asyncio.Future[Any]", Any, BaseException | None]


@dataclass(slots=True, eq=False)
class _Append:
    audio_in: InputAudio
    data: bytes  # as it came on the wire
    loop: asyncio.AbstractEventLoop
    future: asyncio.Future[Heard]
    front: Front | None = None


@dataclass(slots=True, eq=False)
class _Call:
    fn: Callable[[], Any]
    loop: asyncio.AbstractEventLoop
    future: asyncio.Future[Any]


class Hearing:
    def __init__(self) -> None:
        self._jobs: queue.SimpleQueue[_Append | _Call] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self.rounds = 0  # rounds served, and appends heard in them: the batches' mean size
        self.appends = 0
        self.largest_round = 0

    async def hear(self, audio_in: InputAudio, data: bytes) -> Heard:
        loop = asyncio.get_running_loop()
        future: asyncio.Future[Heard] = loop.create_future()
        self._put(_Append(audio_in, data, loop, future))
        return await future

    async def run(self, fn: Callable[[], T]) -> T:
        """Run `fn` on the hearing thread, in order with the appends before it."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[T] = loop.create_future()
        self._put(_Call(fn, loop, future))
        return await future

    def _put(self, job: _Append | _Call) -> None:
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._serve_forever,
                                                 name="lingxi-hear", daemon=True)
                self._thread.start()
        self._jobs.put(job)

    def _serve_forever(self) -> None:
        while True:
            jobs = [self._jobs.get()]
            while True:
                try:
                    jobs.append(self._jobs.get_nowait())
                except queue.Empty:
                    break
            try:
                self._serve(jobs)
            except BaseException as failed:  # never leave a call waiting
                log.exception("the hearing thread failed a round")
                _tell_all(jobs, _plain(failed))
            # Hold nothing of the calls while waiting: a call that ended is freed at once
            # (its resamplers are native objects that must not outlive the interpreter).
            del jobs

    def _serve(self, jobs: list[_Append | _Call]) -> None:
        """Real-time chunks first, heard and sent back together; then any long appends, so
        one client's 20 s upload never holds back every other call's 40 ms."""
        long = {id(j) for j in jobs if isinstance(j, _Append) and j.audio_in.long(j.data)}
        self._round([j for j in jobs if id(j) not in long])
        self._round([j for j in jobs if id(j) in long])

    def _round(self, jobs: list[_Append | _Call]) -> None:
        if not jobs:
            return
        outcomes: list[_Outcome] = []
        appends: list[_Append] = []
        for job in jobs:  # in order: a denoiser is loaded before its call's audio comes
            try:
                if isinstance(job, _Call):
                    outcomes.append((job.future, job.fn(), None))
                    continue
                job.front = job.audio_in.front(job.data)
                appends.append(job)
            except BaseException as failed:  # (a Rust panic is one) the call is told; the
                outcomes.append((job.future, None, _plain(failed)))  # thread carries on
        try:
            probabilities = _probabilities(appends)
            outcomes += [(a.future, _front(a).heard(p), None)
                         for a, p in zip(appends, probabilities, strict=True)]
        except BaseException as failed:
            log.exception("the VAD failed on a round of %d appends", len(appends))
            outcomes += [(a.future, None, _plain(failed)) for a in appends]
        self.rounds += 1
        self.appends += len(appends)
        self.largest_round = max(self.largest_round, len(appends))
        if appends:
            metrics.VAD_ROUND.observe(len(appends))
        by_loop: dict[asyncio.AbstractEventLoop, list[_Outcome]] = {}
        for outcome in outcomes:
            by_loop.setdefault(outcome[0].get_loop(), []).append(outcome)
        for loop, settled in by_loop.items():
            with contextlib.suppress(RuntimeError):  # that loop has closed: nobody waits
                loop.call_soon_threadsafe(_settle, settled)


def _probabilities(appends: list[_Append]) -> list[list[float]]:
    """Each append's frames heard: batched across calls frame by frame where the detector
    can, one at a time where it cannot."""
    out: list[list[float]] = [[] for _ in appends]
    batched: dict[int, list[int]] = {}  # detector → the appends it hears in batches
    for i, a in enumerate(appends):
        if _batches(type(a.audio_in.vad)):
            batched.setdefault(id(a.audio_in.vad), []).append(i)
        else:
            stream = a.audio_in.vad_stream
            out[i] = [stream.probability(f) for f in _front(a).frames]
    for members in batched.values():
        detector = appends[members[0]].audio_in.vad
        assert isinstance(detector, BatchVad)
        k = 0
        while row := [i for i in members if k < len(_front(appends[i]).frames)]:
            streams: list[VadStream] = [appends[i].audio_in.vad_stream for i in row]
            for i, p in zip(row, detector.probabilities(
                    streams, [_front(appends[i]).frames[k] for i in row]), strict=True):
                out[i].append(p)
            k += 1
    return out


@functools.cache
def _batches(detector: type) -> bool:
    """Whether a detector's class hears in batches, asked once per class: a protocol
    isinstance check walks the protocol's members, every append of every call."""
    return issubclass(detector, BatchVad)


def _front(a: _Append) -> Front:
    assert a.front is not None, "heard before the VAD"
    return a.front


def _tell_all(jobs: list[_Append | _Call], failed: Exception) -> None:
    for job in jobs:
        with contextlib.suppress(RuntimeError):
            outcome: _Outcome = (job.future, None, failed)
            job.loop.call_soon_threadsafe(_settle, [outcome])


def _plain(failed: BaseException) -> Exception:
    """What a waiting call is told: an ordinary exception, whatever the thread caught."""
    if isinstance(failed, Exception):
        return failed
    plain = RuntimeError(f"hearing failed: {type(failed).__name__}")
    plain.__cause__ = failed
    return plain


def _settle(outcomes: list[_Outcome]) -> None:
    for future, result, exc in outcomes:
        if future.done():  # the call went away meanwhile
            continue
        if exc is not None:
            future.set_exception(exc)
        else:
            future.set_result(result)


# The server's one hearing thread (started on first use).
HEARING = Hearing()
