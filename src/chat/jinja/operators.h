// Python's arithmetic, comparison and membership operators on Values, with its TypeError
// messages. Integers are 64-bit: a result Python would hold in a big integer is an error.
#pragma once

#include "chat/jinja/ast.h"
#include "chat/jinja/render_context.h"
#include "chat/jinja/value.h"
#include "core/result.h"

namespace inhouse::chat::jinja {

// + - * / // % ** including str and list concatenation and repetition (charged against the
// render's limits). Undefined operands are errors, as in jinja2.
Result<Value> binary_operation(RenderContext& context, BinaryOperator op, const Value& left,
                               const Value& right);
// Unary minus (negate) or plus.
Result<Value> unary_operation(bool negate, const Value& operand);
// `item in container`.
Result<bool> contains(const Value& container, const Value& item);
// One link of a comparison chain.
Result<bool> compare_values(CompareOperator op, const Value& left, const Value& right);

}  // namespace inhouse::chat::jinja
