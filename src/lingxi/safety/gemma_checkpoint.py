"""Reading the joined EmbeddingGemma-300M folder without torch: tensors, hyperparameters, vocab.

The folder is a sentence-transformers checkpoint (`gemma_join` makes it): the transformer in
`model.safetensors`, then mean pooling (`1_Pooling`) and two bias-free linear layers
(`2_Dense`, `3_Dense`, each `linear.weight`). This module says what llama.cpp's
`gemma-embedding` architecture calls each tensor and how each is stored, and reads the
SentencePiece vocabulary the way llama.cpp's own converter does, so the GGUF written from it
(`gemma_gguf`) matches one made with `convert_hf_to_gguf.py` byte for byte.

safetensors is parsed here with numpy: an 8-byte little-endian header length, a JSON header
naming each tensor's dtype, shape and byte range, then the raw little-endian data. Tensors are
read in row slices so the 800 MB token embedding never sits in memory whole as floats.
"""

from __future__ import annotations

import json
import math
import re
import struct
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

try:  # `as gguf`: re-exported, so gemma_gguf gets the same friendly error when it is missing
    import gguf as gguf
    import sentencepiece
except ModuleNotFoundError as exc:  # the converter is opt-in: say how to opt in
    raise ModuleNotFoundError(
        f"{exc.name} is missing: install the gemma extra (pip install -e '.[gemma]', or run "
        "scripts/prepare_embeddinggemma.sh)", name=exc.name) from exc

Floats = npt.NDArray[np.float32]

DENSE_MODULES = ("2_Dense", "3_Dense")
REQUIRED = ("config.json", "model.safetensors", "modules.json", "tokenizer.json",
            "tokenizer.model", "tokenizer_config.json", "1_Pooling/config.json",
            *(f"{m}/{f}" for m in DENSE_MODULES for f in ("config.json", "model.safetensors")))

# Hugging Face names inside one decoder layer -> llama.cpp's, for `layers.N.<key>.weight`.
_LAYER_NAMES = {
    "input_layernorm": "attn_norm",
    "self_attn.q_proj": "attn_q",
    "self_attn.k_proj": "attn_k",
    "self_attn.v_proj": "attn_v",
    "self_attn.o_proj": "attn_output",
    "self_attn.q_norm": "attn_q_norm",
    "self_attn.k_norm": "attn_k_norm",
    "post_attention_layernorm": "post_attention_norm",
    "pre_feedforward_layernorm": "ffn_norm",
    "post_feedforward_layernorm": "post_ffw_norm",
    "mlp.gate_proj": "ffn_gate",
    "mlp.up_proj": "ffn_up",
    "mlp.down_proj": "ffn_down",
}
_TOP_NAMES = {"embed_tokens.weight": "token_embd.weight", "norm.weight": "output_norm.weight"}
_LAYER = re.compile(r"layers\.(\d+)\.(.+)\.weight")
_ROW_CHUNK_BYTES = 32 << 20  # floats read per slice: bounds memory, not the result


class CheckpointError(RuntimeError):
    """The folder is missing, incomplete or not EmbeddingGemma; the message names the file."""


def gguf_name(hf_name: str) -> str:
    """llama.cpp's name for a tensor of the transformer (CheckpointError for one it lacks)."""
    if hf_name in _TOP_NAMES:
        return _TOP_NAMES[hf_name]
    found = _LAYER.fullmatch(hf_name)
    if found is None or found.group(2) not in _LAYER_NAMES:
        raise CheckpointError(f"unexpected tensor {hf_name!r}: not an EmbeddingGemma checkpoint")
    return f"blk.{found.group(1)}.{_LAYER_NAMES[found.group(2)]}.weight"


