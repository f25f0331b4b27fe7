"""Language models by URL: any OpenAI-compatible chat server (llama.cpp, Ollama, vLLM, cloud)."""

from lingxi.engines.llm.client import ChatClient, ChatConfig, UpstreamError
from lingxi.engines.llm.responder import LlmOptions, LlmResponder

__all__ = ["ChatClient", "ChatConfig", "LlmOptions", "LlmResponder", "UpstreamError"]
