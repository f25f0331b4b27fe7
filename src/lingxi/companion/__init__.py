"""The offline companion: what Lingxi says when no language model is configured."""

from lingxi.companion.engine import Companion, local_now
from lingxi.companion.responder import CompanionResponder

__all__ = ["Companion", "CompanionResponder", "local_now"]
