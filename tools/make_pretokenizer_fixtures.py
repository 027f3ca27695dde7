#!/usr/bin/env python3
"""Token ids of the corpus under each BPE pre-tokenizer, from llama.cpp, on one vocabulary.

Usage (oracle venv as in tools/make_tokenizer_fixtures.py, plus `pip install gguf==0.19.0`):
  ~/.cache/inhouse-oracle/venv/bin/python tools/make_pretokenizer_fixtures.py \
      > tests/data/tokenizer/pre_variants.json

The GPT-2 vocabulary (tests/data/vocab/ggml-vocab-gpt-2.gguf) is rewritten with
tokenizer.ggml.pre set to each variant, so the regular expressions (and llama3's whole-word
shortcut) are what differs. tests/tokenizer/pre_variants_test.cpp builds the same files.
"""
import json
import sys
import tempfile
from pathlib import Path

import gguf
import llama_cpp

ROOT = Path(__file__).resolve().parents[1]
VARIANTS = ["llama-bpe", "qwen2", "default", "smollm", "gpt-2"]


def write_variant(source: gguf.GGUFReader, pre: str, path: Path):
    writer = gguf.GGUFWriter(str(path), "gpt2")
    field = lambda name: source.fields[name].contents()
    for key in ["gpt2.block_count", "gpt2.context_length", "gpt2.embedding_length",
                "gpt2.feed_forward_length", "gpt2.attention.head_count"]:
        writer.add_uint32(key, field(key))
    writer.add_float32("gpt2.attention.layer_norm_epsilon", field("gpt2.attention.layer_norm_epsilon"))
    writer.add_string("tokenizer.ggml.model", "gpt2")
    writer.add_string("tokenizer.ggml.pre", pre)
    writer.add_array("tokenizer.ggml.tokens", field("tokenizer.ggml.tokens"))
    writer.add_array("tokenizer.ggml.token_type", field("tokenizer.ggml.token_type"))
    writer.add_array("tokenizer.ggml.merges", field("tokenizer.ggml.merges"))
    writer.add_uint32("tokenizer.ggml.bos_token_id", field("tokenizer.ggml.bos_token_id"))
    writer.add_uint32("tokenizer.ggml.eos_token_id", field("tokenizer.ggml.eos_token_id"))
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()


def tokenize(vocab, data: bytes):
    capacity = len(data) * 2 + 16
    tokens = (llama_cpp.llama_token * capacity)()
    n = llama_cpp.llama_tokenize(vocab, data, len(data), tokens, capacity, True, False)
    return list(tokens[:n])


def main():
    corpus = json.loads((ROOT / "tests/data/tokenizer/corpus.json").read_text(encoding="utf-8"))
    source = gguf.GGUFReader(str(ROOT / "tests/data/vocab/ggml-vocab-gpt-2.gguf"))
    llama_cpp.llama_backend_init()
    result = {}
    with tempfile.TemporaryDirectory() as tmp:
        for pre in VARIANTS:
            path = Path(tmp) / f"{pre}.gguf"
            write_variant(source, pre, path)
            params = llama_cpp.llama_model_default_params()
            params.vocab_only = True
            model = llama_cpp.llama_model_load_from_file(str(path).encode(), params)
            vocab = llama_cpp.llama_model_get_vocab(model)
            result[pre] = [tokenize(vocab, e["text"].encode() if "text" in e else bytes.fromhex(e["hex"]))
                           for e in corpus]
            llama_cpp.llama_model_free(model)
    json.dump({"oracle": f"llama-cpp-python {llama_cpp.__version__}", "variants": result}, sys.stdout,
              separators=(",", ":"))


if __name__ == "__main__":
    main()
