"""The language model's second opinion on borderline turns, with a fake model (the logic):
asked only when the risk model is unsure, only after the reply, at most so often, never
lowering the level, and a failing or silent model changes nothing."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Coroutine, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from lingxi.clock import VirtualClock
from lingxi.safety.audit import AuditLog
from lingxi.safety.encoder import DIM
from lingxi.safety.gate import SafetyGate
from lingxi.safety.levels import Level
from lingxi.safety.model import Head, RiskModel
from lingxi.safety.opinion import OpinionLimits, SecondOpinion, borderline, parse_level

THRESHOLDS = (0.0, 0.3, 0.3, 0.3, 0.3, 0.3)
# The risk model's view of every turn: distress, but passive is not far off (P(≥passive) 0.2).
UNSURE = (0.6, 0.2, 0.12, 0.05, 0.02, 0.01)
SURE_NOTHING = (0.97, 0.02, 0.005, 0.003, 0.001, 0.001)


class EncoderFake:
    """Every text is the same vector: the head's bias alone decides (a fake encoder)."""

    def __call__(self, texts: Sequence[str]) -> np.ndarray[Any, Any]:
        return np.zeros((len(texts), DIM), np.float32)


def model_rating(probabilities: Sequence[float]) -> RiskModel:
    """A real risk model whose head rates every turn with these probabilities."""
    head = Head(weights=np.zeros((2 * DIM, 6), np.float32),
                bias=np.log(np.array(probabilities, np.float32)),
                mean=np.zeros(2 * DIM, np.float32), scale=np.ones(2 * DIM, np.float32),
                temperature=1.0, thresholds=np.array(THRESHOLDS, np.float32), meta={})
    return RiskModel(head, EncoderFake())


class LanguageModelFake:
    """Answers the classification prompt with a fixed word, fails, or never answers."""

    def __init__(self, answer: str = "active", *, fails: bool = False,
                 silent: bool = False) -> None:
        self.answer, self.fails, self.silent = answer, fails, silent
        self.asked: list[str] = []
        self.seen: Callable[[], object] = lambda: None  # what the test notes at each question
        self.noted: list[object] = []

    async def __call__(self, messages: list[dict[str, str]]) -> str:
        self.asked.append(messages[-1]["content"])
        self.noted.append(self.seen())
        if self.fails:
            raise ConnectionError("model down")
        if self.silent:
            await asyncio.Event().wait()
        return self.answer


class Harness:
    def __init__(self, model: LanguageModelFake, probabilities: Sequence[float] = UNSURE,
                 limits: OpinionLimits | None = None, quiet: asyncio.Event | None = None,
                 audit: AuditLog | None = None) -> None:
        self.clock = VirtualClock()
        self.tasks: list[asyncio.Task[Any]] = []
        self.quiet = quiet

        async def wait_quiet() -> None:
            if self.quiet is not None:
                await self.quiet.wait()

        opinion = SecondOpinion(model, self.clock, wait_quiet, limits)
        self.gate = SafetyGate(duties=None, model=model_rating(probabilities),
                               spawn=self._spawn, opinion=opinion, audit=audit)

    def _spawn(self, coro: Coroutine[Any, Any, bool]) -> None:
        self.tasks.append(asyncio.get_running_loop().create_task(coro))

    async def turn(self, text: str, then_s: float = 30.0) -> None:
        self.gate.observe(text)
        await self.clock.advance(then_s)


def test_borderline_is_the_next_level_up_half_way_to_its_threshold() -> None:
    assert borderline(Level.DISTRESS, UNSURE, THRESHOLDS)
    assert not borderline(Level.NONE, SURE_NOTHING, THRESHOLDS)
    assert not borderline(Level.IMMINENT, UNSURE, THRESHOLDS)
    # At passive, the question is active: P(≥active) 0.08 < 0.15.
    assert not borderline(Level.PASSIVE, UNSURE, THRESHOLDS)


def test_the_answer_is_read_as_a_level_or_nothing() -> None:
    assert parse_level("Active.") == Level.ACTIVE
    assert parse_level(" plan\n") == Level.PLAN
    assert parse_level("I cannot help with that") is None


