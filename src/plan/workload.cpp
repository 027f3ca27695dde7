#include "plan/workload.h"

#include <cmath>

namespace inhouse::plan {

Result<Workload> make_workload(const WorkloadVolume& volume, Workload shape) {
    const int given = (volume.requests_per_day > 0) + (volume.requests_per_second > 0) + (volume.tokens_per_month > 0);
    if (given > 1) {
        return make_error(ErrorCode::InvalidArgument,
                          "give the volume once: --requests-per-day, --requests-per-second or --tokens-per-month");
    }
    for (const double value : {volume.requests_per_day, volume.requests_per_second, volume.tokens_per_month,
                               shape.prompt_tokens, shape.output_tokens, shape.peak_factor, shape.ttft_target_seconds,
                               shape.stream_tokens_per_second}) {
        if (!std::isfinite(value) || value < 0) {
            return make_error(ErrorCode::InvalidArgument, "workload figures must be finite and not negative");
        }
    }
    if (shape.prompt_tokens + shape.output_tokens <= 0) {
        return make_error(ErrorCode::InvalidArgument, "a request needs prompt or output tokens");
    }
    if (shape.peak_factor < 1) return make_error(ErrorCode::InvalidArgument, "--peak-factor must be at least 1");
    if (volume.requests_per_day > 0) shape.requests_per_day = volume.requests_per_day;
    if (volume.requests_per_second > 0) shape.requests_per_day = volume.requests_per_second * 86400;
    if (volume.tokens_per_month > 0) {
        shape.requests_per_day = volume.tokens_per_month / kDaysPerMonth / (shape.prompt_tokens + shape.output_tokens);
    }
    return shape;
}

}  // namespace inhouse::plan
