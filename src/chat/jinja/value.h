// Value: the data a Jinja template computes with, shaped after the Python objects that
// jinja2 sees (None, bool, int, float, str, list, tuple, dict, Undefined) plus the few
// template-only kinds (namespace, macros, loop objects). Lists, tuples, dicts and strings are
// immutable and shared; only a namespace can change after it is made, as in jinja2's
// ImmutableSandboxedEnvironment.
#pragma once

#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"

namespace inhouse::chat::jinja {

class Value;

// A list or tuple. `nesting_depth` is 1 for a list of scalars; values deeper than
// kMaxValueNesting are refused when built, so that copying, printing and destroying one never
// recurses without bound.
struct ListData {
    std::vector<Value> items;
    bool is_tuple = false;
    int nesting_depth = 1;
};

// A dict in insertion order, as Python's. Keys are hashable values (str, int, float, bool,
// None, tuple); lookups compare with Python equality, so 1, 1.0 and True are one key.
struct DictData {
    std::vector<std::pair<Value, Value>> entries;
    int nesting_depth = 1;
};

// jinja2's namespace(): the one mutable object, its attributes set by `{% set ns.x = … %}`.
struct NamespaceData {
    std::vector<std::pair<std::string, Value>> attributes;
};

// Interpreter-owned kinds (macros, built-in functions, bound methods, loop objects).
class Object {
public:
    virtual ~Object() = default;
    // Python's type name, used in error messages ("'Macro' object is not iterable").
    virtual std::string type_name() const = 0;
    virtual std::string repr() const = 0;
};

enum class ValueKind : std::uint8_t {
    Undefined,
    None,
    Bool,
    Int,
    Float,
    String,
    List,  // list or tuple
    Dict,
    Namespace,
    Object,
};

inline constexpr int kMaxValueNesting = 128;

class Value {
public:
    // An undefined value remembers the message jinja2 raises when it is misused
    // ("'foo' is undefined", "'dict object' has no attribute 'x'").
    static Value undefined(std::string hint);
    static Value none() { return Value(ValueKind::None); }
    static Value boolean(bool value);
    static Value integer(std::int64_t value);
    static Value floating(double value);
    static Value string(std::string text);
    static Value list(std::vector<Value> items);
    static Value tuple(std::vector<Value> items);
    // Keys must be hashable and unique (Python equality); see make_dict in python_ops.h for
    // building a dict from untrusted pairs.
    static Value dict(std::vector<std::pair<Value, Value>> entries);
    static Value new_namespace();
    static Value object(std::shared_ptr<const Object> object);

    // Default: undefined with no hint (prints as nothing).
    Value() = default;

    ValueKind kind() const { return kind_; }
    bool is_undefined() const { return kind_ == ValueKind::Undefined; }
    bool is_none() const { return kind_ == ValueKind::None; }
    bool is_bool() const { return kind_ == ValueKind::Bool; }
    bool is_int() const { return kind_ == ValueKind::Int; }
    bool is_float() const { return kind_ == ValueKind::Float; }
    // int or float or bool: what Python accepts in arithmetic.
    bool is_number() const { return is_int() || is_float() || is_bool(); }
    bool is_string() const { return kind_ == ValueKind::String; }
    bool is_list() const { return kind_ == ValueKind::List; }
    bool is_tuple() const { return is_list() && as_list().is_tuple; }
    bool is_dict() const { return kind_ == ValueKind::Dict; }
    bool is_namespace() const { return kind_ == ValueKind::Namespace; }
    bool is_object() const { return kind_ == ValueKind::Object; }

    // Accessors; each requires the matching kind.
    const std::string& undefined_hint() const;
    bool as_bool() const { return integer_ != 0; }
    std::int64_t as_int() const { return integer_; }
    double as_float() const { return floating_; }
    const std::string& as_string() const { return *static_cast<const std::string*>(heap_.get()); }
    const ListData& as_list() const { return *static_cast<const ListData*>(heap_.get()); }
    const DictData& as_dict() const { return *static_cast<const DictData*>(heap_.get()); }
    // Namespaces are made mutable (new_namespace) and stay so behind the shared pointer.
    NamespaceData& as_namespace() const {
        return *const_cast<NamespaceData*>(static_cast<const NamespaceData*>(heap_.get()));
    }
    std::shared_ptr<NamespaceData> namespace_ptr() const {
        return std::const_pointer_cast<NamespaceData>(
            std::static_pointer_cast<const NamespaceData>(heap_));
    }
    const Object& as_object() const { return *static_cast<const Object*>(heap_.get()); }
    std::shared_ptr<const Object> object_ptr() const {
        return std::static_pointer_cast<const Object>(heap_);
    }

    // Numeric value of an int, float or bool.
    double to_double() const;
    // Depth of nested lists and dicts: 0 for scalars.
    int nesting_depth() const;

    // Converts parsed JSON. Objects keep their key order when the JSON type does
    // (nlohmann::ordered_json); request bodies should be parsed with ordered_json so that
    // `tojson` prints keys in the order the client sent them, as Python would.
    static Result<Value> from_json(const nlohmann::ordered_json& json);
    static Result<Value> from_json(const nlohmann::json& json);

private:
    Value(ValueKind kind, std::shared_ptr<const void> heap = nullptr)
        : kind_(kind), heap_(std::move(heap)) {}

    // A tagged representation rather than std::variant: g++ 12 reports false
    // "may be used uninitialized" warnings on variants under the sanitizers.
    ValueKind kind_ = ValueKind::Undefined;
    std::int64_t integer_ = 0;  // Bool and Int
    double floating_ = 0.0;     // Float
    // String, ListData, DictData, NamespaceData, Object, or the undefined hint (a string).
    std::shared_ptr<const void> heap_;
};

}  // namespace inhouse::chat::jinja
