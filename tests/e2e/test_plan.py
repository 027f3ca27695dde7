"""`inhouse plan`, and the same memory model guarding `run` and `serve` before they load."""
import json
from xml.etree import ElementTree

import pytest

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


def plan_json(*args):
    return json.loads(run_inhouse("plan", *args, "--json").stdout)


def test_plan_sizes_hardware_speed_and_cost_for_a_workload():
    plan = plan_json("-m", "llama-3.1-70b", "-q", "Q4_K_M", "-c", "8192", "--parallel", "8",
                     "--requests-per-second", "1", "--prompt-tokens", "1000", "--output-tokens", "300")
    assert plan["workload"]["monthly_input_tokens"] == pytest.approx(1000 * 86400 * 365.25 / 12)
    by_name = {entry["accelerator"]: entry for entry in plan["hardware"]}
    assert {"rtx-3090", "rtx-4090", "rtx-6000-ada", "l40s", "h100-sxm", "h200-sxm"} <= set(by_name)
    assert sum(entry["kind"] == "cpu" for entry in plan["hardware"]) >= 2
    h100 = by_name["h100-sxm"]
    # 40 GB of weights fit one 80 GB H100, not one 24 GB card.
    assert h100["fits"] and h100["devices_per_replica"] == 1
    assert by_name["rtx-4090"]["devices_per_replica"] >= 2
    # Decode is bounded by bandwidth over the bytes a token reads (weights alone: an upper bound).
    assert 0 < h100["decode_tokens_per_second_single_stream"] < 3350e9 / plan["memory"]["weights_bytes"]
    cost = h100["cost"]
    assert cost["monthly_usd"] == pytest.approx(cost["amortized_capex_usd"] + cost["power_usd"] + cost["hosting_usd"]
                                                + cost["staff_usd"])
    monthly_tokens = plan["workload"]["monthly_input_tokens"] + plan["workload"]["monthly_output_tokens"]
    assert cost["usd_per_million_tokens"] == pytest.approx(cost["monthly_usd"] / (monthly_tokens / 1e6))
    assert len(cost["break_even"]) == len(plan["apis"])
    for api in plan["apis"]:
        assert api["date"] and api["source"].startswith("http")
        expected = (plan["workload"]["monthly_input_tokens"] * api["input_usd_per_mtok"]
                    + plan["workload"]["monthly_output_tokens"] * api["output_usd_per_mtok"]) / 1e6
        assert api["monthly_usd"] == pytest.approx(expected)
    assert any("bandwidth" in line for line in plan["assumptions"])


def test_plan_draws_a_cost_chart(tmp_path):
    svg = tmp_path / "cost.svg"
    run_inhouse("plan", "-m", "llama-3.1-8b", "--requests-per-day", "50000", "--svg", str(svg))
    root = ElementTree.parse(svg).getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    namespace = {"svg": "http://www.w3.org/2000/svg"}
    assert len(root.findall(".//svg:polyline", namespace)) >= 1
    assert len(root.findall(".//svg:circle", namespace)) >= 1, "break-even points are marked"
    assert "your workload" in svg.read_text()


def test_user_files_override_hardware_and_prices(tmp_path):
    hardware = tmp_path / "hardware.json"
    hardware.write_text(json.dumps({"as_of": "2027-01", "accelerators": [
        {"name": "h100-sxm", "kind": "gpu", "memory_gib": 80, "memory_bandwidth_gbs": 3350, "fp16_tflops": 989,
         "int8_tops": 1979, "tdp_watts": 700, "max_per_server": 8, "price_usd": 1000}]}))
    prices = tmp_path / "prices.json"
    prices.write_text(json.dumps({"apis": [{"provider": "Acme", "model": "big", "input_usd_per_mtok": 7,
                                            "output_usd_per_mtok": 9, "date": "2027-01", "source": "https://acme"}]}))
    plan = plan_json("-m", "llama-3.1-8b", "--hardware", "h100-sxm", "--hardware-file", str(hardware),
                     "--prices-file", str(prices), "--years", "1")
    assert [entry["accelerator"] for entry in plan["hardware"]] == ["h100-sxm"]
    assert plan["hardware"][0]["cost"]["capex_usd"] < 1000 + 100_000  # the GPU at $1,000 plus its host
    assert any(api["provider"] == "Acme" and api["output_usd_per_mtok"] == 9 for api in plan["apis"])
    broken = tmp_path / "broken.json"
    broken.write_text('{"accelerators": [{"name": "x", "kind": "tpu"}]}')
    result = run_inhouse("plan", "-m", "llama-3.1-8b", "--hardware-file", str(broken), check=False)
    assert result.returncode == 1 and "broken.json" in result.stderr and "'kind'" in result.stderr
    result = run_inhouse("plan", "-m", "llama-3.1-8b", "--hardware", "abacus", check=False)
    assert result.returncode == 1 and "abacus" in result.stderr and "h100-sxm" in result.stderr


