"""Images in the conversation: given to a vision model by URL; with any other responder kept
unseen, the client told once, and never an error (pipecat's loop stops on an error)."""

from __future__ import annotations

from typing import Any

from lingxi.config import Settings
from tests.chat_server import chat_server
from tests.e2e.test_sdk_clients import nonconforming
from tests.responder.live import calling, live_lingxi

PIXEL = ("data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk"
         "+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")


def _picture(text: str) -> dict[str, Any]:
    return {"type": "conversation.item.create", "item": {
        "type": "message", "role": "user", "content": [
            {"type": "input_text", "text": text},
            {"type": "input_image", "image_url": PIXEL, "detail": "low"}]}}


async def test_a_vision_model_sees_the_image() -> None:
    with chat_server(tokens=["A ", "single ", "pixel."]) as model, \
            live_lingxi(Settings(duties=False, llm_base_url=model.base_url,
                                 llm_vision=True)) as live:
        async with calling(live) as caller:
            await caller.send(_picture("What is in this picture?"))
            added = (await caller.until("conversation.item.added"))[-1]
            await caller.send({"type": "response.create"})
            events = await caller.until("response.done")
    assert added["item"]["content"][1] == {"type": "input_image", "image_url": PIXEL,
                                           "detail": "low"}
    assert nonconforming([added, *events], beta=False) == []
    content = model.requests[0]["messages"][-1]["content"]
    assert content == [{"type": "text", "text": "What is in this picture?"},
                       {"type": "image_url", "image_url": {"url": PIXEL}}]
    assert events[-1]["response"]["status"] == "completed"


async def test_without_a_vision_model_the_image_is_kept_unseen_and_the_call_goes_on() -> None:
    with chat_server(tokens=["I ", "cannot ", "see ", "it."]) as model, \
            live_lingxi(Settings(duties=False, llm_base_url=model.base_url)) as live:
        async with calling(live) as caller:
            await caller.update({"lingxi": {"events": True}})
            await caller.send(_picture("What is in this picture?"))
            told = await caller.until("lingxi.notice")
            await caller.send(_picture("And this one?"))
            await caller.send({"type": "response.create"})
            events = await caller.until("response.done")
    assert told[-1]["code"] == "images_unseen"
    assert [e for e in told + events if e["type"] in ("error", "lingxi.notice")] == told[-1:]
    assert events[-1]["response"]["status"] == "completed"
    stock = [e for e in told + events if not e["type"].startswith("lingxi.")]
    assert nonconforming(stock, beta=False) == []
    sent = model.requests[0]["messages"]
    said = [m["content"] for m in sent if m["role"] == "user"]
    assert said[-2:] == ["What is in this picture?", "And this one?"]
