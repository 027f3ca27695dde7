#!/usr/bin/env python3
"""Runs a real model in llama.cpp (the oracle) and writes reference logits and greedy text.

Usage (oracle venv as in tools/make_tokenizer_fixtures.py):
  ~/.cache/inhouse-oracle/venv/bin/python tools/make_logits_fixtures.py MODEL.gguf \
      > tests/data/model/NAME.logits.json

For each prompt: the prompt's token ids (as llama.cpp tokenizes it, with BOS if the vocabulary
adds one), then for every position the 10 largest logits (id, value) and the logits of 32 fixed
ids, and the 16 tokens greedy decoding continues with, each with its lead over the runner-up
(where the lead is small, a correct engine with other rounding may pick the runner-up).
One thread, so the run is repeatable.
"""
import hashlib
import json
import sys

import numpy as np
from llama_cpp import Llama

PROMPTS = [
    "The capital of France is",
    "<|im_start|>user\nWhat is 2+2?<|im_end|>\n<|im_start|>assistant\n",
    "def fibonacci(n):\n    if n < 2:\n        return n\n    return",
    "Les modèles de langage privés gardent les données de l'entreprise. 日本語も少し。",
]
# Longer than Gemma 3's 512-token sliding window, so its local layers must drop early tokens.
LONG_PROMPT = " ".join(f"Item {i}: the {['red', 'green', 'blue', 'gold'][i % 4]} box holds {i * 7 % 13} coins."
                       for i in range(60)) + " Which box holds the most coins? The"
N_TOP = 10
N_GREEDY = 16


def main():
    path = sys.argv[1]
    # F32 KV cache and no flash attention: the oracle computes attention in full precision.
    llm = Llama(model_path=path, n_ctx=1024, n_batch=1024, n_threads=1, logits_all=True, verbose=False,
                type_k=0, type_v=0, flash_attn=False)
    n_vocab = llm.n_vocab()
    fixed_ids = [int(i) for i in np.linspace(0, n_vocab - 1, 32).astype(int)]
    cases = []
    for prompt in PROMPTS + [LONG_PROMPT]:
        tokens = llm.tokenize(prompt.encode(), add_bos=True, special=True)
        llm.reset()
        llm.eval(tokens)
        scores = np.array(llm.scores[: len(tokens)], dtype=np.float32)
        positions = []
        for row in scores:
            top = np.argsort(-row, kind="stable")[:N_TOP]
            positions.append({"top": [[int(i), float(row[i])] for i in top],
                              "fixed": [float(row[i]) for i in fixed_ids]})
        greedy, margins = [], []
        for _ in range(N_GREEDY):
            row = np.array(llm.scores[llm.n_tokens - 1], dtype=np.float32)
            first, second = np.argsort(-row, kind="stable")[:2]
            greedy.append(int(first))
            margins.append(float(row[first] - row[second]))
            llm.eval([int(first)])
        cases.append({"prompt": prompt, "tokens": tokens, "positions": positions, "greedy": greedy,
                      "greedy_margins": margins})
    with open(path, "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()
    json.dump({"model_sha256": digest, "oracle": "llama-cpp-python 0.3.36 (llama.cpp, AVX-512 build without AMX), 1 thread, F32 KV",
               "fixed_ids": fixed_ids, "cases": cases}, sys.stdout, separators=(",", ":"))


if __name__ == "__main__":
    main()