def test_plan_sizes_fine_tuning():
    plan = plan_json("-m", "llama-2-7b", "-q", "F16", "--finetune")
    methods = {row["method"]: row for row in plan["finetune"]}
    assert set(methods) == {"full", "LoRA", "QLoRA"}
    full = methods["full"]["checkpointed"]
    assert (full["weights_bytes"] + full["gradients_bytes"] + full["optimizer_bytes"]) == pytest.approx(16 * 6.738e9, rel=0.01)
    assert methods["QLoRA"]["checkpointed"]["per_device_bytes_on_one"] < methods["LoRA"]["checkpointed"]["per_device_bytes_on_one"]
    assert methods["LoRA"]["not_checkpointed"]["activations_bytes"] > methods["LoRA"]["checkpointed"]["activations_bytes"]
    qlora_fits = {fit["accelerator"]: fit["devices"] for fit in methods["QLoRA"]["devices_needed"]}
    assert qlora_fits["rtx-3090"] == 1


def test_recommend_proposes_the_cheapest_configurations_that_meet_the_constraints():
    plan = plan_json("--recommend", "--requests-per-day", "20000", "--users", "16", "--tier", "medium",
                     "--ttft", "1.5")
    recommendations = plan["recommendations"]
    assert recommendations
    costs = [r["monthly_usd"] for r in recommendations]
    assert costs == sorted(costs)
    assert all(r["reasons"] for r in recommendations)
    assert plan["recommendation_summary"]["models_below_minimum_size"] > 0
    budget = costs[0] - 1
    poorer = plan_json("--recommend", "--requests-per-day", "20000", "--users", "16", "--tier", "medium",
                       "--budget", str(budget))
    assert poorer["recommendations"] == [] and poorer["recommendation_summary"]["over_budget"] > 0
    table = run_inhouse("plan", "--recommend", "--requests-per-day", "20000", "--tier", "large").stdout
    assert "recommended" in table and "time to first token" in table


def test_the_memory_limit_also_sizes_the_automatic_context(default_store):
    prompt = "hello world " * 1200  # 2,401 tokens
    # Half of 200 MB holds 2170 positions of 46,080 bytes (an F32 cache): the context is 2048.
    capped = run_inhouse("run", "-m", "smollm2", "-p", prompt, "-n", "1", "--temp", "0", "--kv-type", "f32",
                         check=False, env_extra={"INHOUSE_MEMORY_LIMIT": "200M"})
    assert capped.returncode == 1 and "context of 2048 tokens" in capped.stderr, capped.stderr
    # Of the default F16 cache's 23,040 bytes, 4340: the default 4096, and the prompt fits.
    halves = run_inhouse("run", "-m", "smollm2", "-p", prompt, "-n", "1", "--temp", "0",
                         env_extra={"INHOUSE_MEMORY_LIMIT": "200M"})
    assert halves.returncode == 0
    uncapped = run_inhouse("run", "-m", "smollm2", "-p", prompt, "-n", "1", "--temp", "0")
    assert uncapped.returncode == 0


def test_the_efficiency_assumptions_are_flags_too():
    default = plan_json("-m", "llama-3.1-8b", "--hardware", "h100-sxm")
    halved = plan_json("-m", "llama-3.1-8b", "--hardware", "h100-sxm", "--gpu-bandwidth-share", "0.4")
    speed = lambda plan: plan["hardware"][0]["decode_tokens_per_second_single_stream"]
    assert speed(halved) == pytest.approx(speed(default) / 2, rel=1e-6)
    assert any("40%" in line for line in halved["assumptions"])
