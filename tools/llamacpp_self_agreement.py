#!/usr/bin/env python3
"""How well llama.cpp agrees with itself: the fidelity fixture's positions (prompt in one batch,
continuation decoded token by token) against llama.cpp teacher-forced in one batch of
prompt + continuation. The same metrics as tests/model/fidelity_test.cpp, so the figures show the
reference's own noise floor next to ours.

Usage: ~/.cache/inhouse-oracle/venv/bin/python tools/llamacpp_self_agreement.py MODEL.gguf \
           tests/data/model/NAME.fidelity.json BATCH THREADS
"""
import json, sys, numpy as np
from llama_cpp import Llama
path, fixture = sys.argv[1], sys.argv[2]
d = json.load(open(fixture))
llm = Llama(model_path=path, n_ctx=2048, n_batch=int(sys.argv[3]), n_ubatch=int(sys.argv[3]), n_threads=int(sys.argv[4]), logits_all=True, verbose=False, type_k=0, type_v=0, flash_attn=False)
kls=[]; same=0; n=0
for c in d['cases']:
    toks=c['tokens']; first=c['n_prompt_tokens']-1
    llm.reset(); llm.eval(toks[:-1])
    sc=np.array(llm.scores[:len(toks)-1], dtype=np.float64)
    for k,pos in enumerate(c['positions']):
        row=sc[first+k]; m=row.max(); lse=m+np.log(np.exp(row-m).sum())
        kl=0; rm=0; om=0
        for i,lp in pos['top']:
            ours=row[i]-lse; kl+=np.exp(lp)*(lp-ours); rm+=np.exp(lp); om+=np.exp(ours)
        rr=max(0,1-rm); orr=max(1e-12,1-om)
        if rr>1e-12: kl+=rr*np.log(rr/orr)
        kls.append(max(0,kl)); same+= int(row.argmax()==pos['top'][0][0]); n+=1
print(f"batch {sys.argv[3]} threads {sys.argv[4]}: top-1 {same/n*100:.2f}% mean KL {np.mean(kls):.5f} over {n}")
