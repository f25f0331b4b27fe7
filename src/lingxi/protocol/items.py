"""Conversation items as they travel on the wire (GA shape)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SerializerFunctionWrapHandler, model_serializer

PartType = Literal["input_text", "input_audio", "output_text", "output_audio"]
ItemStatus = Literal["completed", "incomplete", "in_progress"]
Role = Literal["user", "assistant", "system"]


class ContentPart(BaseModel):
    model_config = ConfigDict(extra="ignore")

    type: PartType
    text: str | None = None
    transcript: str | None = None
    audio: str | None = None

    @model_serializer(mode="wrap")
    def _as_the_service_sends_it(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        """An audio part always carries `transcript` (null until known), a text part `text`,
        as the service sends them: strict clients (the agents SDK's zod schema) reject a
        part without them, even with nulls dropped elsewhere."""
        out: dict[str, Any] = handler(self)
        out.setdefault("transcript" if self.type.endswith("audio") else "text", None)
        return out


class MessageItem(BaseModel):
    model_config = ConfigDict(extra="ignore")

    id: str | None = None
    object: Literal["realtime.item"] = "realtime.item"
    type: Literal["message"] = "message"
    status: ItemStatus = "completed"
    role: Role
    content: list[ContentPart] = Field(default_factory=list)

    def text(self) -> str:
        """What this item says, in words (typed text or audio transcript)."""
        return "".join(p.text or p.transcript or "" for p in self.content)
