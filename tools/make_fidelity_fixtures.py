#!/usr/bin/env python3
"""Teacher-forced log-probabilities from llama.cpp for the fidelity test (issue #4, point 6).

Usage (oracle venv as in tools/make_tokenizer_fixtures.py):
  ~/.cache/inhouse-oracle/venv/bin/python tools/make_fidelity_fixtures.py MODEL.gguf CHAT_FORMAT \
      > tests/data/model/NAME.fidelity.json
CHAT_FORMAT is chatml (SmolLM2) or gemma (Gemma 3's turn markers).

For each of 20 prompts (raw text and chat-formatted, short and about 1,000 tokens), llama.cpp
continues greedily for 64 tokens; the fixture holds prompt + continuation as token ids and, at
each of the 64 positions that predict a continuation token, the 40 most likely tokens with their
log-probabilities and the log-sum-exp of all logits. F32 KV cache, no flash attention, 1 thread.
"""
import json
import sys

import numpy as np
from llama_cpp import Llama

N_POSITIONS = 64
N_TOP = 40

RAW = [
    "The history of the printing press begins in",
    "def merge_sort(values):\n    \"\"\"Sort a list.\"\"\"\n    if len(values) <= 1:\n",
    "Photosynthesis is the process by which",
    "1, 1, 2, 3, 5, 8, 13, 21,",
    "Les entreprises qui gardent leurs données chez elles",
    "SELECT customer_id, SUM(amount) FROM orders",
    "Once upon a time, in a village at the edge of a forest,",
    "The three laws of thermodynamics state that",
    "東京は日本の首都であり、",
    "To configure a reverse proxy with nginx, first",
]
CHAT = [
    "What is the capital of Australia?",
    "Explain what a hash table is in two sentences.",
    "Write a haiku about the sea.",
    "How do I reverse a string in Python?",
    "Give me three tips for a job interview.",
    "What is 17 times 23?",
    "Translate 'good morning' into Spanish and German.",
    "Why is the sky blue?",
]
LONG_UNIT = ("In the quarterly report, the operations team described how the new scheduling system "
             "reduced waiting times at the main warehouse, while noting that staffing remained tight "
             "during the holiday season and that two suppliers had delayed their shipments. ")


def chat(prompt: str, chat_format: str) -> str:
    if chat_format == "chatml":
        return f"<|im_start|>user\n{prompt}<|im_end|>\n<|im_start|>assistant\n"
    return f"<start_of_turn>user\n{prompt}<end_of_turn>\n<start_of_turn>model\n"


def prompts(chat_format: str):
    long_raw = LONG_UNIT * 24 + "Summarizing the report in one sentence:"
    long_chat = chat(LONG_UNIT * 23 + "Summarize this report.", chat_format)
    return ([("raw", p) for p in RAW] + [("chat", chat(p, chat_format)) for p in CHAT] +
            [("raw-long", long_raw), ("chat-long", long_chat)])


def log_softmax_parts(row: np.ndarray):
    top = np.argsort(-row, kind="stable")[:N_TOP]
    m = float(row.max())
    lse = m + float(np.log(np.exp(row.astype(np.float64) - m).sum()))
    return [[int(i), float(row[i]) - lse] for i in top], lse


def main():
    path, chat_format = sys.argv[1], sys.argv[2]
    llm = Llama(model_path=path, n_ctx=2048, n_batch=2048, n_threads=2, logits_all=True, verbose=False,
                type_k=0, type_v=0, flash_attn=False)
    cases = []
    for kind, text in prompts(chat_format):
        prompt = llm.tokenize(text.encode(), add_bos=True, special=True)
        llm.reset()
        llm.eval(prompt)
        continuation = []
        for _ in range(N_POSITIONS):
            next_id = int(np.argmax(llm.scores[llm.n_tokens - 1]))
            continuation.append(next_id)
            llm.eval([next_id])
        scores = np.array(llm.scores[: llm.n_tokens], dtype=np.float32)
        positions = []
        for pos in range(len(prompt) - 1, len(prompt) - 1 + N_POSITIONS):
            top, lse = log_softmax_parts(scores[pos])
            positions.append({"top": top, "log_sum_exp": lse})
        cases.append({"kind": kind, "prompt": text, "n_prompt_tokens": len(prompt),
                      "tokens": prompt + continuation, "positions": positions})
    json.dump({"oracle": "llama-cpp-python 0.3.36 (AVX-512, no AMX), F32 KV, no flash attention",
               "cases": cases}, sys.stdout, separators=(",", ":"))


if __name__ == "__main__":
    main()
