// What a self-hosted configuration costs per month (hardware amortized, power, hosting, a share
// of an operator's time), what that makes a million tokens cost at the workload's volume, and
// where it breaks even with a hosted API that charges per token.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "plan/api_prices.h"
#include "plan/hardware_catalog.h"
#include "plan/serving_estimate.h"
#include "plan/workload.h"

namespace inhouse::plan {

struct CostAssumptions {
    double years = 3;                   // hardware amortized over
    double usd_per_kwh = 0.15;
    double pue = 1.4;                   // facility power over IT power
    double hosting_usd_per_server_month = 150;  // rack space, network (colocation)
    double staff_fte = 0.1;             // share of one operator's time per deployment
    double staff_usd_per_year = 150'000;
    double idle_power_share = 0.3;      // of TDP drawn when idle
};

struct MonthlyCost {
    int servers = 0;
    double capex_usd = 0;          // purchase, all replicas
    double amortized_capex = 0;
    double power = 0;              // at the workload's utilization
    double hosting = 0;
    double staff = 0;
    double total() const { return amortized_capex + power + hosting + staff; }

    // For the cost-against-volume line: what is paid at zero traffic per replica, and what
    // each token adds (the power above idle).
    double fixed_per_replica = 0;
    double usd_per_token = 0;
    double replica_tokens_per_month = 0;  // what one replica carries at full load
};

MonthlyCost monthly_cost(const ServingEstimate& estimate, const HardwareCatalog& catalog, const Workload& workload,
                         const CostAssumptions& assumptions);

// Self-hosted cost of `tokens` a month: as many replicas as the volume needs, each paying its
// fixed cost, plus power per token.
double self_hosted_cost_at(const MonthlyCost& cost, double tokens_per_month);

// An API's price per token for the workload's mix of input and output.
double blended_usd_per_token(const ApiPrice& api, const Workload& workload);

// The smallest monthly volume from which self-hosting is cheaper than the API and stays so
// (searching up to `max_tokens`), or nothing.
std::optional<double> break_even_tokens_per_month(const MonthlyCost& cost, const ApiPrice& api,
                                                  const Workload& workload, double max_tokens);

std::vector<std::string> describe_assumptions(const CostAssumptions& assumptions);

}  // namespace inhouse::plan
