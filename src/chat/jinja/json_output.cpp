#include "chat/jinja/json_output.h"

#include <cmath>

#include "chat/jinja/python_ops.h"
#include "chat/jinja/unicode.h"

namespace inhouse::chat::jinja {

namespace {

void append_escaped(std::string_view text, bool ensure_ascii, std::string& out) {
    out.push_back('"');
    for (char32_t code_point : unicode::decode(text)) {
        switch (code_point) {
            case U'"': out += "\\\""; continue;
            case U'\\': out += "\\\\"; continue;
            case U'\n': out += "\\n"; continue;
            case U'\r': out += "\\r"; continue;
            case U'\t': out += "\\t"; continue;
            case U'\b': out += "\\b"; continue;
            case U'\f': out += "\\f"; continue;
            default: break;
        }
        if (code_point < 0x20 || (ensure_ascii && code_point > 0x7E && code_point < 0x10000)) {
            out += fmt::format("\\u{:04x}", static_cast<std::uint32_t>(code_point));
        } else if (ensure_ascii && code_point >= 0x10000) {
            char32_t offset = code_point - 0x10000;
            out += fmt::format("\\u{:04x}\\u{:04x}", 0xD800 + (offset >> 10),
                               0xDC00 + (offset & 0x3FF));
        } else {
            unicode::append_utf8(code_point, out);
        }
    }
    out.push_back('"');
}

std::string format_json_float(double value) {
    if (std::isnan(value)) {
        return "NaN";
    }
    if (std::isinf(value)) {
        return value > 0 ? "Infinity" : "-Infinity";
    }
    return format_float(value);
}

class JsonWriter {
public:
    JsonWriter(const JsonFormat& format, std::string& out)
        : format_(format),
          out_(out),
          item_separator_(format.item_separator.value_or(format.indent ? "," : ", ")) {}

    Status write(const Value& value, int level) {
        if (level > kMaxValueNesting + 8) {
            return make_error(ErrorCode::InvalidFormat, "Circular reference detected");
        }
        switch (value.kind()) {
            case ValueKind::None: out_ += "null"; return {};
            case ValueKind::Bool: out_ += value.as_bool() ? "true" : "false"; return {};
            case ValueKind::Int: out_ += std::to_string(value.as_int()); return {};
            case ValueKind::Float: out_ += format_json_float(value.as_float()); return {};
            case ValueKind::String:
                append_escaped(value.as_string(), format_.ensure_ascii, out_);
                return {};
            case ValueKind::List: return write_list(value.as_list().items, level);
            case ValueKind::Dict: return write_dict(value.as_dict(), level);
            default:
                return make_error(ErrorCode::InvalidFormat,
                                  "Object of type {} is not JSON serializable", type_name(value));
        }
    }

private:
    void newline(int level) {
        if (format_.indent) {
            out_.push_back('\n');
            for (int index = 0; index < level; ++index) {
                out_ += *format_.indent;
            }
        }
    }

    Status write_list(const std::vector<Value>& items, int level) {
        if (items.empty()) {
            out_ += "[]";
            return {};
        }
        out_.push_back('[');
        for (std::size_t index = 0; index < items.size(); ++index) {
            if (index > 0) {
                out_ += item_separator_;
            }
            newline(level + 1);
            INHOUSE_RETURN_IF_ERROR(write(items[index], level + 1));
        }
        newline(level);
        out_.push_back(']');
        return {};
    }

    static Result<std::string> key_text(const Value& key) {
        switch (key.kind()) {
            case ValueKind::String: return key.as_string();
            case ValueKind::None: return std::string("null");
            case ValueKind::Bool: return std::string(key.as_bool() ? "true" : "false");
            case ValueKind::Int: return std::to_string(key.as_int());
            case ValueKind::Float: return format_json_float(key.as_float());
            default:
                return make_error(ErrorCode::InvalidFormat,
                                  "keys must be str, int, float, bool or None, not {}",
                                  type_name(key));
        }
    }

    Status write_dict(const DictData& dict, int level) {
        if (dict.entries.empty()) {
            out_ += "{}";
            return {};
        }
        std::vector<const std::pair<Value, Value>*> entries;
        for (const auto& entry : dict.entries) {
            entries.push_back(&entry);
        }
        if (format_.sort_keys) {
            INHOUSE_RETURN_IF_ERROR(sort_entries(entries));
        }
        out_.push_back('{');
        for (std::size_t index = 0; index < entries.size(); ++index) {
            if (index > 0) {
                out_ += item_separator_;
            }
            newline(level + 1);
            INHOUSE_ASSIGN_OR_RETURN(std::string key, key_text(entries[index]->first));
            append_escaped(key, format_.ensure_ascii, out_);
            out_ += format_.key_separator;
            INHOUSE_RETURN_IF_ERROR(write(entries[index]->second, level + 1));
        }
        newline(level);
        out_.push_back('}');
        return {};
    }

    static Status sort_entries(std::vector<const std::pair<Value, Value>*>& entries) {
        std::vector<Value> keys;
        keys.reserve(entries.size());
        for (const auto* entry : entries) {
            keys.push_back(entry->first);
        }
        INHOUSE_ASSIGN_OR_RETURN(std::vector<std::size_t> order, sorted_order(keys));
        std::vector<const std::pair<Value, Value>*> sorted;
        sorted.reserve(entries.size());
        for (std::size_t index : order) {
            sorted.push_back(entries[index]);
        }
        entries.swap(sorted);
        return {};
    }

    const JsonFormat& format_;
    std::string& out_;
    std::string item_separator_;
};

}  // namespace

Result<std::string> to_json(const Value& value, const JsonFormat& format) {
    std::string out;
    JsonWriter writer(format, out);
    INHOUSE_RETURN_IF_ERROR(writer.write(value, 0));
    return out;
}

}  // namespace inhouse::chat::jinja
