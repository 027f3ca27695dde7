// The hardware the planner can propose: GPUs and CPU-only servers with the figures that bound
// inference (memory, bandwidth, throughput, power, price), from the bundled, dated catalog
// (data/catalog/hardware.json) or a user's file in the same format, whose entries replace or
// add to the bundled ones by name.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace inhouse::plan {

enum class AcceleratorKind { Gpu, Cpu };

struct Accelerator {
    std::string name;     // "h100-sxm"
    std::string display;  // "NVIDIA H100 SXM 80GB"
    AcceleratorKind kind = AcceleratorKind::Gpu;
    double memory_gib = 0;
    double memory_bandwidth_gbs = 0;  // 10^9 bytes/s
    double fp16_tflops = 0;           // dense
    double int8_tops = 0;             // dense
    double tdp_watts = 0;
    std::string interconnect;
    double interconnect_gbs = 0;      // device-to-device, per direction
    int max_per_server = 1;
    double price_usd = 0;             // one unit (a CPU entry: the whole server)
    std::string price_note;
    std::string price_source;
    std::string price_date;
    std::string spec_source;
};

// The chassis GPUs go into (CPU, memory, power supply, network), priced apart from them.
struct HostServer {
    std::string name;  // "workstation", "datacenter"
    int max_gpus = 0;
    double price_usd = 0;
    double idle_watts = 0;
    std::string source;
    std::string date;
};

struct HardwareCatalog {
    std::string as_of;
    std::vector<Accelerator> accelerators;
    std::vector<HostServer> hosts;  // by max_gpus, smallest first

    const Accelerator* find(std::string_view name) const;
    // The smallest host that takes `n_gpus` of this GPU; nullptr when none does.
    const HostServer* host_for(const Accelerator& gpu, int n_gpus) const;
};

// The bundled catalog.
const HardwareCatalog& bundled_hardware_catalog();

// Parses a catalog; an error names the entry and field that is wrong.
Result<HardwareCatalog> parse_hardware_catalog(std::string_view json_text, std::string_view origin);

// The bundled catalog with a user's file merged over it (entries replaced by name).
Result<HardwareCatalog> hardware_catalog_with_overrides(const std::string& path);

}  // namespace inhouse::plan
