#include "sampling/sampling_params.h"

#include <cmath>
#include <utility>

namespace inhouse::sampling {

namespace {

// A field outside its range: the message names the field, the range and the value received.
template <typename... Args>
Error invalid(fmt::format_string<Args...> format, Args&&... args) {
    return make_error(ErrorCode::InvalidArgument, format, std::forward<Args>(args)...);
}

// OpenAI's range for presence_penalty and frequency_penalty.
constexpr float kMaxAbsOpenAiPenalty = 2.0f;
constexpr float kMaxAbsBias = 100.0f;

Status validate_truncation(const SamplingParams& params) {
    // `!(x >= 0)` rather than `x < 0` so that NaN is refused too.
    if (!(params.temperature >= 0.0f) || std::isinf(params.temperature)) {
        return invalid("temperature must be a finite number >= 0, got {}", params.temperature);
    }
    if (params.top_k < 0) {
        return invalid("top_k must be >= 0 (0 turns it off), got {}", params.top_k);
    }
    if (!(params.top_p > 0.0f && params.top_p <= 1.0f)) {
        return invalid("top_p must be in (0, 1] (1 turns it off), got {}", params.top_p);
    }
    if (!(params.min_p >= 0.0f && params.min_p <= 1.0f)) {
        return invalid("min_p must be in [0, 1] (0 turns it off), got {}", params.min_p);
    }
    return {};
}

Status validate_penalties(const SamplingParams& params) {
    if (!(params.repetition_penalty > 0.0f) || std::isinf(params.repetition_penalty)) {
        return invalid("repetition_penalty must be a finite number > 0 (1 turns it off), got {}",
                       params.repetition_penalty);
    }
    if (params.penalty_last_n < -1) {
        return invalid("penalty_last_n must be >= -1 (-1 = every context token, 0 = none), got {}",
                       params.penalty_last_n);
    }
    const std::pair<const char*, float> openai_penalties[] = {
        {"presence_penalty", params.presence_penalty},
        {"frequency_penalty", params.frequency_penalty},
    };
    for (const auto& [name, value] : openai_penalties) {
        if (!(std::fabs(value) <= kMaxAbsOpenAiPenalty)) {
            return invalid("{} must be in [-2, 2], got {}", name, value);
        }
    }
    return {};
}

Status validate_token_ids(const SamplingParams& params, std::int32_t n_vocab) {
    for (const auto& [id, bias] : params.logit_bias) {
        if (id < 0 || id >= n_vocab) {
            return invalid("logit_bias: token id {} is outside the vocabulary [0, {})", id,
                           n_vocab);
        }
        if (!(std::fabs(bias) <= kMaxAbsBias)) {
            return invalid("logit_bias: the bias of token {} must be in [-100, 100], got {}", id,
                           bias);
        }
    }
    for (const TokenId id : params.end_of_generation_ids) {
        if (id < 0 || id >= n_vocab) {
            return invalid("end-of-generation token id {} is outside the vocabulary [0, {})", id,
                           n_vocab);
        }
    }
    return {};
}

Status validate_output(const SamplingParams& params, const ValidationLimits& limits) {
    if (params.top_logprobs < 0 || params.top_logprobs > limits.max_top_logprobs) {
        return invalid("top_logprobs must be in [0, {}], got {}", limits.max_top_logprobs,
                       params.top_logprobs);
    }
    if (params.top_logprobs > 0 && !params.logprobs) {
        return invalid("top_logprobs ({}) needs logprobs set to true", params.top_logprobs);
    }
    if (params.max_tokens && *params.max_tokens < 1) {
        return invalid("max_tokens must be >= 1, got {}", *params.max_tokens);
    }
    if (params.stop.size() > limits.max_stop_strings) {
        return invalid("stop: at most {} stop strings are allowed, got {}", limits.max_stop_strings,
                       params.stop.size());
    }
    for (std::size_t index = 0; index < params.stop.size(); ++index) {
        const std::string& stop = params.stop[index];
        if (stop.empty()) {
            return invalid("stop[{}] is empty; it would match before any text", index);
        }
        if (stop.size() > limits.max_stop_string_bytes) {
            return invalid("stop[{}] is {} bytes long; the limit is {} bytes", index, stop.size(),
                           limits.max_stop_string_bytes);
        }
    }
    return {};
}

}  // namespace

Status validate(const SamplingParams& params, std::int32_t n_vocab,
                const ValidationLimits& limits) {
    if (n_vocab <= 0) {
        return invalid("the model's vocabulary is empty (n_vocab = {})", n_vocab);
    }
    INHOUSE_RETURN_IF_ERROR(validate_truncation(params));
    INHOUSE_RETURN_IF_ERROR(validate_penalties(params));
    INHOUSE_RETURN_IF_ERROR(validate_token_ids(params, n_vocab));
    INHOUSE_RETURN_IF_ERROR(validate_output(params, limits));
    return {};
}

}  // namespace inhouse::sampling
