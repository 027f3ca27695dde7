// The traffic a deployment must carry: how many requests, how long their prompts and answers
// are, how bursty, and the latency people will accept. Given as requests per day or per
// second, or as tokens per month; everything the planner needs is derived from it.
#pragma once

#include "core/result.h"

namespace inhouse::plan {

inline constexpr double kDaysPerMonth = 365.25 / 12;
inline constexpr double kHoursPerMonth = kDaysPerMonth * 24;

struct Workload {
    double requests_per_day = 0;  // 0: no workload given (only single-stream figures)
    double prompt_tokens = 512;
    double output_tokens = 256;
    double peak_factor = 3;       // the busiest hour's rate over the day's average
    double ttft_target_seconds = 2;
    double stream_tokens_per_second = 10;  // the slowest decode a reader accepts per stream

    bool given() const { return requests_per_day > 0; }
    double monthly_input_tokens() const { return requests_per_day * kDaysPerMonth * prompt_tokens; }
    double monthly_output_tokens() const { return requests_per_day * kDaysPerMonth * output_tokens; }
    double monthly_tokens() const { return monthly_input_tokens() + monthly_output_tokens(); }
    double average_requests_per_second() const { return requests_per_day / 86400; }
    double peak_requests_per_second() const { return average_requests_per_second() * peak_factor; }
};

// The ways a user states the volume; at most one may be non-zero.
struct WorkloadVolume {
    double requests_per_day = 0;
    double requests_per_second = 0;  // the day's average
    double tokens_per_month = 0;     // prompt and output together
};

// Fills `workload.requests_per_day` from the one volume given; an error names conflicting or
// out-of-range values.
Result<Workload> make_workload(const WorkloadVolume& volume, Workload shape);

}  // namespace inhouse::plan
