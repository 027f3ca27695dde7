"""`inhouse plan`, and the same memory model guarding `run` and `serve` before they load."""
import json

from conftest import run_inhouse


def test_plan_prints_a_breakdown_whose_parts_sum_to_the_total():
    result = run_inhouse("plan", "-m", "llama-3.1-70b", "-q", "Q4_K_M", "-c", "8192", "--parallel", "4", "--json")
    plan = json.loads(result.stdout)
    memory = plan["memory"]
    parts = ("weights_bytes", "kv_cache_bytes", "compute_buffer_bytes", "runtime_overhead_bytes")
    assert memory["total_bytes"] == sum(memory[part] for part in parts)
    # 80 layers × 8 KV heads × 256 dims × 2 bytes × 8192 tokens × 4 sequences
    assert memory["kv_cache_bytes"] == 80 * 8 * 256 * 2 * 8192 * 4
    assert 39e9 < memory["weights_bytes"] < 45e9
    assert plan["deployment"]["kv_cache_type"] == "f16"
    table = run_inhouse("plan", "-m", "llama-3.1-70b", "-q", "Q4_K_M", "-c", "8192", "--parallel", "4").stdout
    assert "KV cache" in table and "total" in table


def test_plan_reads_a_model_file_header(default_store):
    plan = json.loads(run_inhouse("plan", "-m", "smollm2", "--json").stdout)
    assert plan["model"]["parameters"] == 134_515_008
    assert plan["model"]["quantization"] == "as stored"


def test_plan_names_what_it_does_not_know():
    result = run_inhouse("plan", "-m", "llama-9000", check=False)
    assert result.returncode == 1 and "llama-9000" in result.stderr
    result = run_inhouse("plan", "-m", "llama-2-7b", "--kv-type", "int3", check=False)
    assert result.returncode == 1 and "int3" in result.stderr and "q8_0" in result.stderr
    result = run_inhouse("plan", "-m", "llama-2-7b", "-q", "Q1_X", check=False)
    assert result.returncode == 1 and "Q1_X" in result.stderr


def test_run_refuses_a_context_that_does_not_fit_and_gives_the_numbers(default_store):
    result = run_inhouse("run", "-m", "smollm2", "-c", "2048", "-p", "hi", "-n", "2", check=False,
                         env_extra={"INHOUSE_MEMORY_LIMIT": "100M"})
    assert result.returncode == 1
    for words in ("needs", "weights", "KV cache", "2048 tokens", "available", "INHOUSE_MEMORY_LIMIT"):
        assert words in result.stderr, result.stderr
    fits = run_inhouse("run", "-m", "smollm2", "-c", "2048", "-p", "hi", "-n", "2", "--temp", "0",
                       env_extra={"INHOUSE_MEMORY_LIMIT": "1G"})
    assert fits.returncode == 0


def test_serve_refuses_to_start_when_its_sequences_do_not_fit(default_store):
    result = run_inhouse("serve", "-m", "smollm2", "--port", "0", "--parallel", "16", "-c", "8192", check=False,
                         timeout=60, env_extra={"INHOUSE_MEMORY_LIMIT": "300M"})
    assert result.returncode == 1
    assert "16 sequence(s)" in result.stderr and "needs" in result.stderr


def test_a_bad_memory_limit_is_named(default_store):
    result = run_inhouse("run", "-m", "smollm2", "-p", "hi", "-n", "2", check=False,
                         env_extra={"INHOUSE_MEMORY_LIMIT": "lots"})
    assert result.returncode == 1 and "INHOUSE_MEMORY_LIMIT='lots'" in result.stderr
