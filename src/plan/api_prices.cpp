#include "plan/api_prices.h"

#include <utility>
#include <nlohmann/json.hpp>

#include "catalog/catalog_data.h"
#include "core/check.h"
#include "core/file_util.h"
#include "core/json_field.h"
#include "plan/catalog_merge.h"

namespace inhouse::plan {

namespace {

using nlohmann::json;

Result<double> price(const json& entry, const char* field, std::string_view where) {
    const auto it = entry.find(field);
    if (it == entry.end() || !it->is_number() || !(it->get<double>() >= 0) || it->get<double>() > 1e6) {
        return make_error(ErrorCode::InvalidArgument, "{}: '{}' must be a price in USD per million tokens", where,
                          field);
    }
    return it->get<double>();
}

Result<ApiPrice> parse_entry(const json& entry, std::string_view origin, std::size_t index) {
    if (!entry.is_object()) return make_error(ErrorCode::InvalidArgument, "{}: apis[{}] is not an object", origin, index);
    ApiPrice api;
    api.provider = string_field(entry, "provider");
    api.model = string_field(entry, "model");
    if (api.provider.empty() || api.model.empty()) {
        return make_error(ErrorCode::InvalidArgument, "{}: apis[{}] needs 'provider' and 'model'", origin, index);
    }
    const std::string where = fmt::format("{}: '{}'", origin, api.label());
    INHOUSE_ASSIGN_OR_RETURN(api.input_usd_per_mtok, price(entry, "input_usd_per_mtok", where));
    INHOUSE_ASSIGN_OR_RETURN(api.output_usd_per_mtok, price(entry, "output_usd_per_mtok", where));
    api.tier = string_field(entry, "tier");
    api.date = string_field(entry, "date");
    api.source = string_field(entry, "source");
    return api;
}

}  // namespace

Result<ApiPriceCatalog> parse_api_prices(std::string_view json_text, std::string_view origin) {
    const json root = json::parse(json_text, nullptr, false);
    if (root.is_discarded() || !root.is_object()) {
        return make_error(ErrorCode::InvalidArgument, "{}: not a JSON object", origin);
    }
    ApiPriceCatalog catalog;
    catalog.as_of = string_field(root, "as_of");
    const auto it = root.find("apis");
    if (it == root.end() || !it->is_array()) {
        return make_error(ErrorCode::InvalidArgument, "{}: needs an 'apis' array", origin);
    }
    for (std::size_t i = 0; i < it->size(); ++i) {
        INHOUSE_ASSIGN_OR_RETURN(auto api, parse_entry((*it)[i], origin, i));
        catalog.apis.push_back(std::move(api));
    }
    return catalog;
}

const ApiPriceCatalog& bundled_api_prices() {
    static const ApiPriceCatalog catalog = [] {
        auto parsed = parse_api_prices(catalog::api_price_catalog_json(), "data/catalog/cloud_prices.json");
        INHOUSE_CHECK(parsed.ok(), "{}", parsed.error().to_string());
        return std::move(*parsed);
    }();
    return catalog;
}

Result<ApiPriceCatalog> api_prices_with_overrides(const std::string& path) {
    INHOUSE_ASSIGN_OR_RETURN(const std::string text_of_file, read_file(path));
    INHOUSE_ASSIGN_OR_RETURN(const ApiPriceCatalog user, parse_api_prices(text_of_file, path));
    ApiPriceCatalog merged = bundled_api_prices();
    if (!user.as_of.empty()) merged.as_of += ", " + path + " " + user.as_of;
    merge_entries(merged.apis, user.apis, [](const ApiPrice& api) { return std::pair(api.provider, api.model); });
    return merged;
}

}  // namespace inhouse::plan
