// Optional string fields of JSON the program reads back (catalogs, manifests): a missing field or
// one of the wrong type reads as "", and the caller decides whether "" is acceptable.
#pragma once

#include <string>
#include <nlohmann/json.hpp>

namespace inhouse {

inline std::string string_field(const nlohmann::json& object, const char* key) {
    const auto it = object.find(key);
    return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace inhouse
