"""The language-model responder against a real local OpenAI-compatible server."""

from __future__ import annotations

import asyncio

import pytest

from lingxi.assemble import build_responder
from lingxi.config import Settings
from lingxi.interfaces import ChatMessage, ReplyRequest, Responder
from tests.chat_server import chat_server, closed_port
from tests.waiting import eventually

APOLOGY_ZH = "网络有点卡，我先陪你聊着。"


def _request(text: str, persona: str = "companion", **kw: object) -> ReplyRequest:
    return ReplyRequest("", (ChatMessage("user", text),), persona=persona, **kw)  # type: ignore[arg-type]


async def _collect(responder: Responder, request: ReplyRequest) -> list[str]:
    return [token async for token in responder.respond(request) if isinstance(token, str)]


def _llm(url: str, **kw: object) -> Responder:
    return build_responder(Settings(llm_base_url=url, **kw))  # type: ignore[arg-type]


async def test_the_reply_streams_from_the_server_with_the_persona_prompt() -> None:
    tokens = ["**俺老孙**", "来也", "，", "好的", "！😀"]
    with chat_server(tokens=tokens, token_delay_s=0.01) as server:
        responder = _llm(server.base_url, llm_model="tiny")
        assert responder.name == "llm:tiny"
        tokens = await _collect(responder, _request("让孙悟空来", "sunwukong",
                                                    memory_note="叫小王", open_threads=("误机了",)))
    assert "".join(tokens) == "俺老孙来也，好的！"  # markdown and emoji never reach the TTS
    assert len(tokens) >= 3  # streamed after the first clause, not gathered
    body = server.requests[0]
    assert body["model"] == "tiny" and body["stream"] is True
    system = body["messages"][0]["content"]
    assert "Sun Wukong" in system and "语音电话" in system and "叫小王" in system
    assert "误机了" in system
    # The caller's words, with the note on how to answer them in front (language, role).
    assert [m for m in body["messages"][1:] if m["role"] != "system"] == [
        {"role": "user", "content": "让孙悟空来"}]
    assert body["messages"][-2]["role"] == "system" and "中文" in body["messages"][-2]["content"]
    assert server.outcomes == ["completed"]


async def test_a_character_reply_that_sounds_like_anyone_starts_with_the_characters_opener(
        ) -> None:
    from lingxi.personas import load_book
    book = load_book(None, "companion")
    plain = ["你说得对", "，", "慢慢来就好。"]
    for persona, lang, say in (("tangseng", "zh", "师父我好累"), ("lindaiyu", "zh", "下雨了"),
                               ("tangseng", "en", "Master, I am tired")):
        tokens = plain if lang == "zh" else ["You are right", ",", " take it slowly."]
        with chat_server(tokens=tokens) as server:
            text = "".join(await _collect(_llm(server.base_url), _request(say, persona)))
        style = book.get(persona).companion
        assert style.sounds_like(text, lang), (persona, text)
        assert any(text.startswith(o) for o in style.openers.get(lang)), (persona, text)
        assert text.endswith("".join(tokens).strip()[-6:])  # the model's words all follow
    # Marks of its own in the first clause, or a persona without marks: the words as said.
    for persona, tokens in (("tangseng", ["阿弥陀佛", "，施主慢慢来。"]),
                            ("companion", plain)):
        with chat_server(tokens=tokens) as server:
            text = "".join(await _collect(_llm(server.base_url), _request("好累", persona)))
        assert text == "".join(tokens), (persona, text)


async def test_the_callers_question_read_back_first_is_not_said() -> None:
    zh, en = "夏天去哪里旅游比较凉快？", "What should I cook tonight?"
    for say, tokens, heard in (
            (zh, ["夏天去哪里", "旅游比较凉快？", "去海边吧", "，风大凉快。"],
             "去海边吧，风大凉快。"),
            (en, ["What should I cook tonight?", " maybe a soup."], "Maybe a soup."),
            # All of it an echo: said after all rather than silence.
            (zh, ["夏天去哪里旅游", "比较凉快？"], "夏天去哪里旅游比较凉快？"),
            # A word of the caller's alone is not an echo to drop.
            (zh, ["凉快，", "去海边或者进山。"], "凉快，去海边或者进山。")):
        with chat_server(tokens=tokens) as server:
            text = "".join(await _collect(_llm(server.base_url), _request(say)))
        assert text == heard


