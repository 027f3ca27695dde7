// The planner's hardware, speed, cost, fine-tuning and recommendation models: each formula
// checked on a made-up accelerator where the answer is known by hand, the bundled catalogs
// checked for what the issue asks of them (dated, sourced), and the rules practitioners quote
// for fine-tuning reproduced.
#include <gtest/gtest.h>

#include <cmath>
#include <set>

#include "catalog/model_catalog.h"
#include "catalog/quant_recipe.h"
#include "plan/api_prices.h"
#include "plan/cost_chart.h"
#include "plan/cost_model.h"
#include "plan/finetune_memory.h"
#include "plan/hardware_catalog.h"
#include "plan/recommend.h"
#include "plan/serving_estimate.h"
#include "plan/workload.h"

namespace inhouse::plan {
namespace {

constexpr double kGiB = 1024.0 * 1024.0 * 1024.0;

ModelSpec catalog_spec(std::string_view shape, std::string_view quant) {
    return spec_from_catalog(**catalog::find_model_shape(shape), *catalog::find_quant_recipe(quant));
}

// 100 GB/s, 100 TFLOPS, 80 GiB, $10,000, 500 W, 8 per server on a 100 GB/s link.
Accelerator test_gpu() {
    return {.name = "test-gpu", .display = "Test GPU", .kind = AcceleratorKind::Gpu, .memory_gib = 80,
            .memory_bandwidth_gbs = 100, .fp16_tflops = 100, .int8_tops = 200, .tdp_watts = 500,
            .interconnect = "test link", .interconnect_gbs = 100, .max_per_server = 8, .price_usd = 10'000,
            .price_note = {}, .price_source = {}, .price_date = {}, .spec_source = {}};
}

TEST(HardwareCatalog, BundledEntriesHaveTheFiguresAndAreDatedAndSourced) {
    const HardwareCatalog& catalog = bundled_hardware_catalog();
    EXPECT_FALSE(catalog.as_of.empty());
    int cpus = 0;
    std::set<std::string> names;
    for (const auto& a : catalog.accelerators) {
        EXPECT_TRUE(names.insert(a.name).second) << "duplicate " << a.name;
        EXPECT_FALSE(a.price_source.empty()) << a.name;
        EXPECT_FALSE(a.price_date.empty()) << a.name;
        EXPECT_FALSE(a.spec_source.empty()) << a.name;
        EXPECT_GT(a.memory_bandwidth_gbs, 50) << a.name;
        cpus += a.kind == AcceleratorKind::Cpu;
    }
    EXPECT_GE(cpus, 2);
    EXPECT_GE(catalog.accelerators.size(), 10u);
    ASSERT_FALSE(catalog.hosts.empty());
    for (const auto& host : catalog.hosts) EXPECT_FALSE(host.source.empty()) << host.name;
}

TEST(HardwareCatalog, AUserFileReplacesAndAddsEntriesAndABadOneIsNamed) {
    const auto bundled = bundled_hardware_catalog();
    const std::string name = bundled.accelerators.front().name;
    const std::string user = R"({"as_of": "2027-01", "accelerators": [
        {"name": ")" + name + R"(", "kind": "gpu", "memory_gib": 24, "memory_bandwidth_gbs": 1000, "fp16_tflops": 100,
         "int8_tops": 200, "tdp_watts": 300, "price_usd": 1, "max_per_server": 4},
        {"name": "my-box", "kind": "cpu", "memory_gib": 256, "memory_bandwidth_gbs": 300, "fp16_tflops": 5,
         "int8_tops": 20, "tdp_watts": 400, "price_usd": 9000}]})";
    const auto parsed = parse_hardware_catalog(user, "mine.json");
    ASSERT_TRUE(parsed.ok()) << parsed.error().to_string();
    EXPECT_EQ(parsed->accelerators.size(), 2u);
    const auto bad = parse_hardware_catalog(R"({"accelerators": [{"name": "x", "kind": "gpu", "memory_gib": -1}]})",
                                            "mine.json");
    ASSERT_FALSE(bad.ok());
    EXPECT_NE(bad.error().to_string().find("mine.json: accelerator 'x': 'memory_gib'"), std::string::npos)
        << bad.error().to_string();
    EXPECT_FALSE(parse_hardware_catalog("not json", "mine.json").ok());
}

