#include "plan/recommend.h"

#include <algorithm>
#include <fmt/format.h>
#include <map>

namespace inhouse::plan {

namespace {

constexpr double kGiB = 1024.0 * 1024.0 * 1024.0;

std::string hardware_label(const ServingEstimate& serving) {
    const std::string replicas = serving.replicas > 1 ? fmt::format("{} replicas of ", serving.replicas) : "";
    if (serving.accelerator->kind == AcceleratorKind::Cpu) return replicas + serving.accelerator->display;
    return fmt::format("{}{} × {}", replicas, serving.devices, serving.accelerator->display);
}

std::vector<std::string> reasons_for(const Recommendation& r, const Workload& workload) {
    const ServingEstimate& s = r.serving;
    std::vector<std::string> reasons = {
        fmt::format("{} on {}", r.model.name + " " + r.model.quantization, hardware_label(s)),
        fmt::format("fits: {:.1f} of {:.1f} GiB usable per device ({} × {} tokens of context)", s.bytes_per_device / kGiB,
                    s.usable_bytes_per_device / kGiB, r.deployment.n_parallel, r.deployment.n_ctx),
        fmt::format("decode {:.0f} tokens/s per stream with {} streams ({:.0f} in all); alone {:.0f}",
                    s.decode_per_stream, r.deployment.n_parallel, s.decode_total, s.decode_single_stream),
    };
    if (workload.given()) {
        reasons.push_back(fmt::format("time to first token {:.2f} s for {:g} prompt tokens (target {:g} s); "
                                      "{:.2f} requests/s at peak need {} replica(s) of {:.2f}",
                                      s.ttft_seconds, workload.prompt_tokens, workload.ttft_target_seconds,
                                      workload.peak_requests_per_second(), s.replicas, s.replica_requests_per_second));
        reasons.push_back(fmt::format("${:.0f} a month = ${:.2f} per million tokens at {:.0f}% utilization",
                                      r.cost.total(), r.cost.total() / (workload.monthly_tokens() / 1e6),
                                      s.utilization * 100));
    } else {
        reasons.push_back(fmt::format("${:.0f} a month (hardware ${:.0f} over the amortization period)", r.cost.total(),
                                      r.cost.capex_usd));
    }
    return reasons;
}

}  // namespace

std::string model_tier(const ModelSpec& model) {
    const double billions = static_cast<double>(model.parameter_count()) / 1e9;
    if (billions >= 40) return "large";
    if (billions >= 10) return "medium";
    return "small";
}

RecommendationResult recommend(const std::vector<ModelSpec>& candidates, const Deployment& deployment,
                               const HardwareCatalog& hardware, const Workload& workload, const Constraints& constraints,
                               const CostAssumptions& costs, const EfficiencyAssumptions& efficiency,
                               std::size_t limit) {
    RecommendationResult result;
    Deployment serving_deployment = deployment;
    if (constraints.users > 0) serving_deployment.n_parallel = constraints.users;
    std::vector<Recommendation> passing;
    for (const auto& model : candidates) {
        if (static_cast<double>(model.parameter_count()) < constraints.min_parameters_billion * 1e9) {
            ++result.too_small;
            continue;
        }
        for (const auto& serving : estimate_on_catalog(model, serving_deployment, hardware, workload, efficiency)) {
            ++result.considered;
            if (!serving.fits) {
                ++result.no_fit;
                continue;
            }
            const bool fast_enough = serving.meets_targets() &&
                                     (workload.given() || serving.decode_per_stream >= workload.stream_tokens_per_second);
            if (!fast_enough) {
                ++result.too_slow;
                continue;
            }
            Recommendation r{.model = model, .deployment = serving_deployment, .serving = serving,
                             .cost = monthly_cost(serving, hardware, workload, costs), .reasons = {}};
            if (constraints.budget_usd_per_month > 0 && r.cost.total() > constraints.budget_usd_per_month) {
                ++result.over_budget;
                continue;
            }
            passing.push_back(std::move(r));
        }
    }
    std::stable_sort(passing.begin(), passing.end(), [](const Recommendation& a, const Recommendation& b) {
        return a.cost.total() < b.cost.total();
    });
    // The cheapest, at most two per model so the list shows alternatives.
    std::map<std::string, int> per_model;
    for (auto& r : passing) {
        if (result.best.size() >= limit) break;
        if (++per_model[r.model.name] > 2) continue;
        r.reasons = reasons_for(r, workload);
        result.best.push_back(std::move(r));
    }
    return result;
}

}  // namespace inhouse::plan
