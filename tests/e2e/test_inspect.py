"""`inhouse inspect` on the two real models, by store name and by path."""
import json

from conftest import run_inhouse


def inspect_json(reference, *extra):
    return json.loads(run_inhouse("inspect", reference, "--json", *extra).stdout)


def test_smollm2_hyperparameters_match_the_file(default_store):
    info = inspect_json("smollm2")
    assert info["architecture"] == "llama"
    assert info["quantization"] == "Q4_1"
    hparams = info["hyperparameters"]
    assert hparams["llama.block_count"] == 30
    assert hparams["llama.embedding_length"] == 576
    assert hparams["llama.feed_forward_length"] == 1536
    assert hparams["llama.attention.head_count"] == 9
    assert hparams["llama.attention.head_count_kv"] == 3
    assert hparams["llama.context_length"] == 8192
    assert info["tokenizer"] == {"model": "gpt2", "pre": "smollm", "vocab_size": 49152}
    assert info["has_chat_template"] is True
    assert info["n_parameters"] == 134515008
    assert info["file_size_bytes"] == 98362432


def test_gemma3_hyperparameters_match_the_file(default_store):
    info = inspect_json("gemma3-270m")
    assert info["architecture"] == "gemma3"
    assert info["quantization"] == "Q4_K_M"
    hparams = info["hyperparameters"]
    assert hparams["gemma3.block_count"] == 18
    assert hparams["gemma3.embedding_length"] == 640
    assert hparams["gemma3.feed_forward_length"] == 2048
    assert hparams["gemma3.attention.head_count"] == 4
    assert hparams["gemma3.attention.head_count_kv"] == 1
    assert hparams["gemma3.attention.sliding_window"] == 512
    assert info["tokenizer"]["model"] == "llama"
    assert info["tokenizer"]["vocab_size"] == 262144
    assert set(info["type_mix"]) == {"F32", "Q4_K", "Q5_0", "Q6_K", "Q8_0"}


def test_a_path_works_where_a_name_does(default_store):
    by_path = inspect_json(default_store["smollm2"]["path"])
    by_name = inspect_json("smollm2")
    assert by_path["hyperparameters"] == by_name["hyperparameters"]


def test_tensors_lists_every_tensor_with_shape_outermost_first(default_store):
    info = inspect_json("smollm2", "--tensors")
    assert len(info["tensors"]) == info["n_tensors"] == 272
    embedding = next(t for t in info["tensors"] if t["name"] == "token_embd.weight")
    assert embedding["shape"] == [49152, 576]
    assert embedding["type"] == "Q8_0"
    assert sum(t["size_bytes"] for t in info["tensors"]) == info["tensor_bytes"]


def test_text_output_names_the_essentials(default_store):
    text = run_inhouse("inspect", "smollm2", "--tensors").stdout
    for expected in ("architecture    llama", "layers          30", "heads           9 (KV heads 3)",
                     "chat template   yes", "blk.0.attn_q.weight"):
        assert expected in text


def test_a_file_that_is_not_gguf_is_refused_clearly(tmp_path):
    bogus = tmp_path / "notes.gguf"
    bogus.write_bytes(b"hello, this is not a model")
    result = run_inhouse("inspect", bogus, check=False)
    assert result.returncode == 1
    assert "not a GGUF file" in result.stderr and "magic" in result.stderr


def test_an_unknown_name_suggests_what_to_do(empty_home):
    result = run_inhouse("inspect", "smollm2", home=empty_home, check=False)
    assert result.returncode == 1
    assert "inhouse pull smollm2" in result.stderr
