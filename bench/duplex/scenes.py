"""The four scenes of the duplex bench, each one call, scored as the caller would judge it.

- pause: an unfinished sentence, a pause, the rest. Taken over when the server ended the
  turn in the pause (two turns were committed): the first half got answered on its own.
- turn: a complete turn. Latency: end of speech → first reply audio received.
- backchannel / noise: said over Lingxi's story. Taken over when the story did not carry on
  (it stopped and the next reply was not the story again, or nothing followed).
- interrupt: new content over the story. Whether the story stopped, how soon after the
  caller's onset (speech_started or the reply's cancel, whichever came first), and how soon
  after the end of the interruption a new answer's audio came.

With a speaker (the client's playback fed back into its microphone), the scenes over a reply
also record whether the story was interrupted before the caller said anything: its own echo
cut it.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import time
from dataclasses import dataclass
from typing import Any

from duplex.call import BenchCall, Response, Speaker, open_call
from duplex.clips import WIRE, Clip, pause_halves, speech, story_request

_NOT_WORDS = re.compile(r"[\W_]+")


@dataclass
class Result:
    clip: Clip
    took_over: bool | None = None  # pause, backchannel, noise
    latency_ms: float | None = None  # turn: end of speech → first audio
    cut_in: bool = False  # turn: a reply began before the caller had finished
    stopped: bool | None = None  # backchannel, noise, interrupt: the story stopped
    stop_ms: float | None = None  # onset → stop signalled
    answer_ms: float | None = None  # interrupt: end of interruption → the new answer's audio
    echo_cut: bool | None = None  # over a reply, with a speaker: stopped before the caller spoke
    note: str = ""


def carries_on(first: str, second: str, lang: str) -> bool:
    """Whether `second` goes on with `first`'s words (a resumed story repeats the cut
    clause), rather than answering something new."""
    a, b = _NOT_WORDS.sub(" ", first.lower()).split(), _NOT_WORDS.sub(" ", second.lower()).split()
    if lang == "zh":
        a, b = list("".join(a)), list("".join(b))
        need = 6
    else:
        need = 4
    grams = {tuple(a[i:i + need]) for i in range(len(a) - need + 1)}
    return any(tuple(b[i:i + need]) in grams for i in range(len(b) - need + 1))


async def run_clip(url: str, clip: Clip, turn: dict[str, Any] | None, seed: int,
                   speaker: tuple[float, float] | None = None, joined: bool = False) -> Result:
    """One clip as one call; `speaker`: (delay ms, gain dB) of the echo, None for a headset;
    `joined`: a pause row's halves cut from one sentence (clips.pause_halves)."""
    ws = await open_call(url, clip.lang, turn)
    call = BenchCall(ws, None if speaker is None else Speaker(*speaker))
    tasks = [asyncio.create_task(call.receive()), asyncio.create_task(call.mic.run(ws))]
    try:
        if clip.kind == "pause":
            return await _pause(call, clip, joined)
        if clip.kind == "turn":
            return await _turn(call, clip)
        return await _over_reply(call, clip, seed)
    finally:
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(BaseException):
                await task
        await ws.close()


async def _pause(call: BenchCall, clip: Clip, joined: bool) -> Result:
    first, rest = pause_halves(clip, joined)
    call.mic.say(first, after_ms=300)
    begun, end = call.mic.say(rest, after_ms=clip.ms)
    t_end = call.mic.at(end)
    # Done when a reply to the whole came (or 6 s after the end).
    await call.until(lambda: any(r.first_audio and r.first_audio > t_end
                                 for r in call.log.responses), t_end + 6.0)
    # Taken over: the server ended a turn inside the pause, i.e. the speech it said stopped
    # ended before the rest began. (Counting two speech_stopped events missed a takeover
    # whenever the scene ended before the second one arrived.)
    begun_ms = 1000.0 * begun / WIRE
    took_over = any(ms < begun_ms for ms in call.log.stopped_at_ms)
    return Result(clip, took_over=took_over, note=" | ".join(call.log.heard))


