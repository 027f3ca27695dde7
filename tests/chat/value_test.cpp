#include "chat/jinja/value.h"

#include <gtest/gtest.h>

#include <cmath>

#include "chat/jinja/json_output.h"
#include "chat/jinja/python_ops.h"

namespace inhouse::chat::jinja {
namespace {

TEST(Value, FormatsFloatsAsPythonRepr) {
    EXPECT_EQ(format_float(1.0), "1.0");
    EXPECT_EQ(format_float(0.1), "0.1");
    EXPECT_EQ(format_float(0.1 + 0.2), "0.30000000000000004");
    EXPECT_EQ(format_float(1e16), "1e+16");
    EXPECT_EQ(format_float(123456789012345.0), "123456789012345.0");
    EXPECT_EQ(format_float(0.0001), "0.0001");
    EXPECT_EQ(format_float(0.00001), "1e-05");
    EXPECT_EQ(format_float(-2.5e-300), "-2.5e-300");
    EXPECT_EQ(format_float(-0.0), "-0.0");
    EXPECT_EQ(format_float(std::nan("")), "nan");
    EXPECT_EQ(format_float(-INFINITY), "-inf");
}

TEST(Value, QuotesStringsAsPythonRepr) {
    EXPECT_EQ(repr_string("plain"), "'plain'");
    EXPECT_EQ(repr_string("it's"), "\"it's\"");
    EXPECT_EQ(repr_string("both ' and \""), "'both \\' and \"'");
    EXPECT_EQ(repr_string("tab\tnl\n\x01 é \xc2\xa0"), "'tab\\tnl\\n\\x01 é \\xa0'");
}

TEST(Value, PrintsContainersAsPythonStr) {
    Value nested = Value::list({Value::none(), Value::boolean(true), Value::integer(-3),
                                Value::tuple({Value::string("a")}),
                                Value::dict({{Value::string("k"), Value::floating(2.0)}})});
    EXPECT_EQ(to_str(nested), "[None, True, -3, ('a',), {'k': 2.0}]");
    EXPECT_EQ(to_str(Value::undefined("x")), "");
}

TEST(Value, KeepsJsonObjectKeyOrder) {
    auto json = nlohmann::ordered_json::parse(R"({"z": 1, "a": [true, null, 1.5, "s"]})");
    Result<Value> value = Value::from_json(json);
    ASSERT_TRUE(value.ok());
    EXPECT_EQ(to_str(*value), "{'z': 1, 'a': [True, None, 1.5, 's']}");
}

TEST(Value, RefusesJsonNestedTooDeeply) {
    std::string deep(500, '[');
    deep += std::string(500, ']');
    auto json = nlohmann::ordered_json::parse(deep);
    EXPECT_FALSE(Value::from_json(json).ok());
}

TEST(Value, ComparesWithPythonEquality) {
    EXPECT_TRUE(python_equals(Value::integer(1), Value::floating(1.0)));
    EXPECT_TRUE(python_equals(Value::boolean(true), Value::integer(1)));
    EXPECT_FALSE(python_equals(Value::string("1"), Value::integer(1)));
    EXPECT_FALSE(python_equals(Value::list({}), Value::tuple({})));
    EXPECT_TRUE(python_equals(Value::undefined("a"), Value::undefined("b")));
    EXPECT_FALSE(python_equals(Value::none(), Value::undefined("")));
}

TEST(Value, WritesJsonLikePythonsJsonDumps) {
    Value value =
        Value::dict({{Value::string("text"), Value::string("é \"q\" \n")},
                     {Value::integer(1), Value::list({Value::floating(1e20), Value::none()})},
                     {Value::string("empty"), Value::list({})}});
    Result<std::string> compact = to_json(value, {});
    ASSERT_TRUE(compact.ok());
    EXPECT_EQ(*compact, R"({"text": "é \"q\" \n", "1": [1e+20, null], "empty": []})");
    JsonFormat format;
    format.ensure_ascii = true;
    format.indent = "  ";
    Result<std::string> indented = to_json(value, format);
    ASSERT_TRUE(indented.ok());
    EXPECT_EQ(*indented,
              "{\n  \"text\": \"\\u00e9 \\\"q\\\" \\n\",\n  \"1\": [\n    1e+20,\n    null\n  ],\n"
              "  \"empty\": []\n}");
    EXPECT_FALSE(to_json(Value::undefined(""), {}).ok());
}

TEST(Value, SortsWithPythonOrderingAndRejectsMixedTypes) {
    Result<std::vector<std::size_t>> order =
        sorted_order({Value::integer(3), Value::floating(1.5), Value::boolean(true)});
    ASSERT_TRUE(order.ok());
    EXPECT_EQ(*order, (std::vector<std::size_t>{2, 1, 0}));
    EXPECT_FALSE(sorted_order({Value::integer(1), Value::string("a")}).ok());
}

}  // namespace
}  // namespace inhouse::chat::jinja
