// Grammar and precedence, checked through what templates render: jinja2's precedence
// differs from Python's in places (filters bind tighter than unary minus's operand chain,
// ** is left-associative), and chat templates depend on it.
#include "chat/jinja/parser.h"

#include <gtest/gtest.h>

#include "chat/render_helpers.h"

namespace inhouse::chat::jinja {
namespace {

using testing_helpers::render;
using testing_helpers::render_text;

TEST(Parser, AppliesArithmeticPrecedenceAndAssociativity) {
    EXPECT_EQ(render_text("{{ 1 + 2 * 3 - 4 / 2 }}"), "5.0");
    EXPECT_EQ(render_text("{{ 2 ** 3 ** 2 }}"), "64");  // jinja2: left-associative
    EXPECT_EQ(render_text("{{ 10 - 3 - 2 }}"), "5");
    // ~ binds tighter than + in jinja2, so this adds 2 to 'a1'.
    EXPECT_EQ(
        render_text("{{ 'a' ~ 1 + 2 }}"),
        "error: chat template line 1, column 12: can only concatenate str (not \"int\") to str");
    EXPECT_EQ(render_text("{{ 'a' ~ (1 + 2) }}"), "a3");
}

TEST(Parser, BindsFiltersTighterThanBinaryOperators) {
    EXPECT_EQ(render_text("{{ 'x' + ' pad '|trim + 'y' }}", "{}"), "xpady");
    EXPECT_EQ(render_text("{{ -3|abs }}"), "3");
    EXPECT_EQ(render_text("{{ [1, 2]|length * 10 }}"), "20");
}

TEST(Parser, ParsesNotBelowComparisonsAndAboveAndOr) {
    EXPECT_EQ(render_text("{{ not 1 == 2 }}"), "True");
    EXPECT_EQ(render_text("{{ not true and false }}"), "False");
    EXPECT_EQ(render_text("{{ false or not false and true }}"), "True");
    EXPECT_EQ(render_text("{{ 1 not in [2] }}"), "True");
}

TEST(Parser, ParsesTestsWithAndWithoutParentheses) {
    EXPECT_EQ(render_text("{{ 6 is divisibleby 3 }} {{ 6 is divisibleby(4) }}"), "True False");
    EXPECT_EQ(render_text("{{ x is not defined }} {{ none is none }}"), "True True");
    EXPECT_EQ(render_text("{{ 1 is number and 'a' is string }}"), "True");
}

TEST(Parser, ParsesNestedConditionalExpressions) {
    EXPECT_EQ(render_text("{{ 'a' if false else 'b' if true else 'c' }}"), "b");
    EXPECT_EQ(render_text("{{ ('x' if true else 'y') ~ '!' }}"), "x!");
}

TEST(Parser, ParsesSubscriptsSlicesAndAttributeChains) {
    EXPECT_EQ(render_text("{{ d.a[1].b }}", R"({"d": {"a": [0, {"b": "deep"}]}})"), "deep");
    EXPECT_EQ(render_text("{{ s[1:-1] }}|{{ s[::-2] }}|{{ s[:] }}", R"({"s": "abcde"})"),
              "bcd|eca|abcde");
    EXPECT_EQ(render_text("{{ l.1 }}", R"({"l": [5, 6]})"), "6");
}

TEST(Parser, ParsesCallArgumentsOfEveryKind) {
    EXPECT_EQ(render_text("{% macro m(a, b=2) %}{{ a }}{{ b }}{{ kwargs }}{% endmacro %}"
                          "{{ m(*[7], **{'b': 8, 'c': 9}) }}"),
              "78{'c': 9}");
    EXPECT_EQ(render_text("{{ range(3,)|list }}"), "[0, 1, 2]");
}

TEST(Parser, PrintsATupleForCommaSeparatedOutput) {
    EXPECT_EQ(render_text("{{ 1, 'a' }}"), "(1, 'a')");
}

TEST(Parser, RejectsTagsItDoesNotKnow) {
    Result<Template> parsed = Template::parse("ok\n{% frobnicate %}", {.template_name = "t"});
    ASSERT_FALSE(parsed.ok());
    EXPECT_EQ(parsed.error().message(),
              "t line 2, column 4: Encountered unknown tag 'frobnicate'.");
}

TEST(Parser, RefusesIncludeAndExtendsBecauseTemplatesRenderAlone) {
    Result<Template> parsed = Template::parse("{% include 'other.jinja' %}");
    ASSERT_FALSE(parsed.ok());
    EXPECT_NE(parsed.error().message().find("not supported"), std::string::npos);
}

TEST(Parser, ReportsAMissingEndTagAtTheEndOfTheTemplate) {
    Result<Template> parsed = Template::parse("{% for x in y %}\nbody", {.template_name = "t"});
    ASSERT_FALSE(parsed.ok());
    EXPECT_EQ(parsed.error().message(),
              "t line 2, column 5: unexpected end of template, expected 'endfor' or 'else'");
}

TEST(Parser, ReportsAnUnclosedPrintStatement) {
    Result<Template> parsed = Template::parse("{{ a + }}", {.template_name = "t"});
    ASSERT_FALSE(parsed.ok());
    EXPECT_EQ(parsed.error().message(), "t line 1, column 8: unexpected 'end of print statement'");
}

TEST(Parser, AllowsBreakAndContinueOnlyInsideLoops) {
    EXPECT_FALSE(Template::parse("{% break %}").ok());
    EXPECT_FALSE(Template::parse("{% for x in y %}{% macro m() %}{% continue %}{% endmacro %}"
                                 "{% endfor %}")
                     .ok());
    EXPECT_TRUE(
        Template::parse("{% for x in y %}{% if x %}{% break %}{% endif %}{% endfor %}").ok());
}

TEST(Parser, RejectsAssignmentToConstantsAndMisplacedDefaults) {
    EXPECT_FALSE(Template::parse("{% set true = 1 %}").ok());
    EXPECT_FALSE(Template::parse("{% macro m(a=1, b) %}{% endmacro %}").ok());
    EXPECT_FALSE(Template::parse("{% call m %}{% endcall %}").ok());
}

TEST(Parser, RefusesNestingBeyondItsDepthLimit) {
    std::string deep = "{{ " + std::string(1000, '(') + "1" + std::string(1000, ')') + " }}";
    Result<Template> parsed = Template::parse(deep);
    ASSERT_FALSE(parsed.ok());
    EXPECT_NE(parsed.error().message().find("nested more than"), std::string::npos);
    std::string long_chain = "{{ x";
    for (int index = 0; index < 5000; ++index) {
        long_chain += ".a";
    }
    EXPECT_FALSE(Template::parse(long_chain + " }}").ok());
    std::string many_ifs;
    for (int index = 0; index < 1000; ++index) {
        many_ifs += "{% if x %}";
    }
    EXPECT_FALSE(Template::parse(many_ifs).ok());
}

TEST(Parser, AcceptsEveryStatementChatTemplatesUse) {
    const char* source =
        "{% set ns = namespace(a=1) %}{% set ns.a = 2 %}{% set x, y = 1, 2 %}"
        "{% set block %}b{% endset %}{% macro wrap() %}{{ caller() }}{% endmacro %}"
        "{% call wrap() %}c{% endcall %}{% filter upper %}f{% endfilter %}"
        "{% with w = 1 %}{{ w }}{% endwith %}{% generation %}g{% endgeneration %}"
        "{% for i in [1] if i %}{% continue %}{% else %}{% endfor %}{# comment #}";
    Result<std::string> rendered = render(source);
    ASSERT_TRUE(rendered.ok()) << rendered.error().to_string();
    EXPECT_EQ(*rendered, "cF1g");
}

}  // namespace
}  // namespace inhouse::chat::jinja
