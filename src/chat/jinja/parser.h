// Builds the AST from tokens, following jinja2's grammar and operator precedence
// (parser.py): statements in parser.cpp, expressions in expression_parser.cpp.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "chat/jinja/ast.h"
#include "chat/jinja/lexer.h"
#include "core/result.h"

namespace inhouse::chat::jinja {

// Nesting of brackets, operators and blocks beyond this is refused, which bounds the
// recursion of both the parser and the interpreter.
inline constexpr int kMaxParseDepth = 256;

Result<Body> parse_template(const std::vector<Token>& tokens, std::string_view template_name);

class Parser {
public:
    Parser(const std::vector<Token>& tokens, std::string_view template_name)
        : tokens_(tokens), template_name_(template_name) {}

    Result<Body> parse_all();

private:
    // Counts how deep the tree under construction is: parse functions that recurse hold a
    // guard while they run, and loops that build left-leaning chains (a + b + c, x.y.z)
    // deepen it once per link, so no tree can be deeper than kMaxParseDepth.
    class DepthGuard {
    public:
        explicit DepthGuard(Parser& parser, bool deepen_now = true) : parser_(parser) {
            if (deepen_now) {
                deepen();
            }
        }
        ~DepthGuard() { parser_.depth_ -= n_levels_; }
        DepthGuard(const DepthGuard&) = delete;
        DepthGuard& operator=(const DepthGuard&) = delete;
        void deepen() {
            ++parser_.depth_;
            ++n_levels_;
        }

    private:
        Parser& parser_;
        int n_levels_ = 0;
    };
    Status check_depth() const;
    template <typename T>
    static Status status_of(const Result<T>& result) {
        if (!result.ok()) {
            return result.error();
        }
        return {};
    }

    // Tokens.
    const Token& current() const { return tokens_[position_]; }
    const Token& peek() const;
    void advance();
    bool at_name(std::string_view name) const;
    bool at_operator(std::string_view op) const;
    bool skip_name(std::string_view name);
    bool skip_operator(std::string_view op);
    Status expect_operator(std::string_view op);
    Status expect(TokenKind kind);
    Result<std::string> expect_name();
    Error fail(std::string_view message) const;
    Error fail_at(SourceLocation location, std::string_view message) const;
    std::string describe_current() const;

    // Statements (parser.cpp).
    Result<Body> parse_body(std::initializer_list<std::string_view> end_tags);
    Status expect_end_tag_in(std::initializer_list<std::string_view> end_tags);
    Status expect_end_tag(std::string_view end_tag);
    Result<StatementPtr> parse_statement();
    Result<StatementPtr> parse_if();
    Result<StatementPtr> parse_for();
    Result<StatementPtr> parse_set();
    Result<StatementPtr> parse_macro();
    Result<StatementPtr> parse_call_block();
    Result<StatementPtr> parse_filter_block();
    Result<StatementPtr> parse_with();
    Result<StatementPtr> parse_scope_block(std::string_view end_tag);
    Result<std::vector<MacroParameter>> parse_signature();
    Result<AssignTarget> parse_assign_target(bool with_namespace,
                                             std::initializer_list<std::string_view> end_names);

    // Expressions (expression_parser.cpp).
    bool is_tuple_end(std::initializer_list<std::string_view> end_names) const;
    Result<ExpressionPtr> parse_tuple(bool with_condexpr, bool explicit_parentheses,
                                      std::initializer_list<std::string_view> end_names);
    Result<ExpressionPtr> parse_expression(bool with_condexpr = true);
    Result<ExpressionPtr> parse_conditional();
    Result<ExpressionPtr> parse_or();
    Result<ExpressionPtr> parse_and();
    Result<ExpressionPtr> parse_not();
    Result<ExpressionPtr> parse_compare();
    Result<ExpressionPtr> parse_additive();
    Result<ExpressionPtr> parse_concat();
    Result<ExpressionPtr> parse_multiplicative();
    Result<ExpressionPtr> parse_power();
    Result<ExpressionPtr> parse_unary(bool with_filter);
    Result<ExpressionPtr> parse_primary();
    Result<ExpressionPtr> parse_list();
    Result<ExpressionPtr> parse_dict();
    Result<ExpressionPtr> parse_postfix(ExpressionPtr node);
    Result<ExpressionPtr> parse_filter_expression(ExpressionPtr node);
    Result<ExpressionPtr> parse_subscript(ExpressionPtr node);
    Result<ExpressionPtr> parse_subscribed();
    Result<CallArguments> parse_call_arguments();
    Result<ExpressionPtr> parse_call(ExpressionPtr callee);
    Result<ExpressionPtr> parse_filter(ExpressionPtr node, bool start_inline);
    Result<ExpressionPtr> parse_test(ExpressionPtr node);
    Result<std::string> parse_dotted_name();

    const std::vector<Token>& tokens_;
    std::string_view template_name_;
    std::size_t position_ = 0;
    int depth_ = 0;
    int loop_depth_ = 0;  // break and continue are valid only inside a for body
};

}  // namespace inhouse::chat::jinja
