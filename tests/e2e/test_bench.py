"""`inhouse bench`: prefill and decode speed, peak RSS and the roofline, on a real model and on a
synthetic one in a catalog shape (issue #5, points 1 and 2)."""
import json
import statistics

from conftest import run_inhouse


def bench_json(*args):
    return json.loads(run_inhouse("bench", *args, "--json").stdout)


def test_bench_reports_medians_of_its_runs_rss_and_the_roofline(default_store):
    result = bench_json("-m", "smollm2", "-p", "16", "-n", "8", "-r", "3", "-t", "2")
    assert result["model"] == "smollm2" and result["threads"] == 2
    assert result["n_prompt"] == 16 and result["n_generate"] == 8 and result["repetitions"] == 3
    for phase in ("prefill", "decode"):
        runs = result[f"{phase}_runs"]
        assert len(runs) == 3 and all(run > 0 for run in runs)
        assert result[f"{phase}_tokens_per_second"] == statistics.median(runs)
    # The weights alone are 96 MB; the process holds them once, not twice.
    assert 96e6 < result["peak_rss_bytes"] < 2 * 96e6 + 100e6
    assert result["weight_bytes_per_token"] == 96_436_836
    roofline = result["roofline"]
    assert roofline["read_bytes_per_second"] > 1e9 and roofline["int8_macs_per_second"] > 1e9
    # A token also reads the cached keys and values of its position and those before it: the
    # 8 decoded tokens read 1..8 positions of 23,040 bytes (f16), 103,680 on average.
    assert roofline["kv_cache_bytes_per_token"] == 4.5 * 23_040
    token_bytes = result["weight_bytes_per_token"] + roofline["kv_cache_bytes_per_token"]
    bound = roofline["read_bytes_per_second"] / token_bytes
    assert abs(roofline["decode_bound_tokens_per_second"] - bound) < 1e-6 * bound
    # Each of -r more decodes is judged against the reads measured just before and after it.
    runs = roofline["decode_runs"]
    assert len(runs) == 3
    for run in runs:
        assert run["tokens_per_second"] > 0 and run["read_bytes_per_second"] > 1e9
        expected = run["tokens_per_second"] * token_bytes / run["read_bytes_per_second"]
        assert abs(run["fraction_of_bound"] - expected) < 1e-9 * expected
    assert roofline["decode_fraction_of_bound"] == statistics.median(run["fraction_of_bound"] for run in runs)
    assert roofline["read_bytes_per_second"] == statistics.median(run["read_bytes_per_second"] for run in runs)


def test_bench_measures_a_synthetic_model_in_a_catalog_shape():
    result = bench_json("--synthetic", "smollm2-135m:Q8_0", "-p", "8", "-n", "4", "-r", "1", "--no-roofline")
    assert result["model"] == "smollm2-135m:Q8_0"
    # The real SmolLM2's shape: the same multiply-adds per token, Q8_0's 34 bytes per 32 weights.
    assert result["weight_macs_per_token"] == 134_479_872
    assert abs(result["weight_bytes_per_token"] / result["weight_macs_per_token"] - 34 / 32) < 0.01
    assert "roofline" not in result
    assert result["prefill_tokens_per_second"] > 0 and result["decode_tokens_per_second"] > 0


def test_bench_refuses_bad_flags_naming_them():
    result = run_inhouse("bench", "-m", "smollm2", "-p", "0", check=False)
    assert result.returncode != 0 and "--n-prompt" in result.stderr and "1797693" not in result.stderr
    result = run_inhouse("bench", "--synthetic", "llama-9000:Q4_0", check=False)
    assert result.returncode == 1 and "llama-9000" in result.stderr and "llama-2-7b" in result.stderr
    result = run_inhouse("bench", "--synthetic", "llama-2-7b:Q1_X", check=False)
    assert result.returncode == 1 and "Q1_X" in result.stderr
    # `plan` sizes a q8_0 cache; the engine does not store one yet, and says so.
    result = run_inhouse("bench", "-m", "smollm2", "--kv-type", "q8_0", check=False)
    assert result.returncode != 0 and "--kv-type" in result.stderr and "q8_0" in result.stderr


def test_bench_decodes_after_a_context_of_the_given_depth(default_store):
    shallow = bench_json("-m", "smollm2", "-p", "8", "-n", "4", "-r", "1", "--no-roofline")
    deep = bench_json("-m", "smollm2", "-p", "8", "-n", "4", "-r", "1", "-d", "4096", "--no-roofline")
    assert shallow["n_depth"] == 0 and deep["n_depth"] == 4096
    assert deep["prefill_tokens_per_second"] > 0 and deep["decode_tokens_per_second"] > 0
    # The cache holds the depth as well (committed when created): SmolLM2 keeps 30 layers ×
    # (192 + 192) halves per position, 23 040 bytes, so 4096 positions add 94 MB.
    assert deep["kv_cache_type"] == "f16"
    assert deep["peak_rss_bytes"] - shallow["peak_rss_bytes"] > 0.9 * 4096 * 23_040
    # As floats (--kv-type f32) twice that; all else equal, the two runs differ by one F16 cache.
    deep_f32 = bench_json("-m", "smollm2", "-p", "8", "-n", "4", "-r", "1", "-d", "4096", "--no-roofline",
                          "--kv-type", "f32")
    assert deep_f32["kv_cache_type"] == "f32"
    assert 0.9 * 4096 * 23_040 < deep_f32["peak_rss_bytes"] - deep["peak_rss_bytes"] < 1.1 * 4096 * 23_040
    # A depth past the training context (8192) is refused, not truncated.
    result = run_inhouse("bench", "-m", "smollm2", "-p", "8", "-n", "4", "-d", "8190", "--no-roofline", check=False)
    assert result.returncode != 0 and "8192" in result.stderr
