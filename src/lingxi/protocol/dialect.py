"""Dialects: the GA protocol (native) and the beta protocol (`OpenAI-Beta: realtime=v1`).

The session core speaks GA only; a beta client is translated at the edge, both ways.
"""

from __future__ import annotations

from typing import Any, Protocol

_BETA_FORMATS = {"pcm16": {"type": "audio/pcm", "rate": 24000},
                 "g711_ulaw": {"type": "audio/pcmu"}, "g711_alaw": {"type": "audio/pcma"}}
_GA_FORMATS = {"audio/pcm": "pcm16", "audio/pcmu": "g711_ulaw", "audio/pcma": "g711_alaw"}
_BETA_PART = {"text": "output_text", "audio": "output_audio"}
_GA_PART = {v: k for k, v in _BETA_PART.items()}
_TYPE_TO_BETA = {
    "response.output_audio.delta": "response.audio.delta",
    "response.output_audio.done": "response.audio.done",
    "response.output_audio_transcript.delta": "response.audio_transcript.delta",
    "response.output_audio_transcript.done": "response.audio_transcript.done",
    "response.output_text.delta": "response.text.delta",
    "response.output_text.done": "response.text.done",
    "conversation.item.added": "conversation.item.created",
}
_BETA_DROPS = frozenset({"conversation.item.done"})
# The beta schema only admits these model names; any other name is left out of the session
# (the field is optional) so strict beta clients still validate it.
_BETA_MODELS = frozenset({
    "gpt-realtime", "gpt-realtime-2025-08-28", "gpt-4o-realtime-preview",
    "gpt-4o-realtime-preview-2024-10-01", "gpt-4o-realtime-preview-2024-12-17",
    "gpt-4o-realtime-preview-2025-06-03", "gpt-4o-mini-realtime-preview",
    "gpt-4o-mini-realtime-preview-2024-12-17",
})


class Dialect(Protocol):
    name: str

    def inbound(self, event: dict[str, Any]) -> dict[str, Any]: ...

    def outbound(self, event: dict[str, Any]) -> dict[str, Any] | None: ...


class GaDialect:
    name = "ga"

    def inbound(self, event: dict[str, Any]) -> dict[str, Any]:
        return event

    def outbound(self, event: dict[str, Any]) -> dict[str, Any] | None:
        return event


class BetaDialect:
    name = "beta"

    def inbound(self, event: dict[str, Any]) -> dict[str, Any]:
        kind = event.get("type")
        if kind == "session.update" and isinstance(event.get("session"), dict):
            return {**event, "session": session_from_beta(event["session"])}
        if kind == "response.create" and isinstance(event.get("response"), dict):
            response = dict(event["response"])
            if "modalities" in response:
                response["output_modalities"] = _modalities_from_beta(response.pop("modalities"))
            if "max_response_output_tokens" in response:
                response["max_output_tokens"] = response.pop("max_response_output_tokens")
            if "voice" in response:
                response["audio"] = {"output": {"voice": response.pop("voice")}}
            return {**event, "response": response}
        if kind == "conversation.item.create" and isinstance(event.get("item"), dict):
            return {**event, "item": _item(event["item"], _BETA_PART)}
        return event

    def outbound(self, event: dict[str, Any]) -> dict[str, Any] | None:
        kind = event["type"]
        if kind in _BETA_DROPS:
            return None
        out = dict(event)
        out["type"] = _TYPE_TO_BETA.get(kind, kind)
        if isinstance(out.get("session"), dict):
            out["session"] = session_to_beta(out["session"])
        if isinstance(out.get("item"), dict):
            out["item"] = _item(out["item"], _GA_PART)
        if isinstance(out.get("response"), dict):
            response = dict(out["response"])
            response["output"] = [_item(i, _GA_PART) for i in response.get("output", [])]
            if "output_modalities" in response:
                response["modalities"] = _modalities_to_beta(response.pop("output_modalities"))
            out["response"] = response
        return out


def _item(item: dict[str, Any], mapping: dict[str, str]) -> dict[str, Any]:
    content = item.get("content")
    if not isinstance(content, list):
        return item
    parts = [
        {**p, "type": mapping.get(p.get("type", ""), p.get("type"))} if isinstance(p, dict) else p
        for p in content
    ]
    return {**item, "content": parts}


def _modalities_from_beta(modalities: Any) -> Any:
    if isinstance(modalities, list):
        return ["audio"] if "audio" in modalities else ["text"]
    return modalities


def _modalities_to_beta(modalities: Any) -> Any:
    if isinstance(modalities, list) and "audio" in modalities:
        return ["text", "audio"]
    return modalities


def session_from_beta(beta: dict[str, Any]) -> dict[str, Any]:
    ga: dict[str, Any] = {}
    audio_in: dict[str, Any] = {}
    audio_out: dict[str, Any] = {}
    for key, value in beta.items():
        if key == "modalities":
            ga["output_modalities"] = _modalities_from_beta(value)
        elif key == "input_audio_format":
            audio_in["format"] = _BETA_FORMATS.get(value, {"type": value})
        elif key == "output_audio_format":
            audio_out["format"] = _BETA_FORMATS.get(value, {"type": value})
        elif key == "input_audio_transcription":
            audio_in["transcription"] = value
        elif key == "input_audio_noise_reduction":
            audio_in["noise_reduction"] = value
        elif key == "turn_detection":
            audio_in["turn_detection"] = value
        elif key in ("voice", "speed"):
            audio_out[key] = value
        elif key == "max_response_output_tokens":
            ga["max_output_tokens"] = value
        else:
            ga[key] = value
    if audio_in or audio_out:
        ga["audio"] = {**({"input": audio_in} if audio_in else {}),
                       **({"output": audio_out} if audio_out else {})}
    return ga


def session_to_beta(ga: dict[str, Any]) -> dict[str, Any]:
    audio = ga.get("audio", {})
    audio_in = audio.get("input", {})
    audio_out = audio.get("output", {})
    beta = {k: v for k, v in ga.items()
            if k not in ("audio", "output_modalities", "max_output_tokens", "type")}
    beta.update(
        modalities=_modalities_to_beta(ga.get("output_modalities", ["audio"])),
        input_audio_format=_GA_FORMATS.get(audio_in.get("format", {}).get("type"), "pcm16"),
        output_audio_format=_GA_FORMATS.get(audio_out.get("format", {}).get("type"), "pcm16"),
        input_audio_transcription=audio_in.get("transcription"),
        input_audio_noise_reduction=audio_in.get("noise_reduction"),
        turn_detection=audio_in.get("turn_detection"),
        voice=audio_out.get("voice"),
        speed=audio_out.get("speed"),
        max_response_output_tokens=ga.get("max_output_tokens"),
    )
    if beta.get("model") not in _BETA_MODELS:
        beta.pop("model", None)
    return beta
