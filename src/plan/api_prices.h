// What hosted APIs charge per million tokens, from the bundled, dated catalog
// (data/catalog/cloud_prices.json) or a user's file in the same format, whose entries replace
// (same provider and model) or add to the bundled ones.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace inhouse::plan {

struct ApiPrice {
    std::string provider;  // "OpenAI"
    std::string model;     // "gpt-4o-mini"
    double input_usd_per_mtok = 0;
    double output_usd_per_mtok = 0;
    std::string tier;      // "small", "medium", "large"
    std::string date;
    std::string source;

    std::string label() const { return provider + " " + model; }
    // Dollars for a volume of input and output tokens.
    double cost_usd(double input_tokens, double output_tokens) const {
        return (input_tokens * input_usd_per_mtok + output_tokens * output_usd_per_mtok) / 1e6;
    }
};

struct ApiPriceCatalog {
    std::string as_of;
    std::vector<ApiPrice> apis;
};

const ApiPriceCatalog& bundled_api_prices();

// Parses a price file; an error names the entry and field that is wrong.
Result<ApiPriceCatalog> parse_api_prices(std::string_view json_text, std::string_view origin);

// The bundled prices with a user's file merged over them.
Result<ApiPriceCatalog> api_prices_with_overrides(const std::string& path);

}  // namespace inhouse::plan
