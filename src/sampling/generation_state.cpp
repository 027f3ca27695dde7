#include "sampling/generation_state.h"

#include <algorithm>

#include "core/check.h"

namespace inhouse::sampling {

std::string_view to_string(FinishReason reason) {
    switch (reason) {
        case FinishReason::Stop:
            return "stop";
        case FinishReason::Length:
            return "length";
    }
    return "unknown";
}

GenerationState::GenerationState(const SamplingParams& params)
    : max_tokens_(params.max_tokens), end_of_generation_ids_(params.end_of_generation_ids) {}

std::optional<FinishReason> GenerationState::add_token(TokenId id) {
    INHOUSE_CHECK(!is_finished(), "token {} added after the completion finished ({})", id,
                  to_string(*finish_reason_));
    ++n_tokens_generated_;
    if (is_end_of_generation(id)) {
        finish_reason_ = FinishReason::Stop;
    } else if (max_tokens_ && n_tokens_generated_ >= *max_tokens_) {
        finish_reason_ = FinishReason::Length;
    }
    return finish_reason_;
}

void GenerationState::stop() {
    if (!is_finished()) {
        finish_reason_ = FinishReason::Stop;
    }
}

bool GenerationState::is_end_of_generation(TokenId id) const {
    return std::find(end_of_generation_ids_.begin(), end_of_generation_ids_.end(), id) !=
           end_of_generation_ids_.end();
}

}  // namespace inhouse::sampling
