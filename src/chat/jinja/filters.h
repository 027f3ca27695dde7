// jinja2's built-in filters and tests that chat templates use, with jinja2's argument
// names and results, plus transformers' tojson. Text and number filters live in filters.cpp,
// list and dict filters in sequence_filters.cpp, tests in test_functions.cpp.
#pragma once

#include <string_view>

#include "chat/jinja/render_context.h"
#include "chat/jinja/value.h"
#include "core/result.h"

namespace inhouse::chat::jinja {

using FilterFunction = Result<Value> (*)(RenderContext& context, const Value& input,
                                         const CallValues& arguments);
using TestFunction = Result<bool> (*)(RenderContext& context, const Value& input,
                                      const CallValues& arguments);

// nullptr when there is no filter or test of that name.
const FilterFunction* find_filter(std::string_view name);
const TestFunction* find_test(std::string_view name);

// Filter implementations by family, for the registry in filters.cpp.
namespace filters {
Result<Value> length(RenderContext& context, const Value& input, const CallValues& arguments);
Result<Value> first(RenderContext& context, const Value& input, const CallValues& arguments);
Result<Value> last(RenderContext& context, const Value& input, const CallValues& arguments);
Result<Value> list(RenderContext& context, const Value& input, const CallValues& arguments);
Result<Value> join(RenderContext& context, const Value& input, const CallValues& arguments);
Result<Value> reverse(RenderContext& context, const Value& input, const CallValues& arguments);
Result<Value> sort(RenderContext& context, const Value& input, const CallValues& arguments);
Result<Value> dictsort(RenderContext& context, const Value& input, const CallValues& arguments);
Result<Value> unique(RenderContext& context, const Value& input, const CallValues& arguments);
Result<Value> min(RenderContext& context, const Value& input, const CallValues& arguments);
Result<Value> max(RenderContext& context, const Value& input, const CallValues& arguments);
Result<Value> sum(RenderContext& context, const Value& input, const CallValues& arguments);
Result<Value> map(RenderContext& context, const Value& input, const CallValues& arguments);
Result<Value> select(RenderContext& context, const Value& input, const CallValues& arguments);
Result<Value> reject(RenderContext& context, const Value& input, const CallValues& arguments);
Result<Value> selectattr(RenderContext& context, const Value& input, const CallValues& arguments);
Result<Value> rejectattr(RenderContext& context, const Value& input, const CallValues& arguments);
Result<Value> items(RenderContext& context, const Value& input, const CallValues& arguments);
Result<Value> batch(RenderContext& context, const Value& input, const CallValues& arguments);
}  // namespace filters

}  // namespace inhouse::chat::jinja
