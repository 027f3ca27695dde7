// `inhouse plan`: before anyone buys a GPU — the memory a deployment needs (from a catalog
// shape and a quantization recipe, or a GGUF file's header alone), the hardware it fits and how
// fast it would serve there, what that costs a month against hosted APIs, what fine-tuning
// would need, and with --recommend the cheapest configurations that meet a team's constraints.
#include <fmt/format.h>

#include <algorithm>

#include "catalog/model_catalog.h"
#include "catalog/quant_recipe.h"
#include "cli/command.h"
#include "cli/model_loading.h"
#include "cli/plan_report.h"
#include "core/file_util.h"
#include "plan/cost_chart.h"

namespace inhouse::cli {

namespace {

struct PlanArgs {
    std::string model;
    std::string quant = "Q4_K_M";
    std::int64_t n_ctx = 4096;
    std::int64_t n_parallel = 1;
    std::string kv_type = "f16";
    std::int64_t n_batch = 512;
    int n_threads = 2;
    bool no_swa_cache = false;
    bool json = false;
    // workload
    plan::WorkloadVolume volume;
    plan::Workload workload_shape;
    // hardware and prices
    std::vector<std::string> hardware;
    std::string hardware_file;
    std::string prices_file;
    plan::CostAssumptions costs;
    plan::EfficiencyAssumptions efficiency;
    std::string svg_path;
    // fine-tuning
    bool finetune = false;
    plan::FineTuneSetup finetune_setup;
    std::string lora_targets = "all";
    // recommendation
    bool recommend = false;
    plan::Constraints constraints;
    std::string tier;
};

// A catalog name with --quant, else a file or a store name (only its header is read).
Result<plan::ModelSpec> resolve_spec(const std::string& model, const std::string& quant) {
    if (auto shape = catalog::find_model_shape(model); shape.ok()) {
        INHOUSE_ASSIGN_OR_RETURN(const auto recipe, catalog::find_quant_recipe(quant));
        return plan::spec_from_catalog(**shape, recipe);
    }
    auto file = open_model_file(model);
    if (!file.ok()) {
        return make_error(ErrorCode::NotFound,
                          "'{}' is neither a catalog model (see `inhouse synth --list`) nor a model file: {}", model,
                          file.error().to_string());
    }
    return plan::spec_from_gguf(**file);
}

// The bundled hardware with the user's file over it, narrowed to --hardware if given.
Result<plan::HardwareCatalog> hardware_catalog(const PlanArgs& args) {
    plan::HardwareCatalog catalog = plan::bundled_hardware_catalog();
    if (!args.hardware_file.empty()) {
        INHOUSE_ASSIGN_OR_RETURN(catalog, plan::hardware_catalog_with_overrides(args.hardware_file));
    }
    if (args.hardware.empty()) return catalog;
    std::vector<plan::Accelerator> chosen;
    for (const auto& name : args.hardware) {
        const plan::Accelerator* found = catalog.find(name);
        if (!found) {
            std::string names;
            for (const auto& a : catalog.accelerators) names += (names.empty() ? "" : ", ") + a.name;
            return make_error(ErrorCode::NotFound, "no hardware named '{}' (there are: {})", name, names);
        }
        chosen.push_back(*found);
    }
    catalog.accelerators = std::move(chosen);
    return catalog;
}

Result<plan::ApiPriceCatalog> api_prices(const PlanArgs& args) {
    if (args.prices_file.empty()) return plan::bundled_api_prices();
    return plan::api_prices_with_overrides(args.prices_file);
}

std::vector<HardwareOption> hardware_options(const plan::ModelSpec& spec, const PlanReport& report) {
    std::vector<HardwareOption> options;
    for (const auto& serving : plan::estimate_on_catalog(spec, report.deployment, *report.hardware_catalog,
                                                         report.workload, report.efficiency)) {
        HardwareOption option{.serving = serving,
                              .cost = plan::monthly_cost(serving, *report.hardware_catalog, report.workload, report.costs),
                              .break_even = {}};
        for (const auto& api : report.api_prices->apis) {
            option.break_even.emplace_back(&api, plan::break_even_tokens_per_month(option.cost, api, report.workload, 1e13));
        }
        options.push_back(std::move(option));
    }
    std::stable_sort(options.begin(), options.end(), [](const HardwareOption& a, const HardwareOption& b) {
        if (a.serving.fits != b.serving.fits) return a.serving.fits;
        return a.cost.total() < b.cost.total();
    });
    return options;
}

std::vector<FineTuneRow> finetune_rows(const plan::ModelSpec& spec, const PlanReport& report) {
    std::vector<FineTuneRow> rows;
    plan::FineTuneSetup without = report.finetune_setup;
    without.gradient_checkpointing = false;
    plan::FineTuneSetup with = report.finetune_setup;
    with.gradient_checkpointing = true;
    for (const auto method : {plan::FineTuneMethod::Full, plan::FineTuneMethod::Lora, plan::FineTuneMethod::Qlora}) {
        FineTuneRow row{.method = method,
                        .checkpointed = plan::finetune_memory(spec, method, with),
                        .not_checkpointed = plan::finetune_memory(spec, method, without),
                        .devices_needed = {}};
        for (const auto& gpu : report.hardware_catalog->accelerators) {
            if (gpu.kind != plan::AcceleratorKind::Gpu) continue;
            row.devices_needed.emplace_back(&gpu, plan::finetune_devices_needed(spec, method, with, gpu));
        }
        rows.push_back(std::move(row));
    }
    return rows;
}

// The chart: the cheapest few self-hosted options that fit, and the APIs of the model's tier
// (or all, when fewer than three match), over a volume range that shows the crossings.
Status write_chart(const PlanReport& report, const std::string& path) {
    std::vector<plan::SelfHostedSeries> series;
    for (const auto& option : report.hardware) {
        if (!option.serving.fits || series.size() >= 4) continue;
        const auto& s = option.serving;
        series.push_back({.label = s.accelerator->kind == plan::AcceleratorKind::Cpu
                                       ? s.accelerator->display
                                       : fmt::format("{} × {}", s.devices, s.accelerator->display),
                          .cost = option.cost});
    }
    if (series.empty()) return make_error(ErrorCode::InvalidArgument, "no configuration fits: nothing to chart");
    const std::string tier = plan::model_tier(*report.model);
    std::vector<plan::ApiPrice> apis;
    for (const auto& api : report.api_prices->apis) {
        if (api.tier == tier) apis.push_back(api);
    }
    if (apis.size() < 3) apis = report.api_prices->apis;
    if (apis.size() > 6) apis.resize(6);
    double max_tokens = report.workload.given() ? 3 * report.workload.monthly_tokens()
                                                : 2 * series.front().cost.replica_tokens_per_month;
    double furthest = 0;
    for (const auto& s : series) {
        for (const auto& api : apis) {
            if (auto tokens = plan::break_even_tokens_per_month(s.cost, api, report.workload, 1e13)) {
                furthest = std::max(furthest, *tokens);
            }
        }
    }
    if (furthest > max_tokens && furthest < 10 * max_tokens) max_tokens = 1.3 * furthest;
    const std::string title = fmt::format("{} {}: monthly cost, self-hosted vs hosted APIs", report.model->name,
                                          report.model->quantization);
    return write_file_atomic(path, plan::cost_chart_svg(title, series, apis, report.workload, max_tokens));
}

// Catalog models in the quantizations a deployment would weigh, for --recommend without -m.
Result<std::vector<plan::ModelSpec>> candidates(const PlanArgs& args) {
    std::vector<plan::ModelSpec> specs;
    if (!args.model.empty()) {
        INHOUSE_ASSIGN_OR_RETURN(auto spec, resolve_spec(args.model, args.quant));
        specs.push_back(std::move(spec));
        return specs;
    }
    for (const auto& shape : catalog::model_catalog()) {
        for (const char* quant : {"Q4_K_M", "Q5_K_M", "Q8_0", "F16"}) {
            specs.push_back(plan::spec_from_catalog(shape, *catalog::find_quant_recipe(quant)));
        }
    }
    return specs;
}

int run_plan(PlanArgs args) {
    if (args.model.empty() && !args.recommend) return report_error("give --model NAME|FILE, or --recommend");
    auto kv_type = plan::parse_kv_cache_type(args.kv_type);
    if (!kv_type.ok()) return report_error(kv_type.error().to_string());
    auto workload = plan::make_workload(args.volume, args.workload_shape);
    if (!workload.ok()) return report_error(workload.error().to_string());
    auto hardware = hardware_catalog(args);
    if (!hardware.ok()) return report_error(hardware.error().to_string());
    auto prices = api_prices(args);
    if (!prices.ok()) return report_error(prices.error().to_string());
    if (args.lora_targets != "all" && args.lora_targets != "attn") return report_error("--lora-targets is 'all' or 'attn'");
    args.finetune_setup.lora_all_linear = args.lora_targets == "all";
    if (!args.tier.empty()) {
        if (args.tier == "small") args.constraints.min_parameters_billion = 0;
        else if (args.tier == "medium") args.constraints.min_parameters_billion = 10;
        else if (args.tier == "large") args.constraints.min_parameters_billion = 40;
        else return report_error(fmt::format("--tier '{}': one of small, medium, large", args.tier));
    }

    PlanReport report;
    report.deployment = {.n_ctx = args.n_ctx,
                         .n_parallel = args.n_parallel,
                         .kv_type = *kv_type,
                         .sliding_window_cache = !args.no_swa_cache,
                         .n_batch = args.n_batch,
                         .n_threads = args.n_threads};
    report.workload = *workload;
    report.hardware_catalog = &*hardware;
    report.api_prices = &*prices;
    report.costs = args.costs;
    report.efficiency = args.efficiency;
    report.finetune_setup = args.finetune_setup;
    if (!args.model.empty()) {
        auto spec = resolve_spec(args.model, args.quant);
        if (!spec.ok()) return report_error(spec.error().to_string());
        report.model = std::move(*spec);
        report.memory = plan::estimate_memory(*report.model, report.deployment);
        report.hardware = hardware_options(*report.model, report);
        if (args.finetune) report.finetune = finetune_rows(*report.model, report);
    }
    if (args.recommend) {
        auto specs = candidates(args);
        if (!specs.ok()) return report_error(specs.error().to_string());
        report.recommendations = plan::recommend(*specs, report.deployment, *hardware, report.workload,
                                                 args.constraints, report.costs, report.efficiency);
    }
    if (!args.svg_path.empty()) {
        if (!report.model) return report_error("--svg needs --model");
        if (auto written = write_chart(report, args.svg_path); !written.ok()) {
            return report_error(written.error().to_string());
        }
    }
    if (args.json) {
        fmt::print("{}\n", plan_json(report).dump(2));
    } else {
        print_plan_table(report);
        if (!args.svg_path.empty()) fmt::print("\nchart written to {}\n", args.svg_path);
    }
    return kExitOk;
}

void add_workload_options(CLI::App& command, PlanArgs& args) {
    const auto non_negative = CLI::Range(0.0, 1e15);
    command.add_option("--requests-per-day", args.volume.requests_per_day, "Workload: requests a day")
        ->check(non_negative)->group("Workload");
    command.add_option("--requests-per-second", args.volume.requests_per_second, "Workload: requests a second (average)")
        ->check(non_negative)->group("Workload");
    command.add_option("--tokens-per-month", args.volume.tokens_per_month, "Workload: prompt + output tokens a month")
        ->check(non_negative)->group("Workload");
    command.add_option("--prompt-tokens", args.workload_shape.prompt_tokens, "Workload: prompt tokens per request")
        ->capture_default_str()->check(CLI::Range(0.0, 1e7))->group("Workload");
    command.add_option("--output-tokens", args.workload_shape.output_tokens, "Workload: output tokens per request")
        ->capture_default_str()->check(CLI::Range(0.0, 1e7))->group("Workload");
    command.add_option("--peak-factor", args.workload_shape.peak_factor, "Workload: busiest hour over the average")
        ->capture_default_str()->check(CLI::Range(1.0, 1000.0))->group("Workload");
    command.add_option("--ttft", args.workload_shape.ttft_target_seconds, "Target: seconds to the first token")
        ->capture_default_str()->check(CLI::Range(0.001, 3600.0))->group("Workload");
    command.add_option("--stream-speed", args.workload_shape.stream_tokens_per_second,
                       "Target: tokens/s each stream at least")
        ->capture_default_str()->check(CLI::Range(0.0, 1e5))->group("Workload");
}

void add_cost_options(CLI::App& command, PlanArgs& args) {
    command.add_option("--hardware", args.hardware, "Only these catalog entries (e.g. l40s,h100-sxm)")
        ->delimiter(',')->group("Hardware and cost");
    command.add_option("--hardware-file", args.hardware_file, "JSON overriding or adding hardware (as data/catalog/hardware.json)")
        ->group("Hardware and cost");
    command.add_option("--prices-file", args.prices_file, "JSON overriding or adding API prices (as data/catalog/cloud_prices.json)")
        ->group("Hardware and cost");
    command.add_option("--years", args.costs.years, "Amortization period")
        ->capture_default_str()->check(CLI::Range(0.25, 20.0))->group("Hardware and cost");
    command.add_option("--kwh-price", args.costs.usd_per_kwh, "USD per kWh")
        ->capture_default_str()->check(CLI::Range(0.0, 10.0))->group("Hardware and cost");
    command.add_option("--pue", args.costs.pue, "Power usage effectiveness of the room")
        ->capture_default_str()->check(CLI::Range(1.0, 5.0))->group("Hardware and cost");
    command.add_option("--hosting", args.costs.hosting_usd_per_server_month, "USD per server per month")
        ->capture_default_str()->check(CLI::Range(0.0, 1e6))->group("Hardware and cost");
    command.add_option("--staff-fte", args.costs.staff_fte, "Share of an operator's time")
        ->capture_default_str()->check(CLI::Range(0.0, 100.0))->group("Hardware and cost");
    command.add_option("--staff-cost", args.costs.staff_usd_per_year, "An operator's cost a year, USD")
        ->capture_default_str()->check(CLI::Range(0.0, 1e8))->group("Hardware and cost");
    command.add_option("--svg", args.svg_path, "Write the cost-against-volume chart here")->group("Hardware and cost");
    const auto share = CLI::Range(0.01, 1.0);
    command.add_option("--gpu-bandwidth-share", args.efficiency.gpu_bandwidth, "Share of a GPU's bandwidth decode reaches")
        ->capture_default_str()->check(share)->group("Hardware and cost");
    command.add_option("--gpu-compute-share", args.efficiency.gpu_compute, "Share of a GPU's FP16 peak prefill reaches")
        ->capture_default_str()->check(share)->group("Hardware and cost");
    command.add_option("--cpu-bandwidth-share", args.efficiency.cpu_bandwidth, "Share of a CPU's bandwidth decode reaches")
        ->capture_default_str()->check(share)->group("Hardware and cost");
    command.add_option("--cpu-compute-share", args.efficiency.cpu_compute, "Share of a CPU's int8 peak prefill reaches")
        ->capture_default_str()->check(share)->group("Hardware and cost");
}

void add_finetune_options(CLI::App& command, PlanArgs& args) {
    command.add_flag("--finetune", args.finetune, "Also plan fine-tuning: full, LoRA, QLoRA")->group("Fine-tuning");
    command.add_option("--train-seq", args.finetune_setup.sequence_length, "Training sequence length")
        ->capture_default_str()->check(CLI::Range(std::int64_t{1}, std::int64_t{1} << 22))->group("Fine-tuning");
    command.add_option("--micro-batch", args.finetune_setup.micro_batch, "Sequences per GPU per step")
        ->capture_default_str()->check(CLI::Range(std::int64_t{1}, std::int64_t{4096}))->group("Fine-tuning");
    command.add_option("--lora-rank", args.finetune_setup.lora_rank, "LoRA rank")
        ->capture_default_str()->check(CLI::Range(std::int64_t{1}, std::int64_t{4096}))->group("Fine-tuning");
    command.add_option("--lora-targets", args.lora_targets, "LoRA on 'all' projections or 'attn' (q, k, v, o)")
        ->capture_default_str()->group("Fine-tuning");
}

void add_recommend_options(CLI::App& command, PlanArgs& args) {
    command.add_flag("--recommend", args.recommend, "Propose the cheapest configurations that meet the constraints")
        ->group("Recommendation");
    command.add_option("--budget", args.constraints.budget_usd_per_month, "At most this many USD a month")
        ->check(CLI::Range(0.0, 1e9))->group("Recommendation");
    command.add_option("--min-params", args.constraints.min_parameters_billion, "Models of at least this many billion parameters")
        ->capture_default_str()->check(CLI::Range(0.0, 1e4))->group("Recommendation");
    command.add_option("--tier", args.tier, "Minimum model tier: small (any), medium (10B+), large (40B+)")
        ->group("Recommendation");
    command.add_option("--users", args.constraints.users, "Concurrent streams to serve (sets --parallel)")
        ->check(CLI::Range(std::int64_t{1}, std::int64_t{1} << 16))->group("Recommendation");
}

}  // namespace

void add_plan_command(CLI::App& app, Action& action) {
    auto args = std::make_shared<PlanArgs>();
    auto* command = app.add_subcommand(
        "plan", "Memory, hardware, speed and cost of a deployment, and fine-tuning, before buying anything");
    command->add_option("-m,--model", args->model, "Catalog name (see `inhouse synth --list`), .gguf path or store name");
    command->add_option("-q,--quant", args->quant, "Quantization of a catalog model: " + catalog::quant_recipe_names())
        ->capture_default_str();
    command->add_option("-c,--ctx", args->n_ctx, "Context length per sequence")
        ->capture_default_str()
        ->check(CLI::Range(std::int64_t{1}, std::int64_t{1} << 24));
    command->add_option("--parallel", args->n_parallel, "Sequences served at once")
        ->capture_default_str()
        ->check(CLI::Range(std::int64_t{1}, std::int64_t{1} << 16));
    command->add_option("--kv-type", args->kv_type, "KV cache element type: f32, f16, q8_0")->capture_default_str();
    command->add_option("--batch", args->n_batch, "Tokens per forward pass")
        ->capture_default_str()
        ->check(CLI::Range(std::int64_t{1}, std::int64_t{1} << 16));
    command->add_option("-t,--threads", args->n_threads, "Threads")->capture_default_str()->check(CLI::Range(1, 1024));
    command->add_flag("--no-swa-cache", args->no_swa_cache,
                      "Sliding-window layers keep the whole context too (as inhouse does today)");
    command->add_flag("--json", args->json, "Print one JSON object (schema: docs/plan-json.md)");
    add_workload_options(*command, *args);
    add_cost_options(*command, *args);
    add_finetune_options(*command, *args);
    add_recommend_options(*command, *args);
    command->callback([args, &action] { action = [args] { return run_plan(*args); }; });
}

}  // namespace inhouse::cli
