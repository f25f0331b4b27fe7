"""Conversation items as they travel on the wire (GA shape)."""

from __future__ import annotations

from typing import Annotated, Any, ClassVar, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    SerializerFunctionWrapHandler,
    Tag,
    model_serializer,
)

PartType = Literal["input_text", "input_audio", "input_image", "output_text", "output_audio"]
ItemStatus = Literal["completed", "incomplete", "in_progress"]
Role = Literal["user", "assistant", "system"]


class ContentPart(BaseModel):
    model_config = ConfigDict(extra="ignore")

    type: PartType
    text: str | None = None
    transcript: str | None = None
    audio: str | None = None
    image_url: str | None = None  # an input_image: a data: URL (or https:, passed on as is)
    detail: Literal["auto", "low", "high"] | None = None

    @model_serializer(mode="wrap")
    def _as_the_service_sends_it(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        """An audio part always carries `transcript` (null until known), a text part `text`,
        as the service sends them: strict clients (the agents SDK's zod schema) reject a
        part without them, even with nulls dropped elsewhere."""
        out: dict[str, Any] = handler(self)
        if self.type != "input_image":
            out.setdefault("transcript" if self.type.endswith("audio") else "text", None)
        return out

    def images(self) -> str | None:
        return self.image_url if self.type == "input_image" else None


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

    def images(self) -> tuple[str, ...]:
        """The images it shows (input_image parts' URLs)."""
        return tuple(url for p in self.content if (url := p.images()) is not None)


class _FunctionItem(BaseModel):
    """What a function call and its output share: no role, and no words to say or hear."""

    model_config = ConfigDict(extra="ignore")

    id: str | None = None
    object: Literal["realtime.item"] = "realtime.item"
    status: ItemStatus = "completed"
    role: ClassVar[None] = None

    def text(self) -> str:
        return ""


class FunctionCallItem(_FunctionItem):
    """The model calls one of the client's functions; the client runs it."""

    type: Literal["function_call"] = "function_call"
    call_id: str = ""
    name: str
    arguments: str = ""


class FunctionCallOutputItem(_FunctionItem):
    """What the client's function returned, for the model to go on from."""

    type: Literal["function_call_output"] = "function_call_output"
    call_id: str
    output: str


def _item_kind(value: Any) -> str:
    kind = value.get("type", "message") if isinstance(value, dict) else getattr(value, "type", "")
    return kind if isinstance(kind, str) else ""


# Any conversation item, told apart by `type` (a message when it is left out).
Item = Annotated[
    Annotated[MessageItem, Tag("message")]
    | Annotated[FunctionCallItem, Tag("function_call")]
    | Annotated[FunctionCallOutputItem, Tag("function_call_output")],
    Discriminator(_item_kind),
]
