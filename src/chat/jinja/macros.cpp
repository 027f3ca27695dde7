#include "chat/jinja/macros.h"

#include <algorithm>

#include "chat/jinja/python_ops.h"

namespace inhouse::chat::jinja {

namespace {

class MacroObject final : public Callable {
public:
    MacroObject(Interpreter& interpreter, const Statement& definition, std::string name,
                const std::shared_ptr<Scope>& scope)
        : interpreter_(interpreter),
          definition_(definition),
          name_(std::move(name)),
          scope_(scope) {}

    std::string type_name() const override { return "Macro"; }
    std::string repr() const override { return fmt::format("<Macro {}>", repr_string(name_)); }

    Result<Value> call(RenderContext& context, const CallValues& arguments) const override {
        INHOUSE_RETURN_IF_ERROR(context.charge_steps(1));
        // A macro kept past its defining loop falls back to the template's top level.
        std::shared_ptr<Scope> parent = scope_.lock();
        auto scope = std::make_shared<Scope>();
        scope->parent = parent ? parent : interpreter_.root_scope();
        INHOUSE_RETURN_IF_ERROR(bind_arguments(arguments, scope));
        std::string out;
        INHOUSE_RETURN_IF_ERROR(interpreter_.render_body(definition_.body, scope, out));
        return Value::string(std::move(out));
    }

private:
    Status bind_arguments(const CallValues& arguments, const std::shared_ptr<Scope>& scope) const {
        const auto& parameters = definition_.parameters;
        if (arguments.positional.size() > parameters.size() && !definition_.uses_varargs) {
            return make_error(ErrorCode::InvalidFormat,
                              "macro {} takes not more than {} argument(s)", repr_string(name_),
                              parameters.size());
        }
        std::vector<std::pair<std::string, Value>> keywords = arguments.keyword;
        auto take_keyword = [&](std::string_view name) -> std::optional<Value> {
            auto it = std::find_if(keywords.begin(), keywords.end(),
                                   [&](const auto& entry) { return entry.first == name; });
            if (it == keywords.end()) {
                return std::nullopt;
            }
            std::optional<Value> found(std::in_place, it->second);
            keywords.erase(it);
            return found;
        };
        for (std::size_t index = 0; index < parameters.size(); ++index) {
            const MacroParameter& parameter = parameters[index];
            if (index < arguments.positional.size()) {
                scope->set(parameter.name, arguments.positional[index]);
            } else if (std::optional<Value> keyword = take_keyword(parameter.name)) {
                scope->set(parameter.name, std::move(*keyword));
            } else if (parameter.default_value) {
                // Defaults are evaluated at call time and may use earlier parameters.
                INHOUSE_ASSIGN_OR_RETURN(
                    Value value, interpreter_.evaluate_expression(*parameter.default_value, scope));
                scope->set(parameter.name, std::move(value));
            } else {
                scope->set(parameter.name,
                           Value::undefined(fmt::format("parameter {} was not provided",
                                                        repr_string(parameter.name))));
            }
        }
        if (definition_.uses_caller) {
            std::optional<Value> caller = take_keyword("caller");
            scope->set("caller",
                       caller ? std::move(*caller) : Value::undefined("No caller defined"));
        }
        if (definition_.uses_kwargs) {
            std::vector<std::pair<Value, Value>> entries;
            for (auto& [name, value] : keywords) {
                entries.emplace_back(Value::string(name), std::move(value));
            }
            scope->set("kwargs", Value::dict(std::move(entries)));
        } else if (!keywords.empty()) {
            if (keywords.front().first == "caller") {
                return make_error(ErrorCode::InvalidFormat,
                                  "macro {} was invoked with two values for the special caller "
                                  "argument. This is most likely a bug.",
                                  repr_string(name_));
            }
            return make_error(ErrorCode::InvalidFormat, "macro {} takes no keyword argument {}",
                              repr_string(name_), repr_string(keywords.front().first));
        }
        if (definition_.uses_varargs) {
            std::vector<Value> extra;
            for (std::size_t index = parameters.size(); index < arguments.positional.size();
                 ++index) {
                extra.push_back(arguments.positional[index]);
            }
            scope->set("varargs", Value::tuple(std::move(extra)));
        }
        return {};
    }

    Interpreter& interpreter_;
    const Statement& definition_;
    std::string name_;
    std::weak_ptr<Scope> scope_;
};

}  // namespace

Value make_macro(Interpreter& interpreter, const Statement& definition,
                 const std::shared_ptr<Scope>& scope) {
    return Value::object(
        std::make_shared<MacroObject>(interpreter, definition, definition.name, scope));
}

Value make_caller(Interpreter& interpreter, const Statement& call_block,
                  const std::shared_ptr<Scope>& scope) {
    return Value::object(std::make_shared<MacroObject>(interpreter, call_block, "caller", scope));
}

}  // namespace inhouse::chat::jinja
