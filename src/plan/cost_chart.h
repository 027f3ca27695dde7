// The slide a planning meeting needs: monthly cost against monthly token volume. Self-hosted
// options are staircases (fixed cost per replica, power per token), hosted APIs are lines
// through the origin, break-even points are marked, the workload's volume is a dashed line.
// Plain SVG 1.1, no scripts, no external references.
#pragma once

#include <string>
#include <vector>

#include "plan/api_prices.h"
#include "plan/cost_model.h"
#include "plan/workload.h"

namespace inhouse::plan {

struct SelfHostedSeries {
    std::string label;  // "2 × NVIDIA L40S"
    MonthlyCost cost;
};

std::string cost_chart_svg(const std::string& title, const std::vector<SelfHostedSeries>& self_hosted,
                           const std::vector<ApiPrice>& apis, const Workload& workload, double max_tokens_per_month);

}  // namespace inhouse::plan
