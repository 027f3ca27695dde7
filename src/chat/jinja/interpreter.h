// Runs a parsed template: statements in interpreter.cpp, expressions in evaluator.cpp,
// macros and call blocks in macros.cpp. Scoping follows jinja2: a for loop, macro call,
// with block or block set has its own scope; if blocks do not.
#pragma once

#include <cstdint>
#include <ctime>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "chat/jinja/ast.h"
#include "chat/jinja/render_context.h"
#include "chat/jinja/value.h"
#include "core/result.h"

namespace inhouse::chat::jinja {

// Variables visible at one point of a render; lookups fall through to the parent.
struct Scope {
    std::shared_ptr<Scope> parent;
    std::vector<std::pair<std::string, Value>> variables;

    const Value* find(std::string_view name) const;
    // Defines or replaces `name` in this scope (not in a parent), as jinja2's set does.
    void set(std::string_view name, Value value);
};

class Interpreter final : public RenderContext {
public:
    Interpreter(std::string_view template_name, const RenderLimits& limits, const std::tm& now)
        : template_name_(template_name), limits_(limits), now_(now) {}
    ~Interpreter() override;

    Result<std::string> render(const Body& body,
                               const std::vector<std::pair<std::string, Value>>& variables);

    // RenderContext.
    const RenderLimits& limits() const override { return limits_; }
    Status charge_steps(std::int64_t n_steps) override;
    Result<Value> apply_filter(std::string_view name, const Value& input,
                               const CallValues& arguments) override;
    Result<bool> apply_test(std::string_view name, const Value& input,
                            const CallValues& arguments) override;
    Result<Value> call(const Value& callee, const CallValues& arguments) override;
    const std::tm& now() const override { return now_; }
    void track_namespace(const std::shared_ptr<NamespaceData>& data) override;

    // Used by macros and call blocks (macros.cpp).
    Status render_body(const Body& body, const std::shared_ptr<Scope>& scope, std::string& out);
    Result<Value> evaluate_expression(const Expression& expression,
                                      const std::shared_ptr<Scope>& scope) {
        return evaluate(expression, scope);
    }
    const std::shared_ptr<Scope>& root_scope() const { return root_scope_; }

private:
    enum class Flow { Normal, Break, Continue };

    // Counts nested evaluation; refuses to go deeper than the limit.
    class RecursionGuard {
    public:
        explicit RecursionGuard(Interpreter& interpreter) : interpreter_(interpreter) {
            ++interpreter_.recursion_depth_;
        }
        ~RecursionGuard() { --interpreter_.recursion_depth_; }
        RecursionGuard(const RecursionGuard&) = delete;
        RecursionGuard& operator=(const RecursionGuard&) = delete;

    private:
        Interpreter& interpreter_;
    };
    Status enter(SourceLocation location);

    // Errors: runtime errors from lower layers get the location of the node that failed;
    // errors that already carry a location pass through unchanged.
    Error locate(Error error, SourceLocation location) const;
    Error fail(SourceLocation location, std::string_view message) const;
    template <typename T>
    Result<T> located(Result<T> result, SourceLocation location) const {
        if (!result.ok()) {
            return locate(std::move(result).error(), location);
        }
        return result;
    }
    Status append_output(std::string& out, std::string_view text);

    // Statements (interpreter.cpp).
    Result<Flow> execute_body(const Body& body, const std::shared_ptr<Scope>& scope,
                              std::string& out);
    Result<Flow> execute(const Statement& statement, const std::shared_ptr<Scope>& scope,
                         std::string& out);
    Result<Flow> execute_if(const Statement& statement, const std::shared_ptr<Scope>& scope,
                            std::string& out);
    Result<Flow> execute_for(const Statement& statement, const std::shared_ptr<Scope>& scope,
                             std::string& out);
    Status execute_set_block(const Statement& statement, const std::shared_ptr<Scope>& scope);
    Status execute_filter_block(const Statement& statement, const std::shared_ptr<Scope>& scope,
                                std::string& out);
    Status execute_with(const Statement& statement, const std::shared_ptr<Scope>& scope,
                        std::string& out);
    Status execute_call_block(const Statement& statement, const std::shared_ptr<Scope>& scope,
                              std::string& out);
    Status assign(const AssignTarget& target, const Value& value, Scope& scope,
                  SourceLocation location);
    Result<std::vector<Value>> loop_items(const Statement& statement,
                                          const std::shared_ptr<Scope>& scope);

    // Expressions (evaluator.cpp).
    Result<Value> evaluate(const Expression& expression, const std::shared_ptr<Scope>& scope);
    Result<Value> evaluate_node(const Expression& expression, const std::shared_ptr<Scope>& scope);
    Result<Value> evaluate_collection(const Expression& expression,
                                      const std::shared_ptr<Scope>& scope);
    Result<Value> evaluate_subscript(const Expression& expression,
                                     const std::shared_ptr<Scope>& scope);
    Result<CallValues> evaluate_arguments(const CallArguments& arguments,
                                          const std::shared_ptr<Scope>& scope,
                                          SourceLocation location);
    Result<Value> evaluate_call(const Expression& expression, const std::shared_ptr<Scope>& scope,
                                const Value* caller);
    // `block_input` replaces the innermost null input of a filter block's chain.
    Result<Value> evaluate_filter(const Expression& expression, const std::shared_ptr<Scope>& scope,
                                  const Value* block_input);
    Result<Value> evaluate_test(const Expression& expression, const std::shared_ptr<Scope>& scope);
    Result<Value> evaluate_compare(const Expression& expression,
                                   const std::shared_ptr<Scope>& scope);
    Result<Value> evaluate_unary(const Expression& expression, const std::shared_ptr<Scope>& scope);
    Result<Value> evaluate_binary(const Expression& expression,
                                  const std::shared_ptr<Scope>& scope);
    Result<Value> evaluate_concat(const Expression& expression,
                                  const std::shared_ptr<Scope>& scope);
    Result<Value> evaluate_conditional(const Expression& expression,
                                       const std::shared_ptr<Scope>& scope);
    Result<Value> look_up(const Expression& expression, const std::shared_ptr<Scope>& scope);

    std::string template_name_;
    RenderLimits limits_;
    std::tm now_;
    std::int64_t n_steps_ = 0;
    int recursion_depth_ = 0;
    std::shared_ptr<Scope> root_scope_;
    std::vector<std::weak_ptr<NamespaceData>> namespaces_;
};

}  // namespace inhouse::chat::jinja
