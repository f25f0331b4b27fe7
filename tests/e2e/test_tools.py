"""Function calling end to end: the official clients give Lingxi their tools, a model by URL
calls one (a scripted OpenAI-compatible server that streams tool calls the way real ones do),
the client runs it and asks again, and the model answers from the function's output.

With the offline companion, which cannot call tools, a required tool call fails plainly and an
optional one is simply not made.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any, cast

from agents import function_tool
from agents.realtime import RealtimeAgent, RealtimeRunner
from openai import AsyncOpenAI

from lingxi.config import Settings
from tests.chat_server import chat_server
from tests.e2e.test_sdk_clients import nonconforming
from tests.responder.live import calling, live_lingxi

WEATHER_TOOL = {
    "type": "function", "name": "get_weather",
    "description": "The weather now in a city.",
    "parameters": {"type": "object", "properties": {"city": {"type": "string"}},
                   "required": ["city"]},
}
CALL = {"name": "get_weather", "arguments": '{"city": "Paris"}'}
ANSWER = ["It is ", "sunny in Paris, ", "twenty-one degrees."]


async def _until_done(conn: Any, events: list[dict[str, Any]]) -> dict[str, Any]:
    async with asyncio.timeout(10):
        while True:
            raw = await conn.recv_bytes()
            event = json.loads(raw)
            assert conn.parse_event(raw).type == event["type"]
            events.append(event)
            if event["type"] == "response.done":
                return cast(dict[str, Any], event["response"])


async def test_openai_sdk_tool_call_round_trip() -> None:
    with chat_server(tokens=ANSWER, tool_calls=[CALL]) as model, \
            live_lingxi(Settings(duties=False, llm_base_url=model.base_url)) as live:
        client = AsyncOpenAI(api_key="test", websocket_base_url=f"ws://127.0.0.1:{live.port}/v1")
        events: list[dict[str, Any]] = []
        async with client.realtime.connect(model="lingxi-test") as conn:
            await conn.session.update(session=cast(Any, {
                "type": "realtime", "output_modalities": ["text"], "tools": [WEATHER_TOOL],
                "audio": {"input": {"turn_detection": None}}}))
            await conn.conversation.item.create(item={
                "type": "message", "role": "user",
                "content": [{"type": "input_text", "text": "What's the weather in Paris?"}]})
            await conn.response.create()
            first = await _until_done(conn, events)
            call = first["output"][-1]
            await conn.conversation.item.create(item={
                "type": "function_call_output", "call_id": call["call_id"],
                "output": '{"sky": "sunny", "celsius": 21}'})
            await conn.response.create()
            second = await _until_done(conn, events)

    # The model's call reached the client as a function call, arguments and all.
    assert first["status"] == "completed"
    assert [o["type"] for o in first["output"]] == ["function_call"]
    assert (call["name"], json.loads(call["arguments"])) == ("get_weather", {"city": "Paris"})
    done = [e for e in events if e["type"] == "response.function_call_arguments.done"]
    assert [(e["call_id"], e["name"]) for e in done] == [(call["call_id"], "get_weather")]
    deltas = [e["delta"] for e in events if e["type"] == "response.function_call_arguments.delta"]
    assert "".join(deltas) == call["arguments"]
    # The model was given the tool, then its call and the client's output, and answered.
    assert model.requests[0]["tools"][0]["function"]["name"] == "get_weather"
    followed = model.requests[1]["messages"]
    assert followed[-2]["tool_calls"][0]["function"]["name"] == "get_weather"
    assert followed[-1] == {"role": "tool", "tool_call_id": call["call_id"],
                            "content": '{"sky": "sunny", "celsius": 21}'}
    assert second["status"] == "completed"
    assert second["output"][0]["content"][0]["text"] == "".join(ANSWER)
    assert [e for e in events if e["type"] == "error"] == []
    assert nonconforming(events, beta=False) == []


async def test_agents_sdk_runs_the_tool_and_speaks_the_answer() -> None:
    asked: list[str] = []

    @function_tool
    def get_weather(city: str) -> str:
        """The weather now in a city."""
        asked.append(city)
        return "sunny, 21 degrees"

    with chat_server(tokens=ANSWER, tool_calls=[CALL]) as model, \
            live_lingxi(Settings(duties=False, llm_base_url=model.base_url)) as live:
        agent = RealtimeAgent(name="lingxi", instructions="Be brief.", tools=[get_weather])
        session = await RealtimeRunner(agent).run(model_config={
            "url": f"ws://127.0.0.1:{live.port}/v1/realtime?model=lingxi-test",
            "api_key": "test", "initial_model_settings": {"turn_detection": None}})
        kinds: list[str] = []
        raw: list[dict[str, Any]] = []
        async with session:
            await session.send_message("What's the weather in Paris?")
            async with asyncio.timeout(15):
                async for event in session:
                    kinds.append(event.type)
                    if event.type == "raw_model_event" and event.data.type == "raw_server_event":
                        raw.append(cast(dict[str, Any], event.data.data))
                    if event.type == "error":
                        raise AssertionError(f"the agent reported an error: {event.error}")
                    dones = [e for e in raw if e["type"] == "response.done"]
                    if len(dones) == 2:
                        break
    assert asked == ["Paris"]  # the SDK ran the function with the model's arguments
    assert "tool_start" in kinds and "tool_end" in kinds
    assert model.requests[1]["messages"][-1]["content"] == "sunny, 21 degrees"
    spoken = "".join(e["delta"] for e in raw
                     if e["type"] == "response.output_audio_transcript.delta")
    assert spoken == "".join(ANSWER)
    assert nonconforming(raw, beta=False) == []


async def test_offline_companion_refuses_a_required_tool_call_and_answers_without() -> None:
    with live_lingxi(Settings(duties=False)) as live:
        async with calling(live) as caller:
            await caller.update({"lingxi": {"events": True}})
            await caller.send({"type": "session.update", "session": {
                "tools": [WEATHER_TOOL], "tool_choice": "required",
                "output_modalities": ["text"]}})
            told = await caller.until("lingxi.notice")
            failed = await caller.say("What's the weather in Paris?")
            await caller.update({"tool_choice": "auto"})
            answered = await caller.say("What's the weather in Paris?")
    assert told[-1]["code"] == "tools_unsupported"
    response = failed.of("response.done")[0]["response"]
    assert response["status"] == "failed"
    assert response["status_details"]["error"]["code"] == "tools_unsupported"
    assert answered.of("response.done")[0]["response"]["status"] == "completed"
    text = "".join(e["delta"] for e in answered.of("response.output_text.delta"))
    assert text.strip()
    assert not answered.of("response.function_call_arguments.done")


async def test_words_then_a_call_in_one_spoken_reply() -> None:
    with chat_server(preamble=["Let me check ", "the sky. "], tool_calls=[CALL]) as model, \
            live_lingxi(Settings(duties=False, llm_base_url=model.base_url)) as live:
        async with calling(live) as caller:
            await caller.update({"tools": [WEATHER_TOOL]})
            turn = await caller.say("What's the weather in Paris?")
    kinds = [e["type"] for e in turn.events]
    response = turn.of("response.done")[0]["response"]
    assert [o["type"] for o in response["output"]] == ["message", "function_call"]
    assert response["output"][0]["content"][0]["transcript"] == "Let me check the sky."
    # The call goes out after the words before it were sent, as the service orders outputs.
    last_audio = max(i for i, k in enumerate(kinds) if k == "response.output_audio.delta")
    assert kinds.index("response.function_call_arguments.done") > last_audio
    added = turn.of("response.output_item.added")
    assert [(e["output_index"], e["item"]["type"]) for e in added] == [
        (0, "message"), (1, "function_call")]
    assert nonconforming(turn.events, beta=False) == []


async def test_openai_sdk_beta_text_turn_and_tool_call() -> None:
    with chat_server(tokens=ANSWER, tool_calls=[CALL]) as model, \
            live_lingxi(Settings(duties=False, llm_base_url=model.base_url)) as live:
        client = AsyncOpenAI(api_key="test", websocket_base_url=f"ws://127.0.0.1:{live.port}/v1")
        events: list[dict[str, Any]] = []
        async with client.beta.realtime.connect(model="lingxi-test") as conn:
            await conn.session.update(session=cast(Any, {"modalities": ["text"],
                                                         "turn_detection": None}))
            await conn.conversation.item.create(item={
                "type": "message", "role": "user",
                "content": [{"type": "input_text", "text": "Say hello."}]})
            await conn.response.create()
            hello = await _until_done(conn, events)
            await conn.session.update(session=cast(Any, {"tools": [WEATHER_TOOL]}))
            await conn.conversation.item.create(item={
                "type": "message", "role": "user",
                "content": [{"type": "input_text", "text": "What's the weather in Paris?"}]})
            await conn.response.create()
            called = await _until_done(conn, events)
            call = called["output"][-1]
            await conn.conversation.item.create(item={
                "type": "function_call_output", "call_id": call["call_id"],
                "output": '{"sky": "sunny"}'})
            await conn.response.create()
            answered = await _until_done(conn, events)
    texts = [e["delta"] for e in events if e["type"] == "response.text.delta"]  # beta names
    assert hello["status"] == "completed" and "".join(texts).startswith("".join(ANSWER))
    assert (call["type"], call["name"]) == ("function_call", "get_weather")
    assert answered["status"] == "completed"
    assert model.requests[-1]["messages"][-1]["content"] == '{"sky": "sunny"}'
    assert [e for e in events if e["type"] == "error"] == []
    assert nonconforming(events, beta=True) == []
