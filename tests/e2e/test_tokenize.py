"""`inhouse tokenize` / `detokenize` on the real models, against llama.cpp's fixtures."""
import json
from pathlib import Path

import pytest

from conftest import run_inhouse

DATA = Path(__file__).resolve().parents[1] / "data" / "tokenizer"


def fixture(name):
    corpus = json.loads((DATA / "corpus.json").read_text(encoding="utf-8"))
    cases = json.loads((DATA / f"{name}.json").read_text())["cases"]
    return [(entry["text"], case) for entry, case in zip(corpus, cases) if "text" in entry]


@pytest.mark.parametrize("model", ["smollm2", "gemma3-270m"])
def test_tokenize_prints_llama_cpp_ids_as_json(default_store, model):
    for text, case in fixture(model)[:25]:
        if not text:
            continue
        result = run_inhouse("tokenize", "-m", model, "-p", text)
        assert json.loads(result.stdout) == case["plain"], text


def test_tokenize_reads_stdin_and_shows_pieces(default_store, tmp_path):
    import subprocess
    import os
    result = subprocess.run([os.environ["INHOUSE_BIN"], "tokenize", "-m", "smollm2", "--pieces",
                             "--no-bos"], input="Hello world", capture_output=True, text=True,
                            check=True)
    pieces = json.loads(result.stdout)
    assert [p["piece"] for p in pieces] == ["Hello", " world"]
    assert all(isinstance(p["id"], int) for p in pieces)


def test_special_tokens_are_matched_only_when_asked(default_store):
    text = "<|im_start|>user"
    plain = json.loads(run_inhouse("tokenize", "-m", "smollm2", "-p", text).stdout)
    special = json.loads(run_inhouse("tokenize", "-m", "smollm2", "--parse-special", "-p", text).stdout)
    assert special[0] == 1 and 1 not in plain  # <|im_start|> is id 1 in SmolLM2


@pytest.mark.parametrize("model", ["smollm2", "gemma3-270m"])
def test_detokenize_restores_the_text(default_store, model):
    text = "Privacy is the point: nothing leaves the machine. 你好 🦙"
    ids = run_inhouse("tokenize", "-m", model, "-p", text).stdout
    assert run_inhouse("detokenize", "-m", model, "-p", ids).stdout == text


def test_detokenize_refuses_ids_outside_the_vocabulary(default_store):
    result = run_inhouse("detokenize", "-m", "smollm2", "-p", "[1, 49152]", check=False)
    assert result.returncode == 1
    assert "token id 49152 (position 1) is outside the vocabulary of 49152 tokens" in result.stderr
    bad = run_inhouse("detokenize", "-m", "smollm2", "-p", "1 two", check=False)
    assert bad.returncode == 1 and "'two' is not a token id" in bad.stderr
