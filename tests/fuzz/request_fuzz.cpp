// libFuzzer harness for the request parser and validator: the input is a request body, parsed
// as a chat completion and as a legacy completion, and what parses is validated as the server
// would (sampling::validate against a vocabulary). Requests come
// from anyone who reaches the port, so nothing may crash, hang or throw; checked: a refusal is a
// 4xx with a message whose JSON serializes, and what is accepted is within the documented ranges.
//   build/fuzz/tests/fuzz/request_fuzz -max_total_time=60 -dict=tests/fuzz/request.dict CORPUS tests/fuzz/request_seeds
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/check.h"
#include "sampling/sampling_params.h"
#include "server/openai_protocol.h"

namespace inhouse::server {
namespace {

constexpr std::int32_t kVocabulary = 49152;

void check_refusal(const ApiError& error) {
    INHOUSE_CHECK(error.status >= 400 && error.status < 500, "status {}", error.status);
    INHOUSE_CHECK(!error.message.empty(), "an error without a message");
    (void)error.to_json().dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

void check_options(const CompletionOptions& options) {
    INHOUSE_CHECK(options.n >= 1 && options.n <= kMaxChoices, "n = {}", options.n);
    const sampling::ValidationLimits limits{.max_stop_strings = 16, .max_stop_string_bytes = 256,
                                            .max_top_logprobs = kMaxTopLogprobs};
    const Status status = sampling::validate(options.params, kVocabulary, limits);
    if (status.ok()) {
        for (const auto& [id, bias] : options.params.logit_bias) {
            INHOUSE_CHECK(id >= 0 && id < kVocabulary, "logit_bias id {} passed validation", id);
            INHOUSE_CHECK(bias >= -100 && bias <= 100, "logit_bias value {} passed validation", bias);
        }
        INHOUSE_CHECK(options.params.stop.size() <= limits.max_stop_strings, "too many stop strings passed");
    } else {
        INHOUSE_CHECK(!status.error().message().empty(), "a validation error without a message");
    }
}

}  // namespace
}  // namespace inhouse::server

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace inhouse::server;
    const std::string_view body(reinterpret_cast<const char*>(data), size);
    auto chat = parse_chat_completion_request(body);
    if (chat.ok()) {
        check_options(chat.value().options);
        INHOUSE_CHECK(!chat.value().messages.empty(), "a chat request without messages parsed");
    } else {
        check_refusal(chat.error());
    }
    auto text = parse_text_completion_request(body);
    if (text.ok()) {
        check_options(text.value().options);
    } else {
        check_refusal(text.error());
    }
    return 0;
}
