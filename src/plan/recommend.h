// `inhouse plan --recommend`: the cheapest configurations (model, quantization, hardware,
// replicas) that meet a team's constraints, each with the reasons it qualifies.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "plan/cost_model.h"
#include "plan/hardware_catalog.h"
#include "plan/memory_model.h"
#include "plan/model_spec.h"
#include "plan/serving_estimate.h"
#include "plan/workload.h"

namespace inhouse::plan {

struct Constraints {
    double budget_usd_per_month = 0;  // 0: no limit
    double min_parameters_billion = 7;  // a useful assistant; 0 allows any size
    std::int64_t users = 0;           // concurrent streams; 0: the deployment's n_parallel
};

// "small" (< 10 B parameters), "medium" (10-40 B), "large" (40 B and more).
std::string model_tier(const ModelSpec& model);

struct Recommendation {
    ModelSpec model;
    Deployment deployment;
    ServingEstimate serving;
    MonthlyCost cost;
    std::vector<std::string> reasons;
};

struct RecommendationResult {
    std::vector<Recommendation> best;  // cheapest first
    int too_small = 0;   // candidate models below the minimum size
    int considered = 0;  // configurations of the others (model × hardware)
    int no_fit = 0;
    int too_slow = 0;
    int over_budget = 0;
};

RecommendationResult recommend(const std::vector<ModelSpec>& candidates, const Deployment& deployment,
                               const HardwareCatalog& hardware, const Workload& workload, const Constraints& constraints,
                               const CostAssumptions& costs, const EfficiencyAssumptions& efficiency,
                               std::size_t limit = 5);

}  // namespace inhouse::plan
