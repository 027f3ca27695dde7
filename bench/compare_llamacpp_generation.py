#!/usr/bin/env python3
"""llama.cpp's prefill and decode speed on a GGUF file, for side-by-side figures with
`inhouse run` (same file, same thread count, same 128-token prompt of " word" and 64 decoded
tokens; median of 3 runs).

Usage: ~/.cache/inhouse-oracle/venv/bin/python bench/compare_llamacpp_generation.py MODEL.gguf THREADS
Issue #5 replaces this with `inhouse bench`, which measures both engines itself.
"""
import sys, time, statistics
from llama_cpp import Llama
path=sys.argv[1]; threads=int(sys.argv[2])
llm = Llama(model_path=path, n_ctx=1024, n_batch=512, n_threads=threads, n_threads_batch=threads, verbose=False)
prompt = llm.tokenize((" word" * 128).encode(), add_bos=True)[:128]
pp=[]; tg=[]
for rep in range(3):
    llm.reset(); t=time.perf_counter(); llm.eval(prompt); pp.append(len(prompt)/(time.perf_counter()-t))
    t=time.perf_counter()
    for i in range(64): llm.eval([1000+i])
    tg.append(64/(time.perf_counter()-t))
print(f"llama.cpp prefill {statistics.median(pp):.1f} tok/s, decode {statistics.median(tg):.1f} tok/s")
