// GenerationState: the token-level bookkeeping that decides when a completion ends and why
// (OpenAI's finish_reason). Stop strings are matched on text by StopStringMatcher; the engine
// reports such a match here with stop().
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "sampling/sampling_params.h"

namespace inhouse::sampling {

enum class FinishReason : std::uint8_t {
    Stop,    // an end-of-generation token or a stop string
    Length,  // max_tokens reached
};

// "stop" or "length", as the OpenAI API spells them.
std::string_view to_string(FinishReason reason);

class GenerationState {
public:
    // Uses params.max_tokens (nullopt: no limit here; the engine applies the context length)
    // and params.end_of_generation_ids.
    explicit GenerationState(const SamplingParams& params);

    // Records one generated token. Returns the finish reason when the completion ends with it:
    // Stop for an end-of-generation token (which ends the text and has none of its own), else
    // Length when it is the max_tokens-th token. Every token counts toward max_tokens, the
    // end-of-generation one included, as in OpenAI's usage. Precondition: not finished.
    std::optional<FinishReason> add_token(TokenId id);

    // A stop string matched in the text: the completion ends with Stop (unless already ended).
    void stop();

    bool is_end_of_generation(TokenId id) const;
    bool is_finished() const { return finish_reason_.has_value(); }
    std::optional<FinishReason> finish_reason() const { return finish_reason_; }
    std::int32_t n_tokens_generated() const { return n_tokens_generated_; }

private:
    std::optional<std::int32_t> max_tokens_;
    std::vector<TokenId> end_of_generation_ids_;
    std::int32_t n_tokens_generated_ = 0;
    std::optional<FinishReason> finish_reason_;
};

}  // namespace inhouse::sampling