async def _turn(call: BenchCall, clip: Clip) -> Result:
    _, end = call.mic.say(speech(clip.text, clip.voice, clip.lang), after_ms=300)
    t_end = call.mic.at(end)
    await call.until(lambda: any(r.first_audio for r in call.log.responses), t_end + 8.0)
    heard = [r.first_audio for r in call.log.responses if r.first_audio]
    if not heard:
        return Result(clip, note="no reply")
    if heard[0] < t_end:  # a reply started before the caller had finished: cut in
        return Result(clip, cut_in=True, note="cut in | " + " | ".join(call.log.heard))
    # Where it went: ending the turn (silence and the decode that reads the words) / replying.
    ended = next((t for t in call.log.stopped if t > t_end - 1.0), heard[0])
    # The server's own split of the reply (lingxi.turn.metrics, sent once the reply is done).
    first = next(r for r in call.log.responses if r.first_audio)
    await call.until(lambda: bool(first.timings_ms), heard[0] + 8.0)
    split = ", ".join(f"{k.removesuffix('_ms')} {v:.0f}" for k, v in first.timings_ms.items()
                      if k != "first_audio_ms")
    return Result(clip, latency_ms=1000.0 * (heard[0] - t_end),
                  note=f"end {1000 * (ended - t_end):.0f} ms, reply "
                       f"{1000 * (heard[0] - ended):.0f} ms ({split}) | "
                       + " | ".join(call.log.heard) + f" => {first.text[:80]!r}")


async def _over_reply(call: BenchCall, clip: Clip, seed: int) -> Result:
    _, asked = call.mic.say(story_request(clip.lang), after_ms=300)
    log = call.log
    if not await call.until(lambda: any(r.first_audio for r in log.responses),
                            call.mic.at(asked) + 8.0):
        return Result(clip, note="the story never started")
    story = log.responses[0]
    assert story.first_audio is not None
    await asyncio.sleep(max(0.0, story.first_audio + clip.ms / 1000 - time.monotonic()))
    pcm = speech(clip.text, clip.voice, clip.lang, seed=seed if clip.voice == "noise" else 0)
    start, end = call.mic.say(pcm)
    t_on, t_end = call.mic.at(start), call.mic.at(end)

    def settled() -> bool:
        if not story.status:
            return time.monotonic() > t_end + 3.0  # not stopped: it carries on by itself
        later = [r for r in log.after(t_on) if r is not story]
        return any(r.status or len(r.text) > 24 for r in later)

    await call.until(settled, t_end + 10.0)
    echo_cut = any(story.first_audio <= t < t_on for t in log.started) \
        if call.mic.speaker is not None else None
    stopped = story.status in ("cancelled", "incomplete")
    signals = [t for t in log.started if t >= t_on]
    if stopped and story.done_at is not None:
        signals.append(story.done_at)
    result = Result(clip, stopped=stopped, echo_cut=echo_cut,
                    stop_ms=1000.0 * (min(signals) - t_on) if stopped and signals else None)
    later = [r for r in log.after(t_on) if r is not story]
    resumed = any(carries_on(story.text, r.text, clip.lang) for r in later)
    if clip.kind == "interrupt":
        answers = [r for r in later if not carries_on(story.text, r.text, clip.lang)]
        first = next((r.first_audio for r in answers if r.first_audio), None)
        result.answer_ms = 1000.0 * (first - t_end) if first else None
        result.note = _describe(later)
    else:
        result.took_over = stopped and not resumed
        result.note = (("resumed" if resumed else "not resumed") if stopped else "carried on") \
            + (f" | {_describe(later)}" if later else "")
    return result


def _describe(later: list[Response]) -> str:
    return "; ".join(f"{r.status or 'live'}: {r.text[:30]!r}" for r in later) or "no answer"
