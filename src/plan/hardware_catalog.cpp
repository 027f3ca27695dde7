#include "plan/hardware_catalog.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "catalog/catalog_data.h"
#include "core/check.h"
#include "core/file_util.h"
#include "core/json_field.h"
#include "plan/catalog_merge.h"

namespace inhouse::plan {

namespace {

using nlohmann::json;

// A field that must be a positive number, or an error that names it.
Result<double> positive(const json& entry, const char* field, std::string_view where) {
    const auto it = entry.find(field);
    if (it == entry.end() || !it->is_number() || !(it->get<double>() > 0)) {
        return make_error(ErrorCode::InvalidArgument, "{}: '{}' must be a positive number", where, field);
    }
    return it->get<double>();
}

Result<Accelerator> parse_accelerator(const json& entry, std::string_view origin, std::size_t index) {
    if (!entry.is_object()) return make_error(ErrorCode::InvalidArgument, "{}: accelerators[{}] is not an object", origin, index);
    Accelerator a;
    a.name = string_field(entry, "name");
    if (a.name.empty()) return make_error(ErrorCode::InvalidArgument, "{}: accelerators[{}] has no name", origin, index);
    const std::string where = fmt::format("{}: accelerator '{}'", origin, a.name);
    a.display = string_field(entry, "display");
    if (a.display.empty()) a.display = a.name;
    const std::string kind = string_field(entry, "kind");
    if (kind != "gpu" && kind != "cpu") {
        return make_error(ErrorCode::InvalidArgument, "{}: 'kind' must be \"gpu\" or \"cpu\"", where);
    }
    a.kind = kind == "gpu" ? AcceleratorKind::Gpu : AcceleratorKind::Cpu;
    INHOUSE_ASSIGN_OR_RETURN(a.memory_gib, positive(entry, "memory_gib", where));
    INHOUSE_ASSIGN_OR_RETURN(a.memory_bandwidth_gbs, positive(entry, "memory_bandwidth_gbs", where));
    INHOUSE_ASSIGN_OR_RETURN(a.fp16_tflops, positive(entry, "fp16_tflops", where));
    INHOUSE_ASSIGN_OR_RETURN(a.int8_tops, positive(entry, "int8_tops", where));
    INHOUSE_ASSIGN_OR_RETURN(a.tdp_watts, positive(entry, "tdp_watts", where));
    INHOUSE_ASSIGN_OR_RETURN(a.price_usd, positive(entry, "price_usd", where));
    a.interconnect = string_field(entry, "interconnect");
    a.interconnect_gbs = entry.value("interconnect_gbs", 0.0);
    const double max_per_server = entry.value("max_per_server", 1.0);
    if (max_per_server < 1 || max_per_server > 64) {
        return make_error(ErrorCode::InvalidArgument, "{}: 'max_per_server' must be 1 to 64", where);
    }
    a.max_per_server = static_cast<int>(max_per_server);
    if (a.kind == AcceleratorKind::Cpu) a.max_per_server = 1;
    a.price_note = string_field(entry, "price_note");
    a.price_source = string_field(entry, "price_source");
    a.price_date = string_field(entry, "price_date");
    a.spec_source = string_field(entry, "spec_source");
    return a;
}

Result<HostServer> parse_host(const std::string& name, const json& entry, std::string_view origin) {
    const std::string where = fmt::format("{}: host_server '{}'", origin, name);
    if (!entry.is_object()) return make_error(ErrorCode::InvalidArgument, "{} is not an object", where);
    HostServer host;
    host.name = name;
    INHOUSE_ASSIGN_OR_RETURN(const double max_gpus, positive(entry, "max_gpus", where));
    host.max_gpus = static_cast<int>(max_gpus);
    INHOUSE_ASSIGN_OR_RETURN(host.price_usd, positive(entry, "price_usd", where));
    INHOUSE_ASSIGN_OR_RETURN(host.idle_watts, positive(entry, "idle_watts", where));
    host.source = string_field(entry, "source");
    host.date = string_field(entry, "date");
    return host;
}

void sort_hosts(HardwareCatalog& catalog) {
    std::sort(catalog.hosts.begin(), catalog.hosts.end(),
              [](const HostServer& a, const HostServer& b) { return a.max_gpus < b.max_gpus; });
}

}  // namespace

const Accelerator* HardwareCatalog::find(std::string_view name) const {
    for (const auto& accelerator : accelerators) {
        if (accelerator.name == name) return &accelerator;
    }
    return nullptr;
}

const HostServer* HardwareCatalog::host_for(const Accelerator& gpu, int n_gpus) const {
    if (gpu.kind != AcceleratorKind::Gpu || n_gpus > gpu.max_per_server) return nullptr;
    for (const auto& host : hosts) {
        if (host.max_gpus >= n_gpus && host.max_gpus >= std::min(gpu.max_per_server, n_gpus)) return &host;
    }
    return nullptr;
}

Result<HardwareCatalog> parse_hardware_catalog(std::string_view json_text, std::string_view origin) {
    const json root = json::parse(json_text, nullptr, false);
    if (root.is_discarded() || !root.is_object()) {
        return make_error(ErrorCode::InvalidArgument, "{}: not a JSON object", origin);
    }
    HardwareCatalog catalog;
    catalog.as_of = string_field(root, "as_of");
    if (const auto it = root.find("accelerators"); it != root.end()) {
        if (!it->is_array()) return make_error(ErrorCode::InvalidArgument, "{}: 'accelerators' is not an array", origin);
        for (std::size_t i = 0; i < it->size(); ++i) {
            INHOUSE_ASSIGN_OR_RETURN(auto accelerator, parse_accelerator((*it)[i], origin, i));
            catalog.accelerators.push_back(std::move(accelerator));
        }
    }
    if (const auto it = root.find("host_server"); it != root.end()) {
        if (!it->is_object()) return make_error(ErrorCode::InvalidArgument, "{}: 'host_server' is not an object", origin);
        for (const auto& [name, entry] : it->items()) {
            INHOUSE_ASSIGN_OR_RETURN(auto host, parse_host(name, entry, origin));
            catalog.hosts.push_back(std::move(host));
        }
    }
    sort_hosts(catalog);
    return catalog;
}

const HardwareCatalog& bundled_hardware_catalog() {
    static const HardwareCatalog catalog = [] {
        auto parsed = parse_hardware_catalog(catalog::hardware_catalog_json(), "data/catalog/hardware.json");
        INHOUSE_CHECK(parsed.ok(), "{}", parsed.error().to_string());
        return std::move(*parsed);
    }();
    return catalog;
}

Result<HardwareCatalog> hardware_catalog_with_overrides(const std::string& path) {
    INHOUSE_ASSIGN_OR_RETURN(const std::string text_of_file, read_file(path));
    INHOUSE_ASSIGN_OR_RETURN(const HardwareCatalog user, parse_hardware_catalog(text_of_file, path));
    HardwareCatalog merged = bundled_hardware_catalog();
    if (!user.as_of.empty()) merged.as_of += ", " + path + " " + user.as_of;
    merge_entries(merged.accelerators, user.accelerators, [](const Accelerator& a) { return a.name; });
    merge_entries(merged.hosts, user.hosts, [](const HostServer& h) { return h.name; });
    sort_hosts(merged);
    return merged;
}

}  // namespace inhouse::plan
