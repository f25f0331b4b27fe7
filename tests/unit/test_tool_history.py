"""Tool calls in the conversation's history and in what the model is sent."""

from __future__ import annotations

import pytest

from lingxi.assemble import build_responder
from lingxi.config import Settings
from lingxi.engines.llm.client import chat_tool_choice, chat_tools
from lingxi.engines.llm.embedded import ALIAS as EMBEDDED_ALIAS
from lingxi.engines.llm.prompt import chat_messages
from lingxi.interfaces import ChatMessage, ReplyRequest, ToolCall, calls_tools
from lingxi.personas import builtin_book
from lingxi.protocol.client_events import ProtocolError
from lingxi.protocol.items import (
    FunctionCallItem,
    FunctionCallOutputItem,
    MessageItem,
)
from lingxi.session.conversation import Conversation


def _message(item_id: str, role: str, text: str) -> MessageItem:
    kind = "input_text" if role == "user" else "output_text"
    return MessageItem.model_validate({"id": item_id, "role": role,
                                       "content": [{"type": kind, "text": text}]})


def test_calls_of_one_turn_join_the_assistant_message_before_their_outputs() -> None:
    conversation = Conversation()
    conversation.add(_message("u1", "user", "Weather in Paris and Rome?"))
    conversation.add(_message("a1", "assistant", "Let me look."))
    conversation.add(FunctionCallItem(id="f1", call_id="c1", name="get_weather",
                                      arguments='{"city": "Paris"}'))
    conversation.add(FunctionCallItem(id="f2", call_id="c2", name="get_weather",
                                      arguments='{"city": "Rome"}'))
    conversation.add(FunctionCallOutputItem(id="o1", call_id="c1", output="sunny"))
    conversation.add(FunctionCallOutputItem(id="o2", call_id="c2", output="rain"))
    history = conversation.history()
    assert [m.role for m in history] == ["user", "assistant", "tool", "tool"]
    assert history[1].text == "Let me look."
    assert [c.call_id for c in history[1].tool_calls] == ["c1", "c2"]
    assert [(m.tool_call_id, m.text) for m in history[2:]] == [("c1", "sunny"), ("c2", "rain")]


def test_the_model_never_gets_an_output_without_its_call() -> None:
    call = ToolCall("c1", "get_weather", '{"city": "Paris"}')
    history = (ChatMessage("user", "hi"), ChatMessage("assistant", "", (call,)),
               ChatMessage("tool", "sunny", tool_call_id="c1"))
    messages = chat_messages(ReplyRequest("", history), builtin_book(), keep=1)
    assert [m["role"] for m in messages] == ["system", "assistant", "tool"]
    assert messages[1]["content"] is None
    assert messages[1]["tool_calls"] == [{"id": "c1", "type": "function", "function": {
        "name": "get_weather", "arguments": '{"city": "Paris"}'}}]
    assert messages[2] == {"role": "tool", "content": "sunny", "tool_call_id": "c1"}


def test_realtime_tools_become_chat_tools() -> None:
    tool = {"type": "function", "name": "f", "description": "d", "parameters": {}}
    assert chat_tools((tool, {"type": "mcp", "server_label": "x"})) == [
        {"type": "function", "function": {"name": "f", "description": "d", "parameters": {}}}]
    assert chat_tool_choice({"type": "function", "name": "f"}) == {
        "type": "function", "function": {"name": "f"}}
    assert chat_tool_choice("required") == "required"


def test_a_function_call_cannot_be_truncated_like_audio() -> None:
    conversation = Conversation()
    conversation.add(FunctionCallItem(id="f1", call_id="c1", name="f"))
    with pytest.raises(ProtocolError, match="Only assistant audio"):
        conversation.truncate("f1", 0, 100)
    assert conversation.last_user() is None


def test_tools_go_to_a_model_by_url_but_not_to_the_embedded_one() -> None:
    by_url = build_responder(Settings(llm_base_url="http://127.0.0.1:9/v1", llm_model="m"))
    embedded = build_responder(Settings(llm_base_url="http://127.0.0.1:9/v1",
                                        llm_model=EMBEDDED_ALIAS))
    offline = build_responder(Settings(llm="off"))
    assert (calls_tools(by_url), calls_tools(embedded), calls_tools(offline)) == (
        True, False, False)
