// Macros and call blocks as values: calling one binds its arguments the way jinja2's Macro
// does (positional, then keyword, then defaults; varargs, kwargs and caller when the body
// uses them) and renders its body to a string.
#pragma once

#include <memory>

#include "chat/jinja/ast.h"
#include "chat/jinja/interpreter.h"

namespace inhouse::chat::jinja {

// A {% macro %} defined in `scope`; its body sees that scope's variables when called.
Value make_macro(Interpreter& interpreter, const Statement& definition,
                 const std::shared_ptr<Scope>& scope);

// The `caller` of a {% call %} block, rendering the block's body in `scope`.
Value make_caller(Interpreter& interpreter, const Statement& call_block,
                  const std::shared_ptr<Scope>& scope);

}  // namespace inhouse::chat::jinja
