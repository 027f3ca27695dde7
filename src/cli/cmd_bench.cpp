// `inhouse bench -m MODEL`: prefill and decode tokens/s (medians after a warm-up), peak
// memory, and how close both come to what this machine allows (the measured roofline).
#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <sys/resource.h>

#include <cstdio>
#include <filesystem>
#include <unistd.h>
#include <thread>

#include "cli/command.h"
#include "cli/kv_cache_option.h"
#include "cli/model_loading.h"
#include "cli/synthetic_spec.h"
#include "catalog/synthetic_model.h"
#include "engine/benchmark.h"
#include "kernels/roofline.h"
#include "kernels/simd/cpu_features.h"

namespace inhouse::cli {

namespace {

struct BenchArgs {
    std::string model;
    std::string synthetic;
    engine::BenchSettings settings;
    int threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    bool json = false;
    bool roofline = true;
};

std::uint64_t peak_rss_bytes() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return static_cast<std::uint64_t>(usage.ru_maxrss) * 1024;  // Linux reports KiB
}

std::string runs_text(const std::vector<double>& runs) {
    std::string text;
    for (const double run : runs) text += fmt::format(" {:.1f}", run);
    return text;
}

nlohmann::json decode_runs_json(const engine::DecodeRoofline& roofline) {
    nlohmann::json runs = nlohmann::json::array();
    for (const auto& run : roofline.runs) {
        runs.push_back({{"tokens_per_second", run.tokens_per_second}, {"read_bytes_per_second", run.read_bytes_per_second},
                        {"fraction_of_bound", run.fraction_of_bound}});
    }
    return runs;
}

std::string decode_runs_text(const engine::DecodeRoofline& roofline) {
    std::string text;
    for (const auto& run : roofline.runs) {
        text += fmt::format(" {:.1f} tok/s at {:.1f} GB/s = {:.0f}%;", run.tokens_per_second, run.read_bytes_per_second / 1e9,
                            100.0 * run.fraction_of_bound);
    }
    if (!text.empty()) text.pop_back();
    return text;
}

// Removes the synthetic model file when the benchmark is done with it.
struct TemporaryFile {
    std::string path;
    ~TemporaryFile() {
        if (!path.empty()) std::filesystem::remove(path);
    }
};

int run_bench(const BenchArgs& args_in) {
    BenchArgs args = args_in;
    TemporaryFile synthetic_file;
    if (!args.synthetic.empty()) {
        auto spec = parse_synthetic_spec(args.synthetic);
        if (!spec.ok()) return report_error(spec.error().to_string());
        synthetic_file.path = (std::filesystem::temp_directory_path() /
                               fmt::format("inhouse-synthetic-{}-{}.gguf", getpid(), spec->shape->name)).string();
        fmt::print(stderr, "writing synthetic {} {} to {}\n", spec->shape->display, spec->recipe.name, synthetic_file.path);
        const auto status = catalog::write_synthetic_model(*spec->shape, spec->recipe, synthetic_file.path);
        if (!status.ok()) return report_error(status.error().to_string());
        args.model = synthetic_file.path;
    } else if (args.model.empty()) {
        return report_error("give -m MODEL or --synthetic SHAPE:QUANT");
    }
    auto file = open_model_file(args.model);
    if (!file.ok()) return report_error(file.error().to_string());
    const std::string path = (*file)->label();
    auto model = model::Model::load(std::shared_ptr<const gguf::GgufFile>(std::move(*file)));
    if (!model.ok()) return report_error(model.error().to_string());
    ThreadPool pool(args.threads);
    auto result = engine::run_benchmark(**model, args.settings, pool);
    if (!result.ok()) return report_error(result.error().to_string());
    // Read before the bandwidth probe's buffer is allocated: it is not the model's memory.
    const std::uint64_t rss = peak_rss_bytes();
    kernels::Roofline roofline;
    engine::DecodeRoofline decode_roofline;
    if (args.roofline) {
        auto probe = kernels::ReadBandwidthProbe::create(pool);
        if (!probe.ok()) return report_error(probe.error().to_string());
        roofline = kernels::measure_compute_peaks(pool);
        auto measured = engine::measure_decode_roofline(**model, args.settings, pool, *probe);
        if (!measured.ok()) return report_error(measured.error().to_string());
        decode_roofline = std::move(*measured);
        roofline.read_bytes_per_second = decode_roofline.median_read_bytes_per_second;
    }
    // A token also reads the KV cache of its context (all of --depth, and the decoded tokens).
    const double decode_bound = roofline.read_bytes_per_second /
                                (static_cast<double>(result->traffic.bytes_per_token) + decode_roofline.kv_cache_bytes_per_token);
    const double prefill_bound = roofline.int8_macs_per_second / result->traffic.macs_per_token;
    const std::string kernels_name(kernels::simd_level_name(kernels::simd_level()));

    if (args.json) {
        nlohmann::json out = {
            {"model", args.synthetic.empty() ? args.model : args.synthetic}, {"file", path}, {"threads", args.threads}, {"kernels", kernels_name},
            {"n_prompt", args.settings.n_prompt}, {"n_generate", args.settings.n_generate},
            {"n_depth", args.settings.n_depth}, {"kv_cache_type", model::kv_cache_type_name(args.settings.kv_type)},
            {"repetitions", args.settings.repetitions},
            {"prefill_tokens_per_second", result->prefill_median}, {"decode_tokens_per_second", result->decode_median},
            {"prefill_runs", result->prefill_tokens_per_second}, {"decode_runs", result->decode_tokens_per_second},
            {"peak_rss_bytes", rss}, {"weight_bytes_per_token", result->traffic.bytes_per_token},
            {"weight_macs_per_token", result->traffic.macs_per_token}};
        if (args.roofline) {
            out["roofline"] = {{"read_bytes_per_second", roofline.read_bytes_per_second},
                               {"int8_macs_per_second", roofline.int8_macs_per_second},
                               {"f32_flops_per_second", roofline.f32_flops_per_second},
                               {"kv_cache_bytes_per_token", decode_roofline.kv_cache_bytes_per_token},
                               {"decode_bound_tokens_per_second", decode_bound},
                               {"decode_fraction_of_bound", decode_roofline.median_fraction_of_bound},
                               {"decode_runs", decode_runs_json(decode_roofline)},
                               {"prefill_bound_tokens_per_second", prefill_bound},
                               {"prefill_fraction_of_bound", result->prefill_median / prefill_bound}};
        }
        std::puts(out.dump(1).c_str());
        return kExitOk;
    }
    fmt::print("model     {} ({})\n", args.synthetic.empty() ? args.model : "synthetic " + args.synthetic, path);
    fmt::print("threads   {} (kernels: {})\n", args.threads, kernels_name);
    const std::string at_depth = args.settings.n_depth > 0 ? fmt::format(" after {}", args.settings.n_depth) : "";
    fmt::print("prefill   {} tokens{}: {:.1f} tok/s (median of{})\n", args.settings.n_prompt, at_depth,
               result->prefill_median, runs_text(result->prefill_tokens_per_second));
    fmt::print("decode    {} tokens{}: {:.1f} tok/s (median of{})\n", args.settings.n_generate, at_depth,
               result->decode_median, runs_text(result->decode_tokens_per_second));
    fmt::print("peak RSS  {:.1f} MiB\n", static_cast<double>(rss) / (1024.0 * 1024.0));
    if (args.roofline) {
        fmt::print("roofline  measured on {} threads: memory reads {:.1f} GB/s, int8 {:.0f} GMAC/s, f32 {:.0f} GFLOP/s\n",
                   roofline.threads, roofline.read_bytes_per_second / 1e9, roofline.int8_macs_per_second / 1e9,
                   roofline.f32_flops_per_second / 1e9);
        const std::string kv_text = decode_roofline.kv_cache_bytes_per_token > 0
                                        ? fmt::format(" + {:.1f} MB of KV cache", decode_roofline.kv_cache_bytes_per_token / 1e6)
                                        : "";
        fmt::print("  decode  {:.1f} MB of weights{} per token → at most {:.1f} tok/s; measured {:.0f}% of it\n",
                   static_cast<double>(result->traffic.bytes_per_token) / 1e6, kv_text, decode_bound,
                   100.0 * decode_roofline.median_fraction_of_bound);
        fmt::print("          (median of {} more decodes, each against the reads just before and after it:{})\n",
                   decode_roofline.runs.size(), decode_runs_text(decode_roofline));
        fmt::print("  prefill {:.1f} M multiply-adds per token → at most {:.0f} tok/s; measured {:.0f}% of it\n",
                   result->traffic.macs_per_token / 1e6, prefill_bound, 100.0 * result->prefill_median / prefill_bound);
    }
    return kExitOk;
}

}  // namespace

