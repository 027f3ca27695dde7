// What `inhouse plan` found, gathered once and printed as a table or as JSON
// (docs/plan-json.md).
#pragma once

#include <optional>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "plan/api_prices.h"
#include "plan/cost_model.h"
#include "plan/finetune_memory.h"
#include "plan/hardware_catalog.h"
#include "plan/memory_model.h"
#include "plan/model_spec.h"
#include "plan/recommend.h"
#include "plan/serving_estimate.h"
#include "plan/workload.h"

namespace inhouse::cli {

struct HardwareOption {
    plan::ServingEstimate serving;
    plan::MonthlyCost cost;
    std::vector<std::pair<const plan::ApiPrice*, std::optional<double>>> break_even;  // tokens per month
};

struct FineTuneRow {
    plan::FineTuneMethod method = plan::FineTuneMethod::Full;
    plan::FineTuneMemory checkpointed;
    plan::FineTuneMemory not_checkpointed;
    std::vector<std::pair<const plan::Accelerator*, int>> devices_needed;  // 0: does not fit one server
};

struct PlanReport {
    std::optional<plan::ModelSpec> model;  // absent for a recommendation over the catalog
    plan::Deployment deployment;
    plan::MemoryBreakdown memory;
    plan::Workload workload;
    const plan::HardwareCatalog* hardware_catalog = nullptr;
    const plan::ApiPriceCatalog* api_prices = nullptr;
    std::vector<HardwareOption> hardware;
    std::vector<FineTuneRow> finetune;
    plan::FineTuneSetup finetune_setup;
    std::optional<plan::RecommendationResult> recommendations;
    plan::CostAssumptions costs;
    plan::EfficiencyAssumptions efficiency;
};

void print_plan_table(const PlanReport& report);
nlohmann::json plan_json(const PlanReport& report);

}  // namespace inhouse::cli
