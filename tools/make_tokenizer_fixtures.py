#!/usr/bin/env python3
"""Tokenizes the corpus with llama.cpp (the oracle) and writes the expected ids and texts.

Usage (llama-cpp-python built into a cache outside the repo, never a dependency of inhouse):
  python3 -m venv ~/.cache/inhouse-oracle/venv
  ~/.cache/inhouse-oracle/venv/bin/pip install llama-cpp-python==0.3.36
  ~/.cache/inhouse-oracle/venv/bin/python tools/make_tokenizer_fixtures.py \
      MODEL.gguf tests/data/tokenizer/corpus.json > tests/data/tokenizer/NAME.json

For each corpus entry it records llama.cpp's ids in two modes — `plain` (add_special on,
parse_special off: how user text is tokenized) and `special` (add_special off, parse_special
on: how a rendered chat template is) — and llama_detokenize of the plain ids (hex).
"""
import ctypes
import hashlib
import json
import sys

import llama_cpp


def load_vocab(path):
    params = llama_cpp.llama_model_default_params()
    params.vocab_only = True
    model = llama_cpp.llama_model_load_from_file(path.encode(), params)
    if not model:
        sys.exit(f"cannot load {path}")
    return model, llama_cpp.llama_model_get_vocab(model)


def tokenize(vocab, data: bytes, add_special: bool, parse_special: bool):
    capacity = len(data) * 2 + 16
    tokens = (llama_cpp.llama_token * capacity)()
    n = llama_cpp.llama_tokenize(vocab, data, len(data), tokens, capacity, add_special, parse_special)
    if n < 0:
        sys.exit(f"token buffer too small for {data!r}")
    return list(tokens[:n])


def detokenize(vocab, ids):
    array = (llama_cpp.llama_token * max(1, len(ids)))(*ids)
    capacity = 64 + 64 * len(ids)
    buffer = ctypes.create_string_buffer(capacity)
    n = llama_cpp.llama_detokenize(vocab, array, len(ids), buffer, capacity, False, False)
    if n < 0:
        sys.exit("text buffer too small")
    return buffer.raw[:n]


def main():
    model_path, corpus_path = sys.argv[1], sys.argv[2]
    corpus = json.load(open(corpus_path, encoding="utf-8"))
    llama_cpp.llama_backend_init()
    _model, vocab = load_vocab(model_path)
    cases = []
    for entry in corpus:
        data = entry["text"].encode("utf-8") if "text" in entry else bytes.fromhex(entry["hex"])
        plain = tokenize(vocab, data, True, False)
        cases.append({
            "plain": plain,
            "special": tokenize(vocab, data, False, True),
            "decoded_hex": detokenize(vocab, plain).hex(),
        })
    with open(model_path, "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()
    print(json.dumps({"model_sha256": digest, "oracle": f"llama-cpp-python {llama_cpp.__version__}",
                      "corpus": corpus_path, "cases": cases}, separators=(",", ":")))


if __name__ == "__main__":
    main()
