// `inhouse plan --model NAME|FILE [--quant TYPE] [--ctx N] [--parallel N] [--kv-type f16]
// [--json]`: the memory a deployment needs (weights, KV cache, compute buffers, overhead),
// from a catalog shape and a quantization recipe, or from a GGUF file's header alone.
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "catalog/model_catalog.h"
#include "catalog/quant_recipe.h"
#include "cli/command.h"
#include "cli/model_loading.h"
#include "plan/memory_model.h"
#include "plan/model_spec.h"

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
};

// A catalog name with --quant, else a file or a store name (only its header is read).
Result<plan::ModelSpec> resolve_spec(const PlanArgs& args) {
    if (auto shape = catalog::find_model_shape(args.model); shape.ok()) {
        INHOUSE_ASSIGN_OR_RETURN(const auto recipe, catalog::find_quant_recipe(args.quant));
        return plan::spec_from_catalog(**shape, recipe);
    }
    auto file = open_model_file(args.model);
    if (!file.ok()) {
        return make_error(ErrorCode::NotFound,
                          "'{}' is neither a catalog model (see `inhouse synth --list`) nor a model file: {}",
                          args.model, file.error().to_string());
    }
    return plan::spec_from_gguf(**file);
}

double gib(std::uint64_t bytes) { return static_cast<double>(bytes) / static_cast<double>(1ull << 30); }

void print_table(const plan::ModelSpec& spec, const plan::Deployment& deployment, const plan::MemoryBreakdown& memory) {
    fmt::print("{} ({}, {})\n", spec.name, spec.architecture, spec.quantization);
    fmt::print("  parameters        {:.2f} B", static_cast<double>(spec.parameter_count()) / 1e9);
    if (spec.n_experts > 0) {
        fmt::print(" ({:.2f} B active: {} of {} experts)", static_cast<double>(spec.active_parameter_count()) / 1e9,
                   spec.n_experts_used, spec.n_experts);
    }
    fmt::print("\n  deployment        {} tokens × {} sequence(s), KV cache {}{}\n", deployment.n_ctx,
               deployment.n_parallel, plan::kv_cache_type_name(deployment.kv_type),
               spec.sliding_window > 0 ? fmt::format(", sliding window {}", spec.sliding_window) : "");
    fmt::print("memory\n");
    fmt::print("  weights           {:8.2f} GiB\n", gib(memory.weights_bytes));
    fmt::print("  KV cache          {:8.2f} GiB  ({} layers × {} KV heads × ({} + {}) dims × {} B)\n",
               gib(memory.kv_cache_bytes), spec.n_layers, spec.n_kv_heads, spec.head_dim_k, spec.head_dim_v,
               plan::kv_cache_bytes_per_element(deployment.kv_type));
    fmt::print("  compute buffers   {:8.2f} GiB  (batch of {} tokens)\n", gib(memory.compute_buffer_bytes),
               deployment.n_batch);
    fmt::print("  runtime overhead  {:8.2f} GiB\n", gib(memory.runtime_overhead_bytes));
    fmt::print("  total             {:8.2f} GiB\n", gib(memory.total_bytes()));
}

nlohmann::json to_json(const plan::ModelSpec& spec, const plan::Deployment& deployment,
                       const plan::MemoryBreakdown& memory) {
    return {{"model",
             {{"name", spec.name},
              {"architecture", spec.architecture},
              {"quantization", spec.quantization},
              {"parameters", spec.parameter_count()},
              {"active_parameters", spec.active_parameter_count()},
              {"n_layers", spec.n_layers},
              {"n_kv_heads", spec.n_kv_heads},
              {"head_dim_k", spec.head_dim_k},
              {"head_dim_v", spec.head_dim_v},
              {"n_ctx_train", spec.n_ctx_train},
              {"sliding_window", spec.sliding_window},
              {"n_experts", spec.n_experts},
              {"n_experts_used", spec.n_experts_used}}},
            {"deployment",
             {{"n_ctx", deployment.n_ctx},
              {"n_parallel", deployment.n_parallel},
              {"kv_cache_type", plan::kv_cache_type_name(deployment.kv_type)},
              {"n_batch", deployment.n_batch},
              {"threads", deployment.n_threads}}},
            {"memory",
             {{"weights_bytes", memory.weights_bytes},
              {"kv_cache_bytes", memory.kv_cache_bytes},
              {"compute_buffer_bytes", memory.compute_buffer_bytes},
              {"runtime_overhead_bytes", memory.runtime_overhead_bytes},
              {"total_bytes", memory.total_bytes()}}}};
}

int run_plan(const PlanArgs& args) {
    auto spec = resolve_spec(args);
    if (!spec.ok()) return report_error(spec.error().to_string());
    auto kv_type = plan::parse_kv_cache_type(args.kv_type);
    if (!kv_type.ok()) return report_error(kv_type.error().to_string());
    const plan::Deployment deployment{.n_ctx = args.n_ctx,
                                      .n_parallel = args.n_parallel,
                                      .kv_type = *kv_type,
                                      .sliding_window_cache = !args.no_swa_cache,
                                      .n_batch = args.n_batch,
                                      .n_threads = args.n_threads};
    const plan::MemoryBreakdown memory = plan::estimate_memory(*spec, deployment);
    if (args.json) {
        fmt::print("{}\n", to_json(*spec, deployment, memory).dump(2));
    } else {
        print_table(*spec, deployment, memory);
    }
    return kExitOk;
}

}  // namespace

void add_plan_command(CLI::App& app, Action& action) {
    auto args = std::make_shared<PlanArgs>();
    auto* command = app.add_subcommand("plan", "Memory a model needs to serve, before buying or downloading anything");
    command->add_option("-m,--model", args->model, "Catalog name (see `inhouse synth --list`), .gguf path or store name")
        ->required();
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
    command->callback([args, &action] { action = [args] { return run_plan(*args); }; });
}

}  // namespace inhouse::cli
