// The text of data/catalog/models.json, embedded at build time (model_catalog_data.cpp.in).
#pragma once

#include <string_view>

namespace inhouse::catalog {
std::string_view model_catalog_json() noexcept;
}  // namespace inhouse::catalog
