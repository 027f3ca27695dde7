// tojson as transformers defines it for chat templates: Python's json.dumps with
// ensure_ascii=False by default, optional indent, separators and sort_keys.
#pragma once

#include <optional>
#include <string>

#include "chat/jinja/value.h"
#include "core/result.h"

namespace inhouse::chat::jinja {

struct JsonFormat {
    bool ensure_ascii = false;
    // Set: one item per line, each level indented by this text (json.dumps' indent).
    std::optional<std::string> indent;
    // Defaults follow json.dumps: ", " between items without indent, "," with it.
    std::optional<std::string> item_separator;
    std::string key_separator = ": ";
    bool sort_keys = false;
};

// Fails as json.dumps does: on undefined values, namespaces, callables and unsupported keys.
Result<std::string> to_json(const Value& value, const JsonFormat& format);

}  // namespace inhouse::chat::jinja
