// Templates come from model files: whatever one does, a render ends quickly, within memory,
// reaches nothing but its data, and fails with a message instead of crashing.
#include <gtest/gtest.h>

#include "chat/render_helpers.h"

namespace inhouse::chat::jinja {
namespace {

using testing_helpers::render;
using testing_helpers::render_text;

bool fails_with(const Result<std::string>& rendered, ErrorCode code, std::string_view text) {
    return !rendered.ok() && rendered.error().code() == code &&
           rendered.error().message().find(text) != std::string::npos;
}

TEST(Sandbox, StopsLoopsThatExceedTheStepBudget) {
    RenderLimits limits;
    limits.max_steps = 10'000;
    Result<std::string> rendered =
        render("{% for a in range(1000) %}{% for b in range(1000) %}{% endfor %}{% endfor %}", "{}",
               limits);
    EXPECT_TRUE(fails_with(rendered, ErrorCode::Unsupported, "budget of 10000 evaluation steps"))
        << rendered.error().to_string();
}

TEST(Sandbox, StopsUnboundedMacroRecursion) {
    Result<std::string> rendered = render("{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}");
    EXPECT_TRUE(fails_with(rendered, ErrorCode::Unsupported, "recursion deeper than"));
}

TEST(Sandbox, CapsTheOutputSize) {
    RenderLimits limits;
    limits.max_string_bytes = 1000;
    Result<std::string> rendered =
        render("{% for i in range(100) %}0123456789ab{% endfor %}", "{}", limits);
    EXPECT_TRUE(
        fails_with(rendered, ErrorCode::Unsupported, "output exceeds the limit of 1000 bytes"));
}

TEST(Sandbox, CapsStringRepetitionAndConcatenation) {
    RenderLimits limits;
    limits.max_string_bytes = 1 << 16;
    EXPECT_TRUE(fails_with(render("{{ 'x' * 100000000000 }}", "{}", limits), ErrorCode::Unsupported,
                           "string repetition exceeds"));
    EXPECT_TRUE(fails_with(render("{% set ns = namespace(s='ab') %}{% for i in range(40) %}"
                                  "{% set ns.s = ns.s ~ ns.s %}{% endfor %}",
                                  "{}", limits),
                           ErrorCode::Unsupported, "exceeds the template limit"));
}

TEST(Sandbox, CapsRangesAndListGrowth) {
    EXPECT_TRUE(
        fails_with(render("{{ range(100001)|length }}"), ErrorCode::Unsupported, "Range too big"));
    EXPECT_EQ(render_text("{{ range(100000)|length }}"), "100000");
    EXPECT_TRUE(fails_with(render("{{ [1] * 1000000 }}"), ErrorCode::Unsupported,
                           "list repetition exceeds"));
}

TEST(Sandbox, RefusesValuesNestedBeyondTheLimit) {
    Result<std::string> rendered = render(
        "{% set ns = namespace(v=[]) %}{% for i in range(1000) %}"
        "{% set ns.v = [ns.v] %}{% endfor %}");
    EXPECT_FALSE(rendered.ok());
}

TEST(Sandbox, RefusesUnderscoreAttributes) {
    EXPECT_TRUE(fails_with(render("{{ ''.__class__.__mro__ }}"), ErrorCode::InvalidFormat,
                           "access to attribute '__class__' of 'str' object is unsafe."));
    EXPECT_EQ(render_text("[{{ d.__class__ }}]", R"({"d": {}})"), "[]");
    EXPECT_EQ(render_text("{{ d._private }}", R"({"d": {"_private": 1}})"), "1");
}

TEST(Sandbox, RefusesMethodsThatModifyListsAndDicts) {
    EXPECT_TRUE(fails_with(render("{% set l = [] %}{{ l.append(1) }}"), ErrorCode::InvalidFormat,
                           "access to attribute 'append' of 'list' object is unsafe."));
    EXPECT_TRUE(fails_with(render("{{ d.update({'a': 1}) }}", R"({"d": {}})"),
                           ErrorCode::InvalidFormat, "'update' of 'dict' object is unsafe"));
    EXPECT_TRUE(
        fails_with(render("{{ 'abc'.format() }}"), ErrorCode::InvalidFormat, "not supported"));
}

TEST(Sandbox, ReportsTemplateRaisedErrorsAsTheRequestsFault) {
    Result<std::string> rendered = render("a\n  {{ raise_exception('Roles must alternate') }}");
    ASSERT_FALSE(rendered.ok());
    EXPECT_EQ(rendered.error().code(), ErrorCode::InvalidArgument);
    EXPECT_EQ(rendered.error().message(), "chat template line 2, column 21: Roles must alternate");
}

TEST(Sandbox, SurvivesANamespaceThatHoldsItself) {
    // The reference cycle is broken when the render ends (ASan's leak check watches this).
    EXPECT_EQ(render_text(
                  "{% set ns = namespace() %}{% set ns.self = ns %}{{ ns.self.self is defined }}"),
              "True");
    EXPECT_EQ(render_text("{% set ns = namespace() %}{% set ns.self = ns %}{{ ns }}").substr(0, 11),
              "<Namespace ");
}

TEST(Sandbox, RejectsTemplatesThatAreNotUtf8OrTooLarge) {
    EXPECT_FALSE(Template::parse("abc\xff").ok());
    std::string huge(2u << 20, 'x');
    EXPECT_FALSE(Template::parse(huge).ok());
}

TEST(Sandbox, SeesOnlyTheVariablesItIsGiven) {
    EXPECT_EQ(
        render_text("[{{ os }}][{{ self }}][{{ config }}][{{ request }}][{{ __builtins__ }}]"),
        "[][][][][]");
    EXPECT_EQ(render_text("{{ range.__globals__ }}"), "");
}

}  // namespace
}  // namespace inhouse::chat::jinja
