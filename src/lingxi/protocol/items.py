"""Conversation items as they travel on the wire (GA shape)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

PartType = Literal["input_text", "input_audio", "output_text", "output_audio"]
ItemStatus = Literal["completed", "incomplete", "in_progress"]
Role = Literal["user", "assistant", "system"]


class ContentPart(BaseModel):
    model_config = ConfigDict(extra="ignore")

    type: PartType
    text: str | None = None
    transcript: str | None = None
    audio: str | None = None


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
