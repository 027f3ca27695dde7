#include "plan/cost_model.h"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>

namespace inhouse::plan {

namespace {

// One replica's purchase price and idle power: a CPU server is one box; GPUs go into a host.
struct ReplicaHardware {
    double price = 0;
    double device_watts = 0;  // at full load
    double host_watts = 0;    // always drawn
};

ReplicaHardware replica_hardware(const ServingEstimate& estimate, const HardwareCatalog& catalog) {
    const Accelerator& accelerator = *estimate.accelerator;
    if (accelerator.kind == AcceleratorKind::Cpu) {
        return {.price = accelerator.price_usd, .device_watts = accelerator.tdp_watts, .host_watts = 0};
    }
    ReplicaHardware hardware{.price = accelerator.price_usd * estimate.devices,
                             .device_watts = accelerator.tdp_watts * estimate.devices};
    if (const HostServer* host = catalog.host_for(accelerator, estimate.devices)) {
        hardware.price += host->price_usd;
        hardware.host_watts = host->idle_watts;
    }
    return hardware;
}

double energy_usd(double watts, const CostAssumptions& a) {
    return watts / 1000 * a.pue * kHoursPerMonth * a.usd_per_kwh;
}

}  // namespace

MonthlyCost monthly_cost(const ServingEstimate& estimate, const HardwareCatalog& catalog, const Workload& workload,
                         const CostAssumptions& a) {
    const ReplicaHardware hardware = replica_hardware(estimate, catalog);
    MonthlyCost cost;
    cost.servers = estimate.replicas;
    cost.capex_usd = hardware.price * estimate.replicas;
    cost.amortized_capex = cost.capex_usd / (a.years * 12);
    const double idle_watts = hardware.device_watts * a.idle_power_share + hardware.host_watts;
    const double busy_watts = hardware.device_watts * (1 - a.idle_power_share);
    const double utilization = std::clamp(estimate.utilization, 0.0, 1.0);
    cost.power = energy_usd(idle_watts + busy_watts * utilization, a) * estimate.replicas;
    cost.hosting = a.hosting_usd_per_server_month * estimate.replicas;
    cost.staff = a.staff_fte * a.staff_usd_per_year / 12;

    cost.fixed_per_replica = hardware.price / (a.years * 12) + energy_usd(idle_watts, a) + a.hosting_usd_per_server_month;
    const double tokens_per_request = workload.prompt_tokens + workload.output_tokens;
    cost.replica_tokens_per_month =
        estimate.replica_requests_per_second * tokens_per_request * kHoursPerMonth * 3600;
    cost.usd_per_token = cost.replica_tokens_per_month > 0 ? energy_usd(busy_watts, a) / cost.replica_tokens_per_month : 0;
    return cost;
}

double self_hosted_cost_at(const MonthlyCost& cost, double tokens_per_month) {
    const double replicas =
        std::max(1.0, std::ceil(tokens_per_month / std::max(1.0, cost.replica_tokens_per_month)));
    return replicas * cost.fixed_per_replica + cost.staff + cost.usd_per_token * tokens_per_month;
}

double blended_usd_per_token(const ApiPrice& api, const Workload& workload) {
    const double total = workload.prompt_tokens + workload.output_tokens;
    return api.cost_usd(workload.prompt_tokens, workload.output_tokens) / total;
}

std::optional<double> break_even_tokens_per_month(const MonthlyCost& cost, const ApiPrice& api,
                                                  const Workload& workload, double max_tokens) {
    const double api_per_token = blended_usd_per_token(api, workload);
    if (api_per_token <= cost.usd_per_token) return std::nullopt;
    // Self-hosting is a staircase (a replica per capacity step) under a line through the
    // origin: the first volume past which the API stays dearer is where the API line crosses
    // the last step it ever crosses. Each step's crossing is solved exactly.
    std::optional<double> crossing;
    const double step = std::max(1.0, cost.replica_tokens_per_month);
    for (double replicas = 1; (replicas - 1) * step < max_tokens && replicas < 1e6; ++replicas) {
        const double lower = (replicas - 1) * step;
        const double volume = (replicas * cost.fixed_per_replica + cost.staff) / (api_per_token - cost.usd_per_token);
        if (volume >= replicas * step) {
            crossing.reset();  // the API stays cheaper through this whole step
        } else if (volume > lower || !crossing) {
            crossing = std::max(volume, lower);  // cheaper from here to the end of the step
        }
    }
    if (crossing && *crossing > max_tokens) return std::nullopt;
    return crossing;
}

std::vector<std::string> describe_assumptions(const CostAssumptions& a) {
    return {
        fmt::format("hardware amortized over {:g} years, no resale value; hosting ${:g} per server per month",
                    a.years, a.hosting_usd_per_server_month),
        fmt::format("power: TDP × ({:.0f}% idle + the rest × utilization) × PUE {:g} × ${:g}/kWh", a.idle_power_share * 100,
                    a.pue, a.usd_per_kwh),
        fmt::format("operations: {:g} of an operator at ${:g} a year", a.staff_fte, a.staff_usd_per_year),
    };
}

}  // namespace inhouse::plan
