"""The machine-readable mark that Lingxi's audio and text are AI-generated (EU AI Act Art.
50(2); China's labelling measures for synthetic content), on every session and response.

It names the IPTC digital source type that C2PA manifests and image metadata use for media
made by a trained model, so a receiver can tell synthetic audio apart without a Lingxi
vocabulary. It is an extra field, which stock OpenAI Realtime clients ignore.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel

TRAINED_ALGORITHMIC_MEDIA = \
    "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia"


class Provenance(BaseModel):
    ai_generated: Literal[True] = True
    generator: str = "Lingxi"
    digital_source_type: str = TRAINED_ALGORITHMIC_MEDIA
