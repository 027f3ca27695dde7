// The bundled catalogs under data/catalog/, embedded at build time (embedded_json.cpp.in):
// model shapes, hardware, and hosted API prices.
#pragma once

#include <string_view>

namespace inhouse::catalog {
std::string_view model_catalog_json() noexcept;     // data/catalog/models.json
std::string_view hardware_catalog_json() noexcept;  // data/catalog/hardware.json
std::string_view api_price_catalog_json() noexcept; // data/catalog/cloud_prices.json
}  // namespace inhouse::catalog
