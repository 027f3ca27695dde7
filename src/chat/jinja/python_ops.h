// Python semantics on Values, as jinja2 inherits them from Python: truthiness, equality,
// ordering, hashing rules for dict keys, str() and repr().
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "chat/jinja/python_text.h"
#include "chat/jinja/value.h"
#include "core/result.h"

namespace inhouse::chat::jinja {

bool is_truthy(const Value& value);

// Python's type name: 'NoneType', 'bool', 'int', 'float', 'str', 'list', 'tuple', 'dict'.
std::string type_name(const Value& value);
// jinja2's object_type_repr, used in undefined messages: "dict object", "None".
std::string object_description(const Value& value);

// Python ==. Numbers compare across int, float and bool; containers compare elementwise;
// namespaces and objects compare by identity; undefined equals only undefined.
bool python_equals(const Value& left, const Value& right);
// Python <, or a TypeError message when the two cannot be ordered.
Result<bool> python_less(const Value& left, const Value& right);

// Python's sorted() by keys: returns the stable order of indices into `keys`. Fails with
// Python's TypeError when two keys cannot be ordered.
Result<std::vector<std::size_t>> sorted_order(const std::vector<Value>& keys);

// Whether a value may be a dict key (not a list, dict or namespace, nor a tuple holding one).
bool is_hashable(const Value& value);
// The value stored under `key`, or nullopt.
std::optional<Value> dict_find(const DictData& dict, const Value& key);
// Builds a dict as Python's {k: v, …} does: a repeated key keeps its first position and takes
// the last value. Fails on an unhashable key.
Result<Value> make_dict(std::vector<std::pair<Value, Value>> entries);

// Python str(): strings as they are, undefined as "", everything else as repr().
std::string to_str(const Value& value);
// Python repr(): strings quoted, containers with their items' repr.
std::string to_repr(const Value& value);
}  // namespace inhouse::chat::jinja
