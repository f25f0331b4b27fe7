"""A model by URL inside a live call: the first clause is spoken while the model is still
writing, and a barge-in stops the model's HTTP stream."""

from __future__ import annotations

import json
import threading

from lingxi.config import Settings
from tests.chat_server import chat_server
from tests.responder.live import calling, live_lingxi
from tests.waiting import eventually


async def test_first_clause_reaches_tts_before_the_model_finishes() -> None:
    tokens = ["你好", "，", "我", "在", "呢", "。", *["慢慢", "说"] * 10, "。"]
    spoke = threading.Event()
    # The model stops mid-reply and writes on only once the voice has been asked to speak: a
    # server that waited for the whole reply before speaking would never let it finish.
    with chat_server(tokens=tokens, hold_after=6, release=spoke) as model, \
            live_lingxi(Settings(duties=False, llm_base_url=model.base_url),
                        spoke=spoke) as live:
        async with calling(live) as caller:
            turn = await caller.say("你好")
        assert model.holds == ["released"]  # spoken while the model was still writing
        assert model.outcomes == ["completed"]
        assert live.tts.spoken[0].text == "你好，"
    assert turn.transcript == "".join(tokens)


async def test_barge_in_closes_the_model_stream() -> None:
    # FakeTTS at 80 ms a character, as in speech: the first clause is heard while the model
    # is still writing the rest.
    tokens = ["好的，", *["这是很长的一句话，"] * 100]
    with chat_server(tokens=tokens, token_delay_s=0.03) as model, \
            live_lingxi(Settings(duties=False, llm_base_url=model.base_url),
                        ms_per_char=80) as live:
        async with calling(live) as caller:
            await caller.send({"type": "conversation.item.create", "item": {
                "type": "message", "role": "user",
                "content": [{"type": "input_text", "text": "讲个很长的故事"}]}})
            await caller.send({"type": "response.create"})
            await caller.until("response.output_audio.delta")
            await caller.send({"type": "response.cancel"})
            done = (await caller.until("response.done"))[-1]
            assert done["response"]["status"] == "cancelled"
            await eventually(lambda: model.outcomes)
        assert model.outcomes == ["disconnected"]  # the server saw the client go away
        body = json.dumps(model.requests[0], ensure_ascii=False)
        assert "讲个很长的故事" in body
