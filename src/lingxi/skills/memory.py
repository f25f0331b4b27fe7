"""Questions about memory itself, answered whatever responder is configured:
"你记得我什么？" / "what do you remember about me?" lists what is remembered, in a spoken
style; "忘掉这件事" / "forget that" forgets the most recent fact (or the one named)."""

from __future__ import annotations

from collections.abc import AsyncIterator

from lingxi.memory.extract import default_extractor
from lingxi.memory.store import FactView
from lingxi.turn.model import Turn
from lingxi.turn.segments import Say, Segment
from lingxi.turn.skill import Claim, Skill

_ZH_KIND = {"name": "你叫{}", "event": "你说过{}", "like": "你喜欢{}", "family": "你的{}",
            "work": "你的工作：{}", "place": "你在{}", "date": "{}"}
_EN_KIND = {"name": "your name is {}", "event": "you told me you {}", "like": "you like {}",
            "family": "your {}", "work": "you work {}", "place": "you're from {}",
            "date": "{}"}
_MAX_SAID = 6


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


class MemoryCommands(Skill):
    """"你记得我什么？" and "忘掉这件事", when this server keeps memory at all."""

    name = "memory"

    def claim(self, turn: Turn) -> Claim | None:
        if turn.memory is None or default_extractor().command(turn.text) is None:
            return None
        return Claim(1.0, "a question about memory itself")

    async def perform(self, turn: Turn) -> AsyncIterator[Segment]:
        command = default_extractor().command(turn.text)
        memory, lang = turn.memory, turn.language
        if command is None or memory is None or not memory.active:
            yield Say(_off(lang))
        elif command[0] == "recall":
            yield Say(remembered(memory.facts(), lang))
        else:
            yield Say(forgotten(memory.forget(command[1]), lang))
