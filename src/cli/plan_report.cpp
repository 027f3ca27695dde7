#include "cli/plan_report.h"

#include <fmt/format.h>

#include <algorithm>

namespace inhouse::cli {

namespace {

constexpr double kGiB = 1024.0 * 1024.0 * 1024.0;

double gib(double bytes) { return bytes / kGiB; }

std::string tokens_text(double tokens) {
    if (tokens >= 1e9) return fmt::format("{:.2f} B", tokens / 1e9);
    if (tokens >= 1e6) return fmt::format("{:.1f} M", tokens / 1e6);
    return fmt::format("{:.0f}", tokens);
}

std::string hardware_name(const plan::ServingEstimate& s) {
    if (s.accelerator->kind == plan::AcceleratorKind::Cpu) return s.accelerator->display;
    return fmt::format("{} × {}", s.devices, s.accelerator->display);
}

// The cheapest configuration that fits and meets the targets, else the cheapest that fits.
const HardwareOption* cheapest(const PlanReport& report) {
    const HardwareOption* best = nullptr;
    for (const auto& option : report.hardware) {
        if (!option.serving.fits) continue;
        const bool better_class = best && option.serving.meets_targets() && !best->serving.meets_targets();
        const bool same_class = !best || option.serving.meets_targets() == best->serving.meets_targets();
        if (!best || better_class || (same_class && option.cost.total() < best->cost.total())) best = &option;
    }
    return best;
}

void print_memory(const plan::ModelSpec& spec, const plan::Deployment& deployment, const plan::MemoryBreakdown& memory) {
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
    fmt::print("  weights           {:8.2f} GiB\n", gib(static_cast<double>(memory.weights_bytes)));
    fmt::print("  KV cache          {:8.2f} GiB  ({} layers × {} KV heads × ({} + {}) dims × {} B)\n",
               gib(static_cast<double>(memory.kv_cache_bytes)), spec.n_layers, spec.n_kv_heads, spec.head_dim_k,
               spec.head_dim_v, plan::kv_cache_bytes_per_element(deployment.kv_type));
    fmt::print("  compute buffers   {:8.2f} GiB  (batch of {} tokens)\n", gib(static_cast<double>(memory.compute_buffer_bytes)),
               deployment.n_batch);
    fmt::print("  runtime overhead  {:8.2f} GiB\n", gib(static_cast<double>(memory.runtime_overhead_bytes)));
    fmt::print("  total             {:8.2f} GiB\n", gib(static_cast<double>(memory.total_bytes())));
}

void print_workload(const plan::Workload& w) {
    if (!w.given()) return;
    fmt::print("\nworkload\n  {:.0f} requests a day × ({:g} prompt + {:g} output tokens) = {} tokens a month\n",
               w.requests_per_day, w.prompt_tokens, w.output_tokens, tokens_text(w.monthly_tokens()));
    fmt::print("  peak {:.2f} requests/s ({:g}× the average); targets: first token within {:g} s, at least {:g} "
               "tokens/s per stream\n",
               w.peak_requests_per_second(), w.peak_factor, w.ttft_target_seconds, w.stream_tokens_per_second);
}

void print_hardware(const PlanReport& report) {
    fmt::print("\nhardware (estimates; catalog as of {})\n", report.hardware_catalog->as_of);
    fmt::print("  {:<40} {:>15} {:>9} {:>15} {:>9} {:>7} {:>8} {:>10} {:>9}\n", "configuration", "GiB per device",
               "decode 1", fmt::format("decode ×{}", report.deployment.n_parallel), "prefill", "TTFT s", "replicas",
               "$/month", "$/M tok");
    for (const auto& option : report.hardware) {
        const auto& s = option.serving;
        if (!s.fits) {
            fmt::print("  {:<40} {:>7.1f} > {:<5.1f}  does not fit\n", hardware_name(s), gib(s.bytes_per_device),
                       gib(s.usable_bytes_per_device));
            continue;
        }
        const std::string per_million = report.workload.given()
                                            ? fmt::format("{:.2f}", option.cost.total() / (report.workload.monthly_tokens() / 1e6))
                                            : "-";
        const char* flag = s.meets_targets() ? "" : (s.meets_ttft ? " slow" : " TTFT");
        fmt::print("  {:<40} {:>7.1f} / {:<5.1f} {:>9.1f} {:>15.1f} {:>9.0f} {:>7.2f} {:>8} {:>10.0f} {:>9}{}\n",
                   hardware_name(s), gib(s.bytes_per_device), gib(s.usable_bytes_per_device), s.decode_single_stream,
                   s.decode_per_stream, s.prefill_tokens_per_second, s.ttft_seconds, s.replicas, option.cost.total(),
                   per_million, flag);
    }
    fmt::print("  decode in tokens/s: one stream alone, and each of {} streams together; prefill in tokens/s;\n"
               "  $/month: hardware amortized + power + hosting + operations; 'slow'/'TTFT': misses a target\n",
               report.deployment.n_parallel);
}

void print_apis(const PlanReport& report) {
    const HardwareOption* reference = cheapest(report);
    fmt::print("\nhosted APIs (USD per million tokens; prices as of {}){}\n", report.api_prices->as_of,
               reference ? fmt::format("; break-even against {}", hardware_name(reference->serving)) : "");
    fmt::print("  {:<56} {:>8} {:>8} {:>12} {:>20}  {}\n", "API", "input", "output", "$/month", "break-even tok/month",
               "price date");
    for (const auto& api : report.api_prices->apis) {
        const std::string monthly = report.workload.given()
                                        ? fmt::format("{:.0f}", api.cost_usd(report.workload.monthly_input_tokens(),
                                                                             report.workload.monthly_output_tokens()))
                                        : "-";
        std::string break_even = "-";
        if (reference) {
            for (const auto& [priced, tokens] : reference->break_even) {
                if (priced == &api) break_even = tokens ? tokens_text(*tokens) : "never";
            }
        }
        fmt::print("  {:<56} {:>8.2f} {:>8.2f} {:>12} {:>20}  {}\n", api.label(), api.input_usd_per_mtok,
                   api.output_usd_per_mtok, monthly, break_even, api.date);
    }
}

void print_finetune(const PlanReport& report) {
    if (report.finetune.empty()) return;
    fmt::print("\nfine-tuning (per GPU on one; states sharded when more are needed)\n");
    fmt::print("  {:<6} {:>12} {:>9} {:>9} {:>9} {:>16} {:>16}\n", "method", "trainable", "weights", "grads",
               "optimizer", "activ. ckpt/no", "total ckpt/no");
    for (const auto& row : report.finetune) {
        const auto& c = row.checkpointed;
        const auto& n = row.not_checkpointed;
        fmt::print("  {:<6} {:>12} {:>9.1f} {:>9.1f} {:>9.1f} {:>7.1f} / {:<6.1f} {:>7.1f} / {:<6.1f} GiB\n",
                   plan::finetune_method_name(row.method), tokens_text(static_cast<double>(c.trainable_parameters)),
                   gib(c.weights_bytes), gib(c.gradients_bytes), gib(c.optimizer_bytes), gib(c.activations_bytes),
                   gib(n.activations_bytes), gib(c.per_device_bytes()), gib(n.per_device_bytes()));
        std::string fits;
        for (const auto& [gpu, devices] : row.devices_needed) {
            if (devices > 0) fits += fmt::format("{}{} × {}", fits.empty() ? "" : ", ", devices, gpu->display);
        }
        fmt::print("         fits (checkpointed): {}\n", fits.empty() ? "no single server in the catalog" : fits);
    }
    for (const auto& line : plan::describe_finetune_assumptions(report.finetune_setup)) fmt::print("  - {}\n", line);
}

void print_recommendations(const PlanReport& report) {
    if (!report.recommendations) return;
    const auto& r = *report.recommendations;
    fmt::print("\nrecommended (cheapest first; {} models below the minimum size; of {} configurations of the others "
               "{} do not fit, {} miss a speed target, {} are over budget)\n",
               r.too_small, r.considered, r.no_fit, r.too_slow, r.over_budget);
    if (r.best.empty()) fmt::print("  nothing meets every constraint; relax the budget, the size or the targets\n");
    for (std::size_t i = 0; i < r.best.size(); ++i) {
        for (std::size_t line = 0; line < r.best[i].reasons.size(); ++line) {
            fmt::print("  {} {}\n", line == 0 ? fmt::format("{}.", i + 1) : "  ", r.best[i].reasons[line]);
        }
    }
}

nlohmann::json serving_json(const HardwareOption& option, const plan::Workload& workload) {
    const auto& s = option.serving;
    nlohmann::json break_even = nlohmann::json::array();
    for (const auto& [api, tokens] : option.break_even) {
        break_even.push_back({{"api", api->label()}, {"tokens_per_month", tokens ? nlohmann::json(*tokens) : nlohmann::json()}});
    }
    nlohmann::json cost = {{"capex_usd", option.cost.capex_usd},
                           {"monthly_usd", option.cost.total()},
                           {"amortized_capex_usd", option.cost.amortized_capex},
                           {"power_usd", option.cost.power},
                           {"hosting_usd", option.cost.hosting},
                           {"staff_usd", option.cost.staff},
                           {"usd_per_million_tokens",
                            workload.given() ? nlohmann::json(option.cost.total() / (workload.monthly_tokens() / 1e6))
                                             : nlohmann::json()},
                           {"break_even", break_even}};
    return {{"accelerator", s.accelerator->name},
            {"display", s.accelerator->display},
            {"kind", s.accelerator->kind == plan::AcceleratorKind::Gpu ? "gpu" : "cpu"},
            {"devices_per_replica", s.devices},
            {"replicas", s.replicas},
            {"fits", s.fits},
            {"bytes_per_device", s.bytes_per_device},
            {"usable_bytes_per_device", s.usable_bytes_per_device},
            {"decode_tokens_per_second_single_stream", s.decode_single_stream},
            {"decode_tokens_per_second_per_stream", s.decode_per_stream},
            {"decode_tokens_per_second_total", s.decode_total},
            {"prefill_tokens_per_second", s.prefill_tokens_per_second},
            {"ttft_seconds", s.ttft_seconds},
            {"replica_requests_per_second", s.replica_requests_per_second},
            {"utilization", s.utilization},
            {"meets_ttft", s.meets_ttft},
            {"meets_stream_speed", s.meets_stream_speed},
            {"cost", cost}};
}

nlohmann::json model_json(const plan::ModelSpec& spec) {
    return {{"name", spec.name},
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
            {"n_experts_used", spec.n_experts_used}};
}

nlohmann::json finetune_json(const plan::FineTuneMemory& m) {
    return {{"trainable_parameters", m.trainable_parameters}, {"weights_bytes", m.weights_bytes},
            {"gradients_bytes", m.gradients_bytes},           {"optimizer_bytes", m.optimizer_bytes},
            {"activations_bytes", m.activations_bytes},       {"runtime_bytes", m.runtime_bytes},
            {"per_device_bytes_on_one", m.per_device_bytes()}};
}

nlohmann::json assumptions_json(const PlanReport& report) {
    nlohmann::json lines = nlohmann::json::array();
    for (const auto& line : plan::describe_assumptions(report.efficiency)) lines.push_back(line);
    for (const auto& line : plan::describe_assumptions(report.costs)) lines.push_back(line);
    return lines;
}

}  // namespace

void print_plan_table(const PlanReport& report) {
    if (report.model) {
        print_memory(*report.model, report.deployment, report.memory);
        print_workload(report.workload);
        print_hardware(report);
        print_apis(report);
        print_finetune(report);
    } else {
        print_workload(report.workload);
    }
    print_recommendations(report);
    fmt::print("\nassumptions (every figure above the memory table is an estimate)\n");
    for (const auto& line : plan::describe_assumptions(report.efficiency)) fmt::print("  - {}\n", line);
    for (const auto& line : plan::describe_assumptions(report.costs)) fmt::print("  - {}\n", line);
}

nlohmann::json plan_json(const PlanReport& report) {
    nlohmann::json out;
    out["deployment"] = {{"n_ctx", report.deployment.n_ctx},
                         {"n_parallel", report.deployment.n_parallel},
                         {"kv_cache_type", plan::kv_cache_type_name(report.deployment.kv_type)},
                         {"n_batch", report.deployment.n_batch},
                         {"threads", report.deployment.n_threads}};
    const auto& w = report.workload;
    out["workload"] = {{"requests_per_day", w.requests_per_day},
                       {"prompt_tokens", w.prompt_tokens},
                       {"output_tokens", w.output_tokens},
                       {"peak_factor", w.peak_factor},
                       {"peak_requests_per_second", w.peak_requests_per_second()},
                       {"monthly_input_tokens", w.monthly_input_tokens()},
                       {"monthly_output_tokens", w.monthly_output_tokens()},
                       {"ttft_target_seconds", w.ttft_target_seconds},
                       {"stream_tokens_per_second", w.stream_tokens_per_second}};
    if (report.model) {
        out["model"] = model_json(*report.model);
        out["memory"] = {{"weights_bytes", report.memory.weights_bytes},
                         {"kv_cache_bytes", report.memory.kv_cache_bytes},
                         {"compute_buffer_bytes", report.memory.compute_buffer_bytes},
                         {"runtime_overhead_bytes", report.memory.runtime_overhead_bytes},
                         {"total_bytes", report.memory.total_bytes()}};
        out["hardware"] = nlohmann::json::array();
        for (const auto& option : report.hardware) out["hardware"].push_back(serving_json(option, w));
        out["apis"] = nlohmann::json::array();
        for (const auto& api : report.api_prices->apis) {
            out["apis"].push_back({{"provider", api.provider},
                                   {"model", api.model},
                                   {"tier", api.tier},
                                   {"input_usd_per_mtok", api.input_usd_per_mtok},
                                   {"output_usd_per_mtok", api.output_usd_per_mtok},
                                   {"monthly_usd", w.given() ? nlohmann::json(api.cost_usd(w.monthly_input_tokens(),
                                                                                           w.monthly_output_tokens()))
                                                             : nlohmann::json()},
                                   {"date", api.date},
                                   {"source", api.source}});
        }
    }
    if (!report.finetune.empty()) {
        out["finetune"] = nlohmann::json::array();
        for (const auto& row : report.finetune) {
            nlohmann::json fits = nlohmann::json::array();
            for (const auto& [gpu, devices] : row.devices_needed) {
                fits.push_back({{"accelerator", gpu->name}, {"devices", devices}});
            }
            out["finetune"].push_back({{"method", plan::finetune_method_name(row.method)},
                                       {"checkpointed", finetune_json(row.checkpointed)},
                                       {"not_checkpointed", finetune_json(row.not_checkpointed)},
                                       {"devices_needed", fits}});
        }
    }
    if (report.recommendations) {
        const auto& summary = *report.recommendations;
        out["recommendation_summary"] = {{"models_below_minimum_size", summary.too_small},
                                         {"configurations_considered", summary.considered},
                                         {"do_not_fit", summary.no_fit},
                                         {"miss_a_speed_target", summary.too_slow},
                                         {"over_budget", summary.over_budget}};
        out["recommendations"] = nlohmann::json::array();
        for (const auto& r : report.recommendations->best) {
            out["recommendations"].push_back({{"model", r.model.name},
                                              {"quantization", r.model.quantization},
                                              {"accelerator", r.serving.accelerator->name},
                                              {"devices_per_replica", r.serving.devices},
                                              {"replicas", r.serving.replicas},
                                              {"monthly_usd", r.cost.total()},
                                              {"reasons", r.reasons}});
        }
    }
    out["assumptions"] = assumptions_json(report);
    return out;
}

}  // namespace inhouse::cli
