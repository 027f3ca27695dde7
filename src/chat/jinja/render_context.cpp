#include "chat/jinja/render_context.h"

#include <algorithm>

namespace inhouse::chat::jinja {

Status RenderContext::charge_string(std::size_t size_bytes) {
    if (size_bytes > limits().max_string_bytes) {
        return make_error(ErrorCode::Unsupported,
                          "string of {} bytes exceeds the template limit of {} bytes", size_bytes,
                          limits().max_string_bytes);
    }
    return charge_steps(static_cast<std::int64_t>(size_bytes / 64));
}

Status RenderContext::charge_list(std::size_t n_items) {
    if (n_items > limits().max_list_items) {
        return make_error(ErrorCode::Unsupported,
                          "list of {} items exceeds the template limit of {} items", n_items,
                          limits().max_list_items);
    }
    return charge_steps(static_cast<std::int64_t>(n_items));
}

Result<BoundArguments> BoundArguments::bind(
    std::string_view function_name, const CallValues& arguments,
    std::initializer_list<std::string_view> parameter_names) {
    BoundArguments bound;
    if (arguments.positional.size() > parameter_names.size()) {
        return make_error(ErrorCode::InvalidFormat, "{}() takes at most {} argument(s) ({} given)",
                          function_name, parameter_names.size(), arguments.positional.size());
    }
    auto name_it = parameter_names.begin();
    for (const Value& value : arguments.positional) {
        bound.bound_.emplace_back(*name_it++, value);
    }
    for (const auto& [keyword, value] : arguments.keyword) {
        auto parameter = std::find(parameter_names.begin(), parameter_names.end(), keyword);
        if (parameter == parameter_names.end()) {
            return make_error(ErrorCode::InvalidFormat,
                              "{}() got an unexpected keyword argument '{}'", function_name,
                              keyword);
        }
        if (bound.find(keyword) != nullptr) {
            return make_error(ErrorCode::InvalidFormat,
                              "{}() got multiple values for argument '{}'", function_name, keyword);
        }
        bound.bound_.emplace_back(*parameter, value);
    }
    return bound;
}

const Value* BoundArguments::find(std::string_view name) const {
    for (const auto& [parameter, value] : bound_) {
        if (parameter == name) {
            return &value;
        }
    }
    return nullptr;
}

Value BoundArguments::get_or(std::string_view name, Value fallback) const {
    const Value* value = find(name);
    return value ? *value : std::move(fallback);
}

}  // namespace inhouse::chat::jinja