async def test_server_down_gives_an_apology_then_the_companion() -> None:
    responder = _llm(f"http://127.0.0.1:{closed_port()}/v1", llm_first_token_s=30.0)
    async with asyncio.timeout(5):  # it must not wait for the 30 s first-token limit
        text = "".join(await _collect(responder, _request("我今天误机了")))
    assert text.startswith(APOLOGY_ZH)
    assert "误机" in text[len(APOLOGY_ZH):]  # the companion heard what was said


async def test_a_slow_first_token_gives_the_apology_and_stops_the_request() -> None:
    with chat_server(first_token_delay_s=5.0) as server:
        responder = _llm(server.base_url, llm_first_token_s=0.3)
        text = "".join(await _collect(responder, _request("I missed my flight")))
        assert text.startswith("The line is a bit slow")
        assert "flight" in text.split("meanwhile.", 1)[1]
        await eventually(lambda: server.outcomes)
        assert server.outcomes == ["disconnected"]
        # For a while afterwards the companion answers without trying the server again.
        again = "".join(await _collect(responder, _request("I'm so tired")))
        assert again and not again.startswith("The line is a bit slow")
        assert len(server.requests) == 1


async def test_closing_the_stream_closes_the_upstream_request() -> None:
    with chat_server(tokens=["好"] * 200, token_delay_s=0.02) as server:
        responder = _llm(server.base_url)
        stream = responder.respond(_request("讲个长故事"))
        got = [await anext(stream) for _ in range(3)]
        await stream.aclose()  # type: ignore[attr-defined]
        await eventually(lambda: server.outcomes)
    assert got and server.outcomes == ["disconnected"]


async def test_an_http_error_falls_back_to_the_companion() -> None:
    with chat_server(status=500) as server:
        text = "".join(await _collect(_llm(server.base_url), _request("你好")))
    assert text.startswith(APOLOGY_ZH) and len(text) > len(APOLOGY_ZH)


def test_llm_base_url_alone_switches_to_the_model(monkeypatch: pytest.MonkeyPatch) -> None:
    assert build_responder(Settings()).name == "companion"
    monkeypatch.setenv("LINGXI_LLM_BASE_URL", "http://127.0.0.1:9/v1")
    assert build_responder(Settings()).name == "llm:default"


async def test_retries_on_refused_connections_are_quick() -> None:
    responder = _llm(f"http://127.0.0.1:{closed_port()}/v1", llm_retries=3)
    async with asyncio.timeout(5):  # three short backoffs, not a hang
        text = "".join(await _collect(responder, _request("hello")))
    assert text.startswith("The line is a bit slow")


@pytest.mark.parametrize(("tokens", "said"), [
    (["第一句。", "第二句！", "第三句？", "第四", "句。"], "第一句。第二句！"),
    (["One.", " Two", " words.", " Three.", " Four."], "One. Two words."),
    (["一。二。三。四。"], "一。二。"),
])
async def test_a_spoken_reply_ends_after_its_sentences(tokens: list[str], said: str) -> None:
    # (That leaving early closes the model's stream is tested above.)
    with chat_server(tokens=tokens, token_delay_s=0.01) as server:
        responder = _llm(server.base_url, llm_max_sentences=2)
        assert "".join(await _collect(responder, _request("说说看"))) == said


async def test_the_embedded_model_reads_ahead_and_the_reply_waits_for_that_reading() -> None:
    from lingxi.engines.llm.embedded import ALIAS
    from lingxi.interfaces import prime
    history = (ChatMessage("user", "我今天"), ChatMessage("assistant", "嗯，今天怎么了？"))
    ahead = ReplyRequest("", (*history, ChatMessage("user", "我今天面试")))
    final = ReplyRequest("", (*history, ChatMessage("user", "我今天面试没过。")))
    with chat_server(tokens=["别灰心，", "下次再来。"], token_delay_s=0.2) as server:
        responder = _llm(server.base_url, llm_model=ALIAS)
        prime(responder, ahead)
        prime(responder, ahead)  # one reading per conversation at a time
        text = "".join(await _collect(responder, final))
    assert text == "别灰心，下次再来。"
    assert len(server.requests) == 2
    read, asked = server.requests
    assert read["max_tokens"] == 1 and read["messages"][-1]["content"] == "我今天面试"
    assert asked["messages"][-1]["content"] == "我今天面试没过。"
    # The reply went out only after the reading finished: beside it, it would have landed on
    # another of the server's slots and read the whole prompt again.
    assert server.finished_before == [0, 1]


async def test_a_model_by_url_is_never_sent_a_reading_ahead() -> None:
    from lingxi.interfaces import prime
    with chat_server(tokens=["好的。"]) as server:
        responder = _llm(server.base_url)
        prime(responder, _request("我今天面试"))
        await asyncio.sleep(0.2)
    assert server.requests == []
