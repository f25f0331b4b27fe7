"""Questions about memory itself, answered around whatever responder is configured:
"你记得我什么？" / "what do you remember about me?" lists what is remembered, in a spoken
style; "忘掉这件事" / "forget that" forgets the most recent fact (or the one named)."""

from __future__ import annotations

from collections.abc import AsyncIterator

from lingxi.interfaces import ReplyRequest, Responder
from lingxi.memory.context import CURRENT
from lingxi.memory.extract import default_extractor
from lingxi.memory.store import FactView

_ZH_KIND = {"name": "你叫{}", "event": "你说过{}", "like": "你喜欢{}", "family": "你的{}",
            "work": "你的工作：{}", "place": "你在{}", "date": "{}"}
_EN_KIND = {"name": "your name is {}", "event": "you told me you {}", "like": "you like {}",
            "family": "your {}", "work": "you work {}", "place": "you're from {}",
            "date": "{}"}
_MAX_SAID = 6


def _lang(request: ReplyRequest) -> str:
    if request.language in ("zh", "en"):
        return request.language
    text = request.last_user_text
    return "zh" if any("\u3400" <= ch <= "\u9fff" for ch in text) else "en"


def remembered(facts: list[FactView], lang: str) -> str:
    """What is remembered, as one would say it."""
    if not facts:
        return ("我们还不太熟呢，你还没跟我说过自己的事。" if lang == "zh"
                else "Nothing yet. You haven't told me much about yourself.")
    chosen = sorted(facts[:_MAX_SAID], key=lambda f: f.kind != "name")
    if lang == "zh":
        said = "；".join(_ZH_KIND[f.kind].format(f.text) for f in chosen)
        more = "，还有一些别的" if len(facts) > _MAX_SAID else ""
        return f"我记得：{said}{more}。想让我忘掉哪件，跟我说就好。"
    said = "; ".join(_EN_KIND[f.kind].format(f.text) for f in chosen)
    more = ", and a few more things" if len(facts) > _MAX_SAID else ""
    return f"I remember that {said}{more}. If you want me to forget any of it, just say so."


def forgotten(fact: FactView | None, lang: str) -> str:
    if fact is None:
        return ("好的。不过这件事我本来就没有记着。" if lang == "zh"
                else "Okay. That's not something I was keeping anyway.")
    if lang == "zh":
        return f"好，我已经忘掉了：{fact.text}。"
    return f"Done, I've forgotten that: {fact.text}."


def _off(lang: str) -> str:
    return ("这次通话没有开启记忆，我不会记下你说的话。" if lang == "zh"
            else "Memory is off for this call, so I'm not keeping anything you say.")


class MemorySkill:
    """Wraps a responder; everything that is not a memory question goes to it unchanged."""

    def __init__(self, inner: Responder) -> None:
        self.inner = inner
        self.name = inner.name  # the inner responder is what answers almost every turn

    async def respond(self, request: ReplyRequest) -> AsyncIterator[str]:
        command = default_extractor().command(request.last_user_text)
        memory = CURRENT.get()
        if command is not None:
            lang = _lang(request)
            if memory is None or not memory.active:
                yield _off(lang)
            elif command[0] == "recall":
                yield remembered(memory.facts(), lang)
            else:
                yield forgotten(memory.forget(command[1]), lang)
            return
        stream = self.inner.respond(request)
        try:
            async for token in stream:
                yield token
        finally:
            aclose = getattr(stream, "aclose", None)
            if aclose is not None:
                await aclose()