TEST(ApiPrices, BundledEntriesAreDatedAndSourcedAndAFileOverridesThem) {
    const ApiPriceCatalog& prices = bundled_api_prices();
    EXPECT_GE(prices.apis.size(), 12u);
    std::set<std::string> providers;
    for (const auto& api : prices.apis) {
        providers.insert(api.provider);
        EXPECT_FALSE(api.date.empty()) << api.label();
        EXPECT_TRUE(api.source.starts_with("http")) << api.label();
        EXPECT_GT(api.output_usd_per_mtok, 0) << api.label();
    }
    for (const char* provider : {"OpenAI", "Anthropic", "Google"}) EXPECT_TRUE(providers.count(provider)) << provider;
    const auto& first = prices.apis.front();
    const auto user = parse_api_prices(R"({"apis": [{"provider": ")" + first.provider + R"(", "model": ")" +
                                           first.model + R"(", "input_usd_per_mtok": 1, "output_usd_per_mtok": 2}]})",
                                       "p.json");
    ASSERT_TRUE(user.ok());
    EXPECT_DOUBLE_EQ(user->apis[0].cost_usd(2e6, 1e6), 4.0);
    const auto bad = parse_api_prices(R"({"apis": [{"provider": "A", "model": "b", "input_usd_per_mtok": "cheap"}]})", "p.json");
    ASSERT_FALSE(bad.ok());
    EXPECT_NE(bad.error().to_string().find("input_usd_per_mtok"), std::string::npos);
}

