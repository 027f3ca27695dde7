// The Python methods templates may call on strings, lists and dicts
// ("text".strip(), message.get("content"), tool.items()): the whitelist the sandbox allows,
// with methods that would modify a list or dict refused, as ImmutableSandboxedEnvironment does.
#pragma once

#include <string_view>

#include "chat/jinja/render_context.h"
#include "chat/jinja/value.h"

namespace inhouse::chat::jinja {

enum class MethodLookup {
    NotAMethod,
    Allowed,
    Mutating,  // a real method the sandbox refuses (list.append, dict.update, …)
};

// Whether `name` is a Python method of the receiver's type (str, list, tuple or dict).
MethodLookup find_method(const Value& receiver, std::string_view name);

// A callable object for receiver.name; name must be an Allowed method of the receiver.
Value bind_method(const Value& receiver, std::string_view name);

// Runs text.method(arguments) for an Allowed str method (string_methods.cpp).
Result<Value> call_string_method(RenderContext& context, const std::string& text,
                                 std::string_view method, const CallValues& arguments);

}  // namespace inhouse::chat::jinja
