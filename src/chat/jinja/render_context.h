// What filters, tests, built-in functions and methods may ask of the running interpreter:
// budget accounting, calling back into filters and tests by name, and calling values.
#pragma once

#include <cstdint>
#include <ctime>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "chat/jinja/limits.h"
#include "chat/jinja/value.h"
#include "core/result.h"

namespace inhouse::chat::jinja {

// Evaluated call arguments: f(positional…, name=keyword…).
struct CallValues {
    std::vector<Value> positional;
    std::vector<std::pair<std::string, Value>> keyword;
};

class RenderContext {
public:
    virtual ~RenderContext() = default;

    virtual const RenderLimits& limits() const = 0;
    // Spends evaluation steps; fails once the budget is gone.
    virtual Status charge_steps(std::int64_t n_steps) = 0;
    // Charges for building a string of this size and refuses one over the size limit.
    Status charge_string(std::size_t size_bytes);
    // Charges for building a list of this many items and refuses one over the item limit.
    Status charge_list(std::size_t n_items);

    virtual Result<Value> apply_filter(std::string_view name, const Value& input,
                                       const CallValues& arguments) = 0;
    virtual Result<bool> apply_test(std::string_view name, const Value& input,
                                    const CallValues& arguments) = 0;
    virtual Result<Value> call(const Value& callee, const CallValues& arguments) = 0;

    // The time strftime_now() reports; the caller fixes it so renders are reproducible.
    virtual const std::tm& now() const = 0;
    // Namespaces made during a render are emptied when it ends, which breaks any cycle a
    // template made by storing a namespace inside itself.
    virtual void track_namespace(const std::shared_ptr<NamespaceData>& data) = 0;
};

// Objects a template can call: macros, built-in functions, bound methods.
class Callable : public Object {
public:
    virtual Result<Value> call(RenderContext& context, const CallValues& arguments) const = 0;
};

// Objects with attributes of their own (the loop object).
class AttributeHolder : public Object {
public:
    // Undefined when there is no such attribute.
    virtual Value attribute(std::string_view name) const = 0;
};

// Binds call arguments to a Python-style signature: positional parameters in order, then by
// keyword, with Python's TypeError messages for extra or repeated arguments.
class BoundArguments {
public:
    static Result<BoundArguments> bind(std::string_view function_name, const CallValues& arguments,
                                       std::initializer_list<std::string_view> parameter_names);

    // The argument for a parameter, or nullptr when the caller left it out.
    const Value* find(std::string_view name) const;
    Value get_or(std::string_view name, Value fallback) const;

private:
    std::vector<std::pair<std::string_view, Value>> bound_;
};

}  // namespace inhouse::chat::jinja
