#!/usr/bin/env python3
"""Side-by-side greedy continuations (64 tokens) of llama.cpp and inhouse on the fidelity prompts.

Usage: INHOUSE_BIN=build/release/inhouse python3 tools/fidelity_report.py > docs/fidelity-report.md
llama.cpp's continuations come from the fixtures (tools/make_fidelity_fixtures.py); inhouse's from
`inhouse run --temp 0 -n 64` on the same prompt text.
"""
import json
import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = os.environ.get("INHOUSE_BIN", str(ROOT / "build/release/inhouse"))


def inhouse(*args, stdin=None):
    return subprocess.run([BIN, *args], input=stdin, capture_output=True, text=True, check=True).stdout


def quote(text: str) -> str:
    return "<pre>" + text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") + "</pre>"


def main():
    print("# Greedy continuations: llama.cpp and inhouse side by side\n")
    print("64 greedy tokens after each fidelity prompt (tests/data/model/*.fidelity.json). "
          "Regenerate with `tools/fidelity_report.py`. Long prompts are shown by their end. "
          "inhouse stops at an end-of-generation token; the fixture's llama.cpp continuation runs "
          "all 64 tokens (text after such a token is the model talking past its turn). Greedy "
          "paths part at the first near-tie (see BENCHMARKS.md for the per-position agreement).\n")
    for model in ["smollm2", "gemma3-270m"]:
        fixture = json.loads((ROOT / f"tests/data/model/{model}.fidelity.json").read_text())
        same = 0
        rows = []
        for case in fixture["cases"]:
            reference_ids = case["tokens"][case["n_prompt_tokens"]:]
            reference = inhouse("detokenize", "-m", model, "-p", json.dumps(reference_ids))
            ours = inhouse("run", "-m", model, "-p", case["prompt"], "-n", "64", "--temp", "0", "-c", "2048")
            ours = ours[:-1] if ours.endswith("\n") else ours
            same += ours == reference
            prompt = case["prompt"] if len(case["prompt"]) < 200 else "…" + case["prompt"][-160:]
            rows.append(f"| {case['kind']} | {quote(prompt)} | {quote(reference)} | {quote(ours)} |")
        print(f"## {model}: {same} of {len(rows)} continuations identical\n")
        print("| kind | prompt | llama.cpp | inhouse |\n|---|---|---|---|")
        print("\n".join(rows) + "\n")


if __name__ == "__main__":
    main()
