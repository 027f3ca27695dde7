#include "chat/jinja/interpreter.h"

#include "chat/jinja/access.h"
#include "chat/jinja/builtins.h"
#include "chat/jinja/filters.h"
#include "chat/jinja/loop_object.h"
#include "chat/jinja/macros.h"
#include "chat/jinja/python_ops.h"
#include "chat/jinja/source_location.h"

namespace inhouse::chat::jinja {

const Value* Scope::find(std::string_view name) const {
    for (const Scope* scope = this; scope != nullptr; scope = scope->parent.get()) {
        for (const auto& [variable, value] : scope->variables) {
            if (variable == name) {
                return &value;
            }
        }
    }
    return nullptr;
}

void Scope::set(std::string_view name, Value value) {
    for (auto& [variable, existing] : variables) {
        if (variable == name) {
            existing = std::move(value);
            return;
        }
    }
    variables.emplace_back(std::string(name), std::move(value));
}

Interpreter::~Interpreter() {
    // Break reference cycles made through namespaces ({% set ns.self = ns %}).
    for (const auto& weak : namespaces_) {
        if (auto data = weak.lock()) {
            data->attributes.clear();
        }
    }
}

Result<std::string> Interpreter::render(
    const Body& body, const std::vector<std::pair<std::string, Value>>& variables) {
    auto globals = std::make_shared<Scope>();
    for (auto& [name, value] : builtin_globals()) {
        globals->set(name, std::move(value));
    }
    root_scope_ = std::make_shared<Scope>();
    root_scope_->parent = globals;
    for (const auto& [name, value] : variables) {
        root_scope_->set(name, value);
    }
    std::string out;
    INHOUSE_RETURN_IF_ERROR(render_body(body, root_scope_, out));
    return out;
}

Status Interpreter::render_body(const Body& body, const std::shared_ptr<Scope>& scope,
                                std::string& out) {
    INHOUSE_ASSIGN_OR_RETURN(Flow flow, execute_body(body, scope, out));
    (void)flow;  // the parser allows break and continue only inside loops
    return {};
}

Status Interpreter::charge_steps(std::int64_t n_steps) {
    n_steps_ += n_steps;
    if (n_steps_ > limits_.max_steps) {
        return make_error(ErrorCode::Unsupported,
                          "template exceeded its budget of {} evaluation steps", limits_.max_steps);
    }
    return {};
}

void Interpreter::track_namespace(const std::shared_ptr<NamespaceData>& data) {
    namespaces_.push_back(data);
}

Status Interpreter::enter(SourceLocation location) {
    if (recursion_depth_ > limits_.max_recursion_depth) {
        return template_error(
            ErrorCode::Unsupported, template_name_, location,
            fmt::format("template recursion deeper than {} levels", limits_.max_recursion_depth));
    }
    return charge_steps(1);
}

Error Interpreter::locate(Error error, SourceLocation location) const {
    if (std::string_view(error.message()).starts_with(template_name_ + " line ")) {
        return error;
    }
    return template_error(error.code(), template_name_, location, error.message());
}

Error Interpreter::fail(SourceLocation location, std::string_view message) const {
    return template_error(ErrorCode::InvalidFormat, template_name_, location, message);
}

Status Interpreter::append_output(std::string& out, std::string_view text) {
    if (out.size() + text.size() > limits_.max_string_bytes) {
        return make_error(ErrorCode::Unsupported, "template output exceeds the limit of {} bytes",
                          limits_.max_string_bytes);
    }
    out += text;
    return charge_steps(static_cast<std::int64_t>(text.size() / 64));
}

Result<Interpreter::Flow> Interpreter::execute_body(const Body& body,
                                                    const std::shared_ptr<Scope>& scope,
                                                    std::string& out) {
    for (const auto& statement : body) {
        INHOUSE_ASSIGN_OR_RETURN(Flow flow, execute(*statement, scope, out));
        if (flow != Flow::Normal) {
            return flow;
        }
    }
    return Flow::Normal;
}

Result<Interpreter::Flow> Interpreter::execute(const Statement& statement,
                                               const std::shared_ptr<Scope>& scope,
                                               std::string& out) {
    RecursionGuard guard(*this);
    if (Status entered = enter(statement.location); !entered.ok()) {
        return locate(std::move(entered).error(), statement.location);
    }
    auto located = [&](Status status) -> Result<Flow> {
        if (!status.ok()) {
            return locate(std::move(status).error(), statement.location);
        }
        return Flow::Normal;
    };
    switch (statement.kind) {
        case StatementKind::Text: return located(append_output(out, statement.text));
        case StatementKind::Output: {
            INHOUSE_ASSIGN_OR_RETURN(Value value, evaluate(*statement.expression, scope));
            return located(append_output(out, to_str(value)));
        }
        case StatementKind::If: return execute_if(statement, scope, out);
        case StatementKind::For: return execute_for(statement, scope, out);
        case StatementKind::Set: {
            INHOUSE_ASSIGN_OR_RETURN(Value value, evaluate(*statement.expression, scope));
            return located(assign(statement.target, value, *scope, statement.location));
        }
        case StatementKind::SetBlock: return located(execute_set_block(statement, scope));
        case StatementKind::Macro:
            scope->set(statement.name, make_macro(*this, statement, scope));
            return Flow::Normal;
        case StatementKind::CallBlock: return located(execute_call_block(statement, scope, out));
        case StatementKind::FilterBlock:
            return located(execute_filter_block(statement, scope, out));
        case StatementKind::With: return located(execute_with(statement, scope, out));
        case StatementKind::Scope: {
            auto inner = std::make_shared<Scope>();
            inner->parent = scope;
            return execute_body(statement.body, inner, out);
        }
        case StatementKind::Break: return Flow::Break;
        case StatementKind::Continue: return Flow::Continue;
    }
    return Flow::Normal;
}

Result<Interpreter::Flow> Interpreter::execute_if(const Statement& statement,
                                                  const std::shared_ptr<Scope>& scope,
                                                  std::string& out) {
    for (const IfBranch& branch : statement.branches) {
        if (branch.condition) {
            INHOUSE_ASSIGN_OR_RETURN(Value condition, evaluate(*branch.condition, scope));
            if (!is_truthy(condition)) {
                continue;
            }
        }
        return execute_body(branch.body, scope, out);
    }
    return Flow::Normal;
}

Result<std::vector<Value>> Interpreter::loop_items(const Statement& statement,
                                                   const std::shared_ptr<Scope>& scope) {
    INHOUSE_ASSIGN_OR_RETURN(Value iterable, evaluate(*statement.expression, scope));
    Result<std::vector<Value>> items = iterate(iterable);
    if (!items.ok()) {
        return locate(std::move(items).error(), statement.expression->location);
    }
    if (!statement.loop_filter) {
        return items;
    }
    // jinja2 filters before looping, so loop.length and loop.last count kept items only.
    std::vector<Value> kept;
    auto filter_scope = std::make_shared<Scope>();
    filter_scope->parent = scope;
    for (Value& item : *items) {
        INHOUSE_RETURN_IF_ERROR(assign(statement.target, item, *filter_scope, statement.location));
        INHOUSE_ASSIGN_OR_RETURN(Value keep, evaluate(*statement.loop_filter, filter_scope));
        if (is_truthy(keep)) {
            kept.push_back(std::move(item));
        }
    }
    return kept;
}

Result<Interpreter::Flow> Interpreter::execute_for(const Statement& statement,
                                                   const std::shared_ptr<Scope>& scope,
                                                   std::string& out) {
    INHOUSE_ASSIGN_OR_RETURN(std::vector<Value> items, loop_items(statement, scope));
    auto loop_scope = std::make_shared<Scope>();
    loop_scope->parent = scope;
    if (items.empty()) {
        INHOUSE_ASSIGN_OR_RETURN(Flow flow, execute_body(statement.else_body, loop_scope, out));
        (void)flow;
        return Flow::Normal;
    }
    auto loop = std::make_shared<LoopObject>(std::make_shared<const std::vector<Value>>(items));
    Value loop_value = Value::object(loop);
    for (std::size_t index = 0; index < items.size(); ++index) {
        if (Status charged = charge_steps(1); !charged.ok()) {
            return locate(std::move(charged).error(), statement.location);
        }
        loop->set_index(index);
        INHOUSE_RETURN_IF_ERROR(
            assign(statement.target, items[index], *loop_scope, statement.location));
        loop_scope->set("loop", loop_value);
        INHOUSE_ASSIGN_OR_RETURN(Flow flow, execute_body(statement.body, loop_scope, out));
        if (flow == Flow::Break) {
            break;
        }
    }
    return Flow::Normal;
}

Status Interpreter::assign(const AssignTarget& target, const Value& value, Scope& scope,
                           SourceLocation location) {
    if (!target.is_tuple) {
        const AssignTarget::Item& item = target.items.front();
        if (item.attribute.empty()) {
            scope.set(item.name, value);
            return {};
        }
        const Value* holder = scope.find(item.name);
        if (holder == nullptr || !holder->is_namespace()) {
            return fail(location, "cannot assign attribute on non-namespace object");
        }
        if (value.nesting_depth() >= kMaxValueNesting) {
            return fail(location, "value nested too deeply");
        }
        NamespaceData& data = holder->as_namespace();
        for (auto& [name, existing] : data.attributes) {
            if (name == item.attribute) {
                existing = value;
                return {};
            }
        }
        data.attributes.emplace_back(item.attribute, value);
        return {};
    }
    Result<std::vector<Value>> items = iterate(value);
    if (!items.ok() || value.is_undefined()) {
        return fail(location,
                    fmt::format("cannot unpack non-iterable {} object", type_name(value)));
    }
    if (items->size() != target.items.size()) {
        return fail(location, items->size() < target.items.size()
                                  ? fmt::format("not enough values to unpack (expected {}, got {})",
                                                target.items.size(), items->size())
                                  : fmt::format("too many values to unpack (expected {})",
                                                target.items.size()));
    }
    for (std::size_t index = 0; index < items->size(); ++index) {
        AssignTarget single;
        single.items.push_back(target.items[index]);
        INHOUSE_RETURN_IF_ERROR(assign(single, (*items)[index], scope, location));
    }
    return {};
}

Status Interpreter::execute_set_block(const Statement& statement,
                                      const std::shared_ptr<Scope>& scope) {
    auto inner = std::make_shared<Scope>();
    inner->parent = scope;
    std::string captured;
    INHOUSE_RETURN_IF_ERROR(render_body(statement.body, inner, captured));
    Value value = Value::string(std::move(captured));
    if (statement.filter) {
        INHOUSE_ASSIGN_OR_RETURN(value, evaluate_filter(*statement.filter, scope, &value));
    }
    return assign(statement.target, value, *scope, statement.location);
}

Status Interpreter::execute_filter_block(const Statement& statement,
                                         const std::shared_ptr<Scope>& scope, std::string& out) {
    auto inner = std::make_shared<Scope>();
    inner->parent = scope;
    std::string captured;
    INHOUSE_RETURN_IF_ERROR(render_body(statement.body, inner, captured));
    Value input = Value::string(std::move(captured));
    INHOUSE_ASSIGN_OR_RETURN(Value filtered, evaluate_filter(*statement.filter, scope, &input));
    return append_output(out, to_str(filtered));
}

Status Interpreter::execute_with(const Statement& statement, const std::shared_ptr<Scope>& scope,
                                 std::string& out) {
    auto inner = std::make_shared<Scope>();
    inner->parent = scope;
    for (const auto& [target, expression] : statement.assignments) {
        INHOUSE_ASSIGN_OR_RETURN(Value value, evaluate(*expression, scope));
        INHOUSE_RETURN_IF_ERROR(assign(target, value, *inner, statement.location));
    }
    return render_body(statement.body, inner, out);
}

Status Interpreter::execute_call_block(const Statement& statement,
                                       const std::shared_ptr<Scope>& scope, std::string& out) {
    Value caller = make_caller(*this, statement, scope);
    INHOUSE_ASSIGN_OR_RETURN(Value result, evaluate_call(*statement.expression, scope, &caller));
    return append_output(out, to_str(result));
}

Result<Value> Interpreter::apply_filter(std::string_view name, const Value& input,
                                        const CallValues& arguments) {
    const FilterFunction* filter = find_filter(name);
    if (filter == nullptr) {
        return make_error(ErrorCode::InvalidFormat, "No filter named '{}'.", name);
    }
    INHOUSE_RETURN_IF_ERROR(charge_steps(1));
    return (*filter)(*this, input, arguments);
}

Result<bool> Interpreter::apply_test(std::string_view name, const Value& input,
                                     const CallValues& arguments) {
    const TestFunction* test = find_test(name);
    if (test == nullptr) {
        return make_error(ErrorCode::InvalidFormat, "No test named '{}'.", name);
    }
    INHOUSE_RETURN_IF_ERROR(charge_steps(1));
    return (*test)(*this, input, arguments);
}

Result<Value> Interpreter::call(const Value& callee, const CallValues& arguments) {
    if (callee.is_undefined()) {
        const std::string& hint = callee.undefined_hint();
        return make_error(ErrorCode::InvalidFormat, "{}",
                          hint.empty() ? "value is undefined" : hint);
    }
    if (callee.is_object()) {
        if (const auto* callable = dynamic_cast<const Callable*>(&callee.as_object())) {
            return callable->call(*this, arguments);
        }
    }
    return make_error(ErrorCode::InvalidFormat, "'{}' object is not callable", type_name(callee));
}

}  // namespace inhouse::chat::jinja