@dataclass(frozen=True, slots=True)
class StoredTensor:
    """One float32 tensor inside a safetensors file, read on demand."""

    file: Path
    name: str  # llama.cpp's
    shape: tuple[int, ...]  # as stored: (rows, columns) for a matrix
    offset: int  # of the first byte, from the start of the file
    shift: float  # Gemma's RMSNorm multiplies by (1 + w); llama.cpp by w, so w + 1 is stored

    @property
    def columns(self) -> int:
        return self.shape[-1]

    @property
    def rows(self) -> int:
        return math.prod(self.shape[:-1])

    def row_slices(self, rows: int | None = None) -> Iterator[Floats]:
        """The first `rows` rows (default all) as 2-D float32 slices, in order."""
        rows = self.rows if rows is None else rows
        step = max(1, _ROW_CHUNK_BYTES // (4 * self.columns))
        with self.file.open("rb") as f:
            for start in range(0, rows, step):
                count = min(step, rows - start)
                f.seek(self.offset + 4 * start * self.columns)
                data = np.fromfile(f, dtype="<f4", count=count * self.columns)
                if data.size != count * self.columns:
                    raise CheckpointError(f"{self.file} ends inside {self.name}")
                block = data.astype(np.float32, copy=False).reshape(count, self.columns)
                yield block + np.float32(self.shift) if self.shift else block


def read_safetensors(file: Path) -> dict[str, tuple[tuple[int, ...], int]]:
    """Each tensor's shape and absolute data offset, in the header's order (float32 only)."""
    size = file.stat().st_size
    with file.open("rb") as f:
        head = f.read(8)
        if len(head) < 8:
            raise CheckpointError(f"{file} is not a safetensors file (too short)")
        (length,) = struct.unpack("<Q", head)
        if length > min(size - 8, 100 << 20):
            raise CheckpointError(f"{file} is not a safetensors file (header of {length} bytes)")
        try:
            header: dict[str, Any] = json.loads(f.read(length))
        except ValueError as exc:
            raise CheckpointError(f"{file} has an unreadable safetensors header") from exc
    out: dict[str, tuple[tuple[int, ...], int]] = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        shape = tuple(int(n) for n in entry["shape"])
        begin, end = (int(n) for n in entry["data_offsets"])
        if entry["dtype"] != "F32":
            raise CheckpointError(f"{file}: {name} is {entry['dtype']}; only F32 is converted")
        if end - begin != 4 * math.prod(shape) or 8 + length + end > size:
            raise CheckpointError(f"{file} is truncated or damaged at {name} (re-join the folder)")
        out[name] = (shape, 8 + length + begin)
    return out


def check_folder(src: Path) -> None:
    """CheckpointError naming every file the converter needs that is not in `src`."""
    if not src.is_dir():
        raise CheckpointError(f"no EmbeddingGemma folder at {src}")
    missing = [name for name in REQUIRED if not (src / name).is_file()]
    if missing:
        raise CheckpointError(f"{src} is incomplete: {', '.join(missing)} missing "
                              "(join it again: scripts/prepare_embeddinggemma.sh)")


def read_json(file: Path) -> Any:
    try:
        return json.loads(file.read_text("utf-8"))
    except (OSError, ValueError) as exc:
        raise CheckpointError(f"cannot read {file}: {exc}") from exc


def tensors(src: Path) -> list[StoredTensor]:
    """Every tensor the GGUF holds, in llama.cpp's converter's order: the two Dense layers
    first, then the transformer's in its file's order."""
    out: list[StoredTensor] = []
    for module in DENSE_MODULES:
        file = src / module / "model.safetensors"
        stored = read_safetensors(file)
        if set(stored) != {"linear.weight"}:
            raise CheckpointError(f"{file} holds {sorted(stored)}, expected linear.weight only")
        shape, offset = stored["linear.weight"]
        name = "dense_2.weight" if module == "2_Dense" else "dense_3.weight"
        out.append(StoredTensor(file, name, shape, offset, 0.0))
    file = src / "model.safetensors"
    for hf_name, (shape, offset) in read_safetensors(file).items():
        shift = 1.0 if hf_name.endswith("norm.weight") else 0.0
        out.append(StoredTensor(file, gguf_name(hf_name), shape, offset, shift))
    return out


@dataclass(frozen=True, slots=True)
class Vocab:
    tokens: list[bytes]
    scores: list[float]
    types: list[int]  # gguf.TokenType values


def _looks_special(text: str) -> bool:
    """Added tokens Gemma's config leaves unmarked that llama.cpp treats as control anyway."""
    return (text in ("<pad>", "<mask>", "<2mass>", "[@BOS@]")
            or (text.startswith("<|") and text.endswith("|>"))
            or (text.startswith("<unused") and text.endswith(">")))


def read_vocab(src: Path, size: int) -> Vocab:
    """The SentencePiece vocabulary padded or cut to `size` ids, then the added tokens of
    `added_tokens.json` and `tokenizer_config.json` laid over it (ids past `size` dropped,
    like the multimodal `<image_soft_token>` 262144)."""
    processor = sentencepiece.SentencePieceProcessor()
    processor.LoadFromFile(str(src / "tokenizer.model"))
    tokens = [f"[PAD{i}]".encode() for i in range(size)]
    scores = [-10000.0] * size
    types = [int(gguf.TokenType.UNUSED)] * size
    for i in range(min(size, processor.GetPieceSize())):
        tokens[i] = processor.IdToPiece(i).encode()
        scores[i] = processor.GetScore(i)
        if processor.IsUnknown(i):
            types[i] = gguf.TokenType.UNKNOWN
        elif processor.IsControl(i):
            types[i] = gguf.TokenType.CONTROL
        elif processor.IsUnused(i):
            types[i] = gguf.TokenType.UNUSED
        elif processor.IsByte(i):
            types[i] = gguf.TokenType.BYTE
        else:  # SentencePiece's user-defined pieces too: they tokenise like normal ones
            types[i] = gguf.TokenType.NORMAL
    def lay(i: int, text: str, kind: int) -> None:
        if i < size:
            tokens[i], scores[i], types[i] = text.encode(), -1000.0, kind

    if (src / "added_tokens.json").is_file():
        for text, i in read_json(src / "added_tokens.json").items():
            lay(int(i), text, gguf.TokenType.USER_DEFINED)
    decoder = read_json(src / "tokenizer_config.json").get("added_tokens_decoder", {})
    for i, entry in decoder.items():
        text = entry["content"]
        if entry.get("special") or _looks_special(text):
            lay(int(i), text, gguf.TokenType.CONTROL)
        else:  # SentencePiece's "▁" in a user-defined token is the space it stands for
            lay(int(i), text.replace("\u2581", " "), gguf.TokenType.USER_DEFINED)
    return Vocab(tokens, scores, [int(t) for t in types])
