// Statement and expression semantics that chat templates rely on, beyond what the golden
// fixtures show: scoping, undefined values, macros, loops, and Python's operator rules.
#include "chat/jinja/interpreter.h"

#include <gtest/gtest.h>

#include "chat/render_helpers.h"

namespace inhouse::chat::jinja {
namespace {

using testing_helpers::render;
using testing_helpers::render_text;

TEST(Interpreter, KeepsLoopAssignmentsInsideTheLoop) {
    EXPECT_EQ(render_text("{% set n = 0 %}{% for i in [1, 2, 3] %}{% set n = n + i %}{{ n }}"
                          "{% endfor %}|{{ n }}"),
              "136|0");
}

TEST(Interpreter, LetsNamespacesCarryStateOutOfLoops) {
    EXPECT_EQ(render_text("{% set ns = namespace(last=none) %}{% for m in msgs %}"
                          "{% set ns.last = m.role %}{% endfor %}{{ ns.last }}",
                          R"({"msgs": [{"role": "user"}, {"role": "assistant"}]})"),
              "assistant");
}

TEST(Interpreter, ReassignsTemplateVariablesAtTopLevel) {
    EXPECT_EQ(render_text("{% set messages = messages[1:] %}{{ messages|length }}",
                          R"({"messages": [1, 2, 3]})"),
              "2");
}

TEST(Interpreter, TreatsUndefinedAsEmptyButFailsOnItsAttributes) {
    EXPECT_EQ(render_text("[{{ nope }}][{{ nope|length }}][{{ nope is defined }}]"),
              "[][0][False]");
    EXPECT_EQ(render_text("{{ nope.field }}"),
              "error: chat template line 1, column 8: 'nope' is undefined");
    EXPECT_EQ(render_text("{{ d.missing }}|{{ d.missing is defined }}", R"({"d": {}})"), "|False");
    EXPECT_EQ(render_text("{{ d.missing.deeper }}", R"({"d": {}})"),
              "error: chat template line 1, column 13: 'dict object' has no attribute 'missing'");
}

TEST(Interpreter, ReturnsUndefinedForOutOfRangeIndexes) {
    EXPECT_EQ(render_text("[{{ l[5] }}][{{ l[-1] }}]", R"({"l": [1, 2]})"), "[][2]");
    EXPECT_EQ(render_text("{{ l[0]['role'] }}", R"({"l": []})"),
              "error: chat template line 1, column 8: list object has no element 0");
}

TEST(Interpreter, EvaluatesShortCircuitOperatorsLikePython) {
    // The right-hand side would fail if it were evaluated.
    EXPECT_EQ(render_text("{{ false and nope.x }}|{{ true or nope.x }}"), "False|True");
    EXPECT_EQ(render_text("{{ loop_var is defined and loop_var.x }}"), "False");
}

TEST(Interpreter, CallsMacrosWithTheirOwnScope) {
    EXPECT_EQ(render_text("{% macro m() %}{% set inner = 1 %}{{ outer }}{% endmacro %}"
                          "{% set outer = 'o' %}{{ m() }}[{{ inner }}]"),
              "o[]");
    EXPECT_EQ(render_text("{% macro m(a, b) %}{{ a }}-{{ b is defined }}{% endmacro %}{{ m(1) }}"),
              "1-False");
    EXPECT_EQ(render_text("{% macro m(a) %}{% endmacro %}{{ m(b=1) }}"),
              "error: chat template line 1, column 35: macro 'm' takes no keyword argument 'b'");
}

TEST(Interpreter, GivesTheLoopObjectToNestedTemplatesThatKeepIt) {
    EXPECT_EQ(render_text("{% for a in [1, 2] %}{% set outer = loop %}{% for b in [3] %}"
                          "{{ outer.index }}{{ loop.index }} {% endfor %}{% endfor %}"),
              "11 21 ");
    EXPECT_EQ(render_text("{% for x in [1, 1, 2] %}{{ loop.changed(x) }} {% endfor %}"),
              "True False True ");
}

TEST(Interpreter, IteratesStringsByCodePointAndDictsByKey) {
    EXPECT_EQ(render_text("{% for c in 'añ😊' %}[{{ c }}]{% endfor %}"), "[a][ñ][😊]");
    EXPECT_EQ(render_text("{{ 'añ😊'|length }} {{ 'añ😊'[-1] }}"), "3 😊");
    EXPECT_EQ(render_text("{% for k in {'z': 1, 'a': 2} %}{{ k }}{% endfor %}"), "za");
}

TEST(Interpreter, UnpacksLoopTargetsAndReportsShapeMismatches) {
    EXPECT_EQ(render_text("{% for a, b in [[1, 2]] %}{{ a }}{{ b }}{% endfor %}"), "12");
    EXPECT_EQ(render_text("{% for a, b in [[1, 2, 3]] %}{% endfor %}"),
              "error: chat template line 1, column 4: too many values to unpack (expected 2)");
}

TEST(Interpreter, KeepsPythonIntegerAndFloatArithmetic) {
    EXPECT_EQ(
        render_text(
            "{{ 7 / 7 }} {{ 2 * 0.5 }} {{ -7 // 2 }} {{ -7 % 2 }} {{ 7.5 // 2 }} {{ -7.5 % 2 }}"),
        "1.0 1.0 -4 1 3.0 0.5");
    EXPECT_EQ(render_text("{{ true + true }} {{ 3 - true }}"), "2 2");
    EXPECT_EQ(render_text("{{ 9223372036854775807 + 1 }}").substr(0, 6), "error:");
}

TEST(Interpreter, ComparesAcrossNumericTypesButNotAcrossUnrelatedTypes) {
    EXPECT_EQ(render_text("{{ 1 == 1.0 == true }} {{ [1, 2] == [1, 2] }} {{ (1,) == [1] }}"),
              "True True False");
    EXPECT_EQ(render_text("{{ 1 < 'a' }}"),
              "error: chat template line 1, column 4: '<' not supported between instances of "
              "'int' and 'str'");
}

TEST(Interpreter, MergesDuplicateDictKeysAsPythonDoes) {
    EXPECT_EQ(render_text("{{ {'a': 1, 'b': 2, 'a': 3} }} {{ {1: 'x', 1.0: 'y'} }}"),
              "{'a': 3, 'b': 2} {1: 'y'}");
    EXPECT_NE(render_text("{{ {[1]: 2} }}").find("unhashable type: 'list'"), std::string::npos);
}

TEST(Interpreter, RendersSetBlocksAndFilterBlocksInTheirOwnScope) {
    EXPECT_EQ(render_text("{% set x = 'a' %}{% set captured %}{% set x = 'b' %}{{ x }}{% endset %}"
                          "{{ captured }}{{ x }}"),
              "ba");
}

TEST(Interpreter, PassesExtraTemplateVariablesThrough) {
    Result<std::string> rendered = render("{{ enable_thinking }} {{ custom.a }}",
                                          R"({"enable_thinking": false, "custom": {"a": [1]}})");
    ASSERT_TRUE(rendered.ok());
    EXPECT_EQ(*rendered, "False [1]");
}

TEST(Interpreter, FormatsTheCurrentTimeThatTheCallerGives) {
    Result<Template> parsed = Template::parse("{{ strftime_now('%d %b %Y') }}");
    ASSERT_TRUE(parsed.ok());
    RenderOptions options;
    options.now.tm_year = 125;
    options.now.tm_mon = 0;
    options.now.tm_mday = 9;
    Result<std::string> rendered = parsed->render({}, options);
    ASSERT_TRUE(rendered.ok());
    EXPECT_EQ(*rendered, "09 Jan 2025");
}

TEST(Interpreter, RendersTheSameTemplateManyTimesIndependently) {
    Result<Template> parsed =
        Template::parse("{% set ns = namespace(n=0) %}{% set ns.n = ns.n + x %}{{ ns.n }}");
    ASSERT_TRUE(parsed.ok());
    for (int x = 1; x <= 3; ++x) {
        Result<std::string> rendered = parsed->render({{"x", Value::integer(x)}});
        ASSERT_TRUE(rendered.ok());
        EXPECT_EQ(*rendered, std::to_string(x));
    }
}

}  // namespace
}  // namespace inhouse::chat::jinja