TEST(Workload, VolumesConvertAndConflictsAreRefused) {
    Workload shape;
    shape.prompt_tokens = 750;
    shape.output_tokens = 250;
    const auto per_month = make_workload({.tokens_per_month = 1e9}, shape);
    ASSERT_TRUE(per_month.ok());
    EXPECT_NEAR(per_month->monthly_tokens(), 1e9, 1);
    EXPECT_NEAR(per_month->monthly_input_tokens(), 0.75e9, 1);
    const auto per_second = make_workload({.requests_per_second = 2}, shape);
    EXPECT_DOUBLE_EQ(per_second->requests_per_day, 172'800);
    EXPECT_DOUBLE_EQ(per_second->peak_requests_per_second(), 6);
    EXPECT_FALSE(make_workload({.requests_per_day = 5, .tokens_per_month = 5}, shape).ok());
    EXPECT_FALSE(make_workload({.requests_per_day = std::nan("")}, shape).ok());
}

// One stream: a decode step reads every weight and the KV cache of its context once.
TEST(ServingEstimate, DecodeIsBandwidthOverBytesReadPerToken) {
    const ModelSpec spec = catalog_spec("llama-2-7b", "Q4_0");
    const Deployment deployment{.n_ctx = 4096, .n_parallel = 1, .kv_type = KvCacheType::F16};
    Workload workload;
    workload.prompt_tokens = 1000;
    workload.output_tokens = 200;  // decoding at 1,100 positions on average
    const EfficiencyAssumptions efficiency;
    const ServingEstimate s = estimate_serving(spec, deployment, test_gpu(), 1, workload, efficiency);
    const double kv = 32.0 * 32 * 256 * 2 * 1100;
    const double expected = 100e9 * efficiency.gpu_bandwidth / (static_cast<double>(spec.weight_bytes()) + kv);
    EXPECT_NEAR(s.decode_single_stream, expected, expected * 1e-9);
    EXPECT_TRUE(s.fits);
    // Prefill is compute bound: 2 × parameters (+ attention) per token at half the peak.
    EXPECT_LT(s.prefill_tokens_per_second, 50e12 / (2.0 * static_cast<double>(spec.parameter_count())));
    EXPECT_GT(s.prefill_tokens_per_second, 0.8 * 50e12 / (2.0 * static_cast<double>(spec.parameter_count())));
    // Sixteen streams share each weight read: with grouped-query attention's small KV cache,
    // far more in all, a little less each; Llama 2's full-size KV heads eat most of the gain.
    Deployment sixteen = deployment;
    sixteen.n_parallel = 16;
    const ModelSpec gqa = catalog_spec("llama-3.1-8b", "Q4_0");
    const ServingEstimate gqa_one = estimate_serving(gqa, deployment, test_gpu(), 1, workload, efficiency);
    const ServingEstimate gqa_sixteen = estimate_serving(gqa, sixteen, test_gpu(), 1, workload, efficiency);
    EXPECT_GT(gqa_sixteen.decode_total, 8 * gqa_one.decode_single_stream);
    EXPECT_LT(gqa_sixteen.decode_per_stream, gqa_one.decode_single_stream);
    const ServingEstimate mha_sixteen = estimate_serving(spec, sixteen, test_gpu(), 1, workload, efficiency);
    EXPECT_LT(mha_sixteen.decode_total, 8 * s.decode_single_stream);
}

// 70B at F16 (138 GB) fits no single 80 GiB device; tensor parallelism splits it.
TEST(ServingEstimate, TensorParallelismSplitsWeightsAndKvHeads) {
    const ModelSpec spec = catalog_spec("llama-2-70b", "F16");
    const Deployment deployment{.n_ctx = 4096, .n_parallel = 4, .kv_type = KvCacheType::F16};
    HardwareCatalog catalog;
    catalog.accelerators = {test_gpu()};
    const auto estimates = estimate_on_catalog(spec, deployment, catalog, Workload{});
    ASSERT_EQ(estimates.size(), 1u);
    EXPECT_TRUE(estimates[0].fits);
    EXPECT_EQ(estimates[0].devices, 2);
    const ServingEstimate one = estimate_serving(spec, deployment, catalog.accelerators[0], 1, Workload{});
    EXPECT_FALSE(one.fits);
    const ServingEstimate eight = estimate_serving(spec, deployment, catalog.accelerators[0], 8, Workload{});
    const double weights = static_cast<double>(spec.weight_bytes());
    const double kv = static_cast<double>(kv_cache_bytes(spec, deployment));
    // Eight KV heads over eight devices: each holds one head's share of the cache.
    EXPECT_NEAR(one.bytes_per_device - eight.bytes_per_device, weights * 7 / 8 + kv * 7 / 8, 1e6);
    EXPECT_GT(eight.decode_single_stream, 3 * one.decode_single_stream);
}

// Mixtral reads two of eight experts for one token, nearly all of them for a batch of 16.
TEST(ServingEstimate, MixtureOfExpertsReadsOnlyTheRoutedExperts) {
    const ModelSpec mixtral = catalog_spec("mixtral-8x7b", "Q4_K_M");
    const ModelSpec llama70 = catalog_spec("llama-2-70b", "Q4_K_M");
    const Deployment deployment{.n_ctx = 2048, .n_parallel = 1, .kv_type = KvCacheType::F16};
    Accelerator big = test_gpu();
    big.memory_gib = 1000;
    const double mixtral_speed = estimate_serving(mixtral, deployment, big, 1, Workload{}).decode_single_stream;
    const double llama_speed = estimate_serving(llama70, deployment, big, 1, Workload{}).decode_single_stream;
    EXPECT_GT(mixtral_speed, 2.5 * llama_speed) << "13B active of 47B against 69B dense";
    Deployment sixteen = deployment;
    sixteen.n_parallel = 16;
    EXPECT_LT(estimate_serving(mixtral, sixteen, big, 1, Workload{}).decode_per_stream, 0.5 * mixtral_speed);
}

TEST(ServingEstimate, AWorkloadSetsReplicasUtilizationAndTargets) {
    const ModelSpec spec = catalog_spec("llama-3.1-8b", "Q4_K_M");
    const Deployment deployment{.n_ctx = 4096, .n_parallel = 8, .kv_type = KvCacheType::F16};
    Workload workload = *make_workload({.requests_per_second = 5}, Workload{});
    const ServingEstimate s = estimate_serving(spec, deployment, test_gpu(), 1, workload);
    EXPECT_EQ(s.replicas, static_cast<int>(std::ceil(15 / s.replica_requests_per_second)));
    EXPECT_NEAR(s.utilization, 5 / (s.replica_requests_per_second * s.replicas), 1e-12);
    workload.ttft_target_seconds = s.ttft_seconds / 2;
    EXPECT_FALSE(estimate_serving(spec, deployment, test_gpu(), 1, workload).meets_ttft);
}

MonthlyCost test_cost(double utilization_rps) {
    const ModelSpec spec = catalog_spec("llama-3.1-8b", "Q4_K_M");
    HardwareCatalog catalog;
    catalog.accelerators = {test_gpu()};
    catalog.hosts = {{.name = "box", .max_gpus = 8, .price_usd = 8'000, .idle_watts = 200, .source = "test", .date = "now"}};
    const Workload workload = *make_workload({.requests_per_second = utilization_rps}, Workload{});
    const ServingEstimate s = estimate_serving(spec, Deployment{}, catalog.accelerators[0], 1, workload);
    return monthly_cost(s, catalog, workload, CostAssumptions{});
}

// $18,000 over 36 months, 150 hosting, 0.1 × 150,000 / 12 staff, and power at idle:
// (500 × 0.3 + 200) W × 1.4 × 730.5 h × $0.15/kWh.
TEST(CostModel, MonthlyCostIsAmortizationPowerHostingAndStaff) {
    const MonthlyCost cost = test_cost(1e-9);
    EXPECT_DOUBLE_EQ(cost.capex_usd, 18'000);
    EXPECT_NEAR(cost.amortized_capex, 500, 1e-9);
    EXPECT_NEAR(cost.hosting, 150, 1e-9);
    EXPECT_NEAR(cost.staff, 1250, 1e-9);
    EXPECT_NEAR(cost.power, 350.0 / 1000 * 1.4 * kHoursPerMonth * 0.15, 0.01);
    EXPECT_NEAR(self_hosted_cost_at(cost, 0), cost.fixed_per_replica + cost.staff, 1e-9);
    EXPECT_GT(test_cost(0.5).power, cost.power);
}

// The break-even volume agrees with a brute-force scan of both cost curves.
TEST(CostModel, BreakEvenIsWhereSelfHostingBecomesAndStaysCheaper) {
    const MonthlyCost cost = test_cost(0.1);
    Workload workload;
    for (const double price : {0.2, 1.0, 5.0, 30.0}) {
        const ApiPrice api{.provider = "P", .model = "m", .input_usd_per_mtok = price, .output_usd_per_mtok = 2 * price,
                           .tier = "small", .date = "d", .source = "s"};
        const double max_tokens = 6 * cost.replica_tokens_per_month;
        const auto found = break_even_tokens_per_month(cost, api, workload, max_tokens);
        std::optional<double> scanned;
        const double step = max_tokens / 200'000;
        for (double v = step; v <= max_tokens; v += step) {
            const bool cheaper = self_hosted_cost_at(cost, v) < blended_usd_per_token(api, workload) * v;
            if (cheaper && !scanned) scanned = v;
            if (!cheaper) scanned.reset();
        }
        ASSERT_EQ(found.has_value(), scanned.has_value()) << "price " << price;
        if (found) {
            EXPECT_NEAR(*found, *scanned, 2 * step) << "price " << price;
        }
    }
}

// Practitioners' rules: full fine-tuning takes ~16 bytes per parameter (a 7B model needs more
// than one 80 GB GPU), LoRA on a 16-bit 7B fits a 24 GB card, QLoRA fits 65-70B on one 48 GB
// card (the QLoRA paper's headline) and 7B on a 16 GB one.
TEST(FineTuneMemory, ReproducesTheRulesOfThumb) {
    const ModelSpec llama7 = catalog_spec("llama-2-7b", "F16");
    const FineTuneSetup setup;
    const FineTuneMemory full = finetune_memory(llama7, FineTuneMethod::Full, setup);
    EXPECT_NEAR((full.weights_bytes + full.gradients_bytes + full.optimizer_bytes) / 6.738e9, 16.0, 0.01);
    EXPECT_GT(full.per_device_bytes(), 80 * kGiB);
    EXPECT_LT(finetune_memory(llama7, FineTuneMethod::Full, setup, 2).per_device_bytes(), 80 * kGiB);
    const FineTuneMemory lora = finetune_memory(llama7, FineTuneMethod::Lora, setup);
    EXPECT_LT(lora.per_device_bytes(), 24 * kGiB);
    EXPECT_GT(lora.per_device_bytes(), 13.5e9);
    // Rank 16 on every projection of Llama 2 7B: 16 × 32 × (4 × 8192 + 3 × 15104) = 40.0 M.
    EXPECT_EQ(lora.trainable_parameters, 16ull * 32 * (4 * 8192 + 3 * (4096 + 11008)));
    EXPECT_LT(finetune_memory(llama7, FineTuneMethod::Qlora, setup).per_device_bytes(), 16 * kGiB);
    const FineTuneMemory qlora70 = finetune_memory(catalog_spec("llama-2-70b", "F16"), FineTuneMethod::Qlora, setup);
    EXPECT_LT(qlora70.per_device_bytes(), 48 * kGiB * 0.95);
    EXPECT_GT(qlora70.per_device_bytes(), 35e9);
    FineTuneSetup no_checkpoints = setup;
    no_checkpoints.gradient_checkpointing = false;
    EXPECT_GT(finetune_memory(llama7, FineTuneMethod::Lora, no_checkpoints).activations_bytes, 4 * lora.activations_bytes);
    Accelerator gpu = test_gpu();
    gpu.memory_gib = 24;
    EXPECT_EQ(finetune_devices_needed(llama7, FineTuneMethod::Qlora, setup, gpu), 1);
    EXPECT_GT(finetune_devices_needed(llama7, FineTuneMethod::Full, setup, gpu), 4);
}

TEST(Recommend, CheapestFirstAndEveryOneMeetsTheConstraints) {
    std::vector<ModelSpec> candidates;
    for (const char* shape : {"llama-3.1-8b", "qwen2.5-14b", "llama-3.1-70b", "smollm2-135m"}) {
        for (const char* quant : {"Q4_K_M", "Q8_0"}) candidates.push_back(catalog_spec(shape, quant));
    }
    const Workload workload = *make_workload({.requests_per_day = 20'000}, Workload{});
    Constraints constraints;
    constraints.min_parameters_billion = 10;
    const auto result = recommend(candidates, Deployment{.n_ctx = 4096, .n_parallel = 8}, bundled_hardware_catalog(),
                                  workload, constraints, CostAssumptions{}, EfficiencyAssumptions{});
    ASSERT_FALSE(result.best.empty());
    EXPECT_GT(result.too_small, 0);
    for (std::size_t i = 0; i < result.best.size(); ++i) {
        const auto& r = result.best[i];
        EXPECT_GE(static_cast<double>(r.model.parameter_count()), 10e9);
        EXPECT_TRUE(r.serving.meets_targets());
        EXPECT_FALSE(r.reasons.empty());
        if (i > 0) {
            EXPECT_GE(r.cost.total(), result.best[i - 1].cost.total());
        }
    }
    constraints.budget_usd_per_month = result.best.front().cost.total() - 1;
    const auto none = recommend(candidates, Deployment{.n_ctx = 4096, .n_parallel = 8}, bundled_hardware_catalog(),
                                workload, constraints, CostAssumptions{}, EfficiencyAssumptions{});
    EXPECT_TRUE(none.best.empty());
    EXPECT_GT(none.over_budget, 0);
}

TEST(CostChart, DrawsEachSeriesAndMarksTheBreakEvens) {
    const MonthlyCost cost = test_cost(0.1);
    const Workload workload = *make_workload({.requests_per_second = 0.1}, Workload{});
    const std::vector<ApiPrice> apis = {
        {.provider = "Cheap & Co", .model = "a", .input_usd_per_mtok = 0.01, .output_usd_per_mtok = 0.02, .tier = {},
         .date = {}, .source = {}},
        {.provider = "Dear", .model = "b", .input_usd_per_mtok = 10, .output_usd_per_mtok = 30, .tier = {}, .date = {},
         .source = {}}};
    const double max_tokens = 3 * cost.replica_tokens_per_month;
    const std::string svg = cost_chart_svg("<title>", {{.label = "1 × Test GPU", .cost = cost}}, apis, workload, max_tokens);
    EXPECT_TRUE(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
    EXPECT_TRUE(svg.ends_with("</svg>\n"));
    EXPECT_NE(svg.find("&lt;title&gt;"), std::string::npos);
    EXPECT_NE(svg.find("Cheap &amp; Co"), std::string::npos);
    EXPECT_EQ(svg.find("Cheap & Co"), std::string::npos);
    const auto count = [&](std::string_view needle) {
        std::size_t n = 0;
        for (auto at = svg.find(needle); at != std::string::npos; at = svg.find(needle, at + 1)) ++n;
        return n;
    };
    EXPECT_EQ(count("<polyline"), 1u);
    EXPECT_EQ(count("stroke-dasharray=\"6 4\""), 2u + 2u);  // two API lines and their legend swatches
    const bool crosses_dear = break_even_tokens_per_month(cost, apis[1], workload, max_tokens).has_value();
    const bool crosses_cheap = break_even_tokens_per_month(cost, apis[0], workload, max_tokens).has_value();
    EXPECT_TRUE(crosses_dear);
    EXPECT_FALSE(crosses_cheap);
    EXPECT_EQ(count("<circle"), 1u);
    EXPECT_NE(svg.find("your workload"), std::string::npos);
}

}  // namespace
}  // namespace inhouse::plan
