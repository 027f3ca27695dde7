// Bounds on what one render may cost. Templates come from model files, which are untrusted,
// and the data comes from requests: every loop, string and recursion is bounded by these.
#pragma once

#include <cstddef>
#include <cstdint>

namespace inhouse::chat::jinja {

struct RenderLimits {
    // Evaluation steps: one per expression node, statement and loop iteration, plus one per
    // 64 bytes of text and per list item that an operation builds.
    std::int64_t max_steps = 1'000'000;
    // Nested evaluation (expressions inside statements inside macro calls); bounds the
    // interpreter's stack use whatever the template does.
    int max_recursion_depth = 600;
    // Any one string, including the rendered output.
    std::size_t max_string_bytes = std::size_t{1} << 20;
    // Items in any one list built by the template; range() as in jinja2's sandbox.
    std::size_t max_list_items = 100'000;
};

}  // namespace inhouse::chat::jinja