void add_bench_command(CLI::App& app, Action& action) {
    auto args = std::make_shared<BenchArgs>();
    auto* command = app.add_subcommand("bench", "Measure prefill and decode speed against this machine's limits");
    auto* model = command->add_option("-m,--model", args->model, "Store name or .gguf path");
    command->add_option("--synthetic", args->synthetic,
                        "SHAPE:QUANT: random weights in a catalog model's shape (see inhouse synth --list)")
        ->excludes(model);
    // Ranges, not CLI::PositiveNumber: its refusal printed the largest double as the bound.
    command->add_option("-p,--n-prompt", args->settings.n_prompt, "Prompt tokens processed in one batch")
        ->check(CLI::Range(std::int64_t{1}, std::int64_t{1} << 24))->capture_default_str();
    command->add_option("-n,--n-gen", args->settings.n_generate, "Tokens decoded one at a time")
        ->check(CLI::Range(std::int64_t{1}, std::int64_t{1} << 24))->capture_default_str();
    command->add_option("-c,--ctx", args->settings.n_ctx,
                        "KV cache positions to allocate (0: what -p and -n need); peak RSS then shows a full context")
        ->check(CLI::Range(std::int64_t{0}, std::int64_t{1} << 24))
        ->capture_default_str();
    command->add_option("-d,--depth", args->settings.n_depth,
                        "Tokens already in the context before each prefill and decode (as llama-bench's -d)")
        ->check(CLI::Range(std::int64_t{0}, std::int64_t{1} << 24))
        ->capture_default_str();
    command->add_option("-r,--repetitions", args->settings.repetitions, "Measured runs (after one warm-up)")
        ->check(CLI::Range(1, 1000))->capture_default_str();
    command->add_option("-t,--threads", args->threads, "Threads")->check(CLI::Range(1, 1024))->capture_default_str();
    add_kv_cache_type_option(*command, args->settings.kv_type);
    command->add_flag("--json", args->json, "Print one JSON object");
    command->add_flag("!--no-roofline", args->roofline, "Skip measuring the machine's bandwidth and compute peak");
    command->callback([args, &action] { action = [args] { return run_bench(*args); }; });
}

}  // namespace inhouse::cli
