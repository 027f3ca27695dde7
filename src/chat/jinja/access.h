// Attribute access, subscripts, slices and iteration with the semantics of jinja2's
// sandbox: obj.name and obj[key] never reach anything but dict keys, list items, the
// whitelisted methods of str, list and dict, and template objects' own attributes.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "chat/jinja/render_context.h"
#include "chat/jinja/value.h"
#include "core/result.h"

namespace inhouse::chat::jinja {

// obj.name. A missing attribute is undefined; an attribute of undefined is an error, as in
// jinja2. Names starting with an underscore are refused (undefined whose use is an error).
Result<Value> get_attribute(const Value& object, std::string_view name);

// obj[key]. Out-of-range indices and missing keys are undefined; subscripting undefined is
// an error.
Result<Value> get_item(RenderContext& context, const Value& object, const Value& key);

// obj[start:stop:step] on strings, lists and tuples, with Python's index rules; each bound
// may be none or undefined (meaning absent).
Result<Value> get_slice(RenderContext& context, const Value& object, const Value& start,
                        const Value& stop, const Value& step);

// Python's iter(): list and tuple items, dict keys, the characters of a string; undefined
// iterates as empty. Other values are not iterable.
Result<std::vector<Value>> iterate(const Value& value);

// Python's len(); undefined has length 0.
Result<std::int64_t> python_length(const Value& value);

// The characters of a string, each as a one-character string.
std::vector<Value> string_characters(const std::string& text);

}  // namespace inhouse::chat::jinja