async def test_a_borderline_turn_rated_higher_raises_the_call_for_the_next_reply() -> None:
    h = Harness(LanguageModelFake("active"))
    await h.turn("我最近总是睡不着，觉得什么都没意思")
    assert h.gate.level == "active"
    plan = h.gate.plan_reply(h.clock.now())
    assert plan.notice is not None and plan.text  # the crisis reply from now on


async def test_an_opinion_below_passive_leaves_the_call_as_it_was() -> None:
    # P(≥distress) 0.25 < 0.3: none; P(≥passive) 0.2 is half-way to 0.3: asked.
    model = LanguageModelFake("distress")
    h = Harness(model, probabilities=(0.75, 0.05, 0.15, 0.03, 0.01, 0.01))
    await h.turn("I was thinking that")
    assert model.asked and h.gate.level == "none"


async def test_the_opinion_never_lowers_the_level() -> None:
    h = Harness(LanguageModelFake("none"))
    await h.turn("我不想活了")
    assert h.gate.level == "passive"


async def test_a_failing_or_silent_model_changes_nothing() -> None:
    for model in (LanguageModelFake(fails=True), LanguageModelFake(silent=True)):
        h = Harness(model, limits=OpinionLimits(timeout_s=10.0))
        await h.turn("最近很累，什么都不想做")
        assert model.asked and h.gate.level == "distress"
        assert all(task.done() for task in h.tasks)  # the silent one was given up on


async def test_a_sure_turn_is_not_asked_about() -> None:
    model = LanguageModelFake("imminent")
    h = Harness(model, probabilities=SURE_NOTHING)
    await h.turn("今天吃了火锅，很开心")
    assert model.asked == [] and h.gate.level == "none"


async def test_it_is_asked_at_most_so_often_per_call() -> None:
    model = LanguageModelFake("distress")
    h = Harness(model, limits=OpinionLimits(every_s=60.0, per_call=2))
    for _ in range(5):
        await h.turn("还是很累", then_s=20.0)
    assert len(model.asked) == 2  # at 0 s and 60 s, of 100 s of turns


async def test_it_waits_until_the_call_is_quiet_and_reads_the_recent_turns() -> None:
    model = LanguageModelFake("active")
    quiet = asyncio.Event()
    h = Harness(model, quiet=quiet, limits=OpinionLimits(every_s=0.0))
    h.gate.observe("今天下雨了")
    await h.turn("我觉得自己很多余")
    assert model.asked == [] and h.gate.level == "distress"  # a reply is still going on
    quiet.set()
    await h.clock.advance(0)
    assert h.gate.level == "active"
    assert "今天下雨了" in model.asked[-1] and "我觉得自己很多余" in model.asked[-1]


async def test_a_plan_rated_by_the_opinion_is_escalated(tmp_path: Path) -> None:
    audit = AuditLog(tmp_path / "audit.jsonl")
    h = Harness(LanguageModelFake("plan"), audit=audit)
    await h.turn("药都在抽屉里了")
    audit.flush()
    actions = [json.loads(line)["action"] for line in (tmp_path / "audit.jsonl").open()]
    assert actions[-1] == "escalated" and h.gate.level == "plan"


async def test_in_a_call_the_reply_comes_first_and_the_next_turn_gets_the_raised_level() -> None:
    from lingxi.session.call import CallSettings
    from tests.harness import CallHarness
    from tests.session.test_safety_in_calls import OPT_IN, reply_transcripts, say_text

    model = LanguageModelFake("active")
    settings = CallSettings(duties=False, risk_model=model_rating(UNSURE),
                            second_opinion=model)
    async with CallHarness(settings=settings, replies=["嗯，我在听。"]) as h:
        model.seen = lambda: [s.type for s in h.channel.sent]
        await h.send(OPT_IN)
        await say_text(h, "最近总觉得自己很多余")
        await say_text(h, "嗯")
    first, second = reply_transcripts(h)
    assert first == "嗯，我在听。"  # the responder's reply, unchanged
    [sent_before_asking] = model.noted
    assert isinstance(sent_before_asking, list) and "response.done" in sent_before_asking
    assert h.first("lingxi.safety.notice").event["level"] == "active"
    assert second != first and len(h.responder.calls) == 1  # the crisis reply, not the model
