// How a model serves on a piece of hardware, estimated from first principles: does it fit
// (per device, with tensor parallelism splitting weights and KV heads), how fast it decodes
// (memory-bandwidth bound: every step reads the active weights and the sequences' KV cache),
// how fast it prefills (compute bound), and how many replicas a workload needs. Estimates,
// with their assumptions in EfficiencyAssumptions and printed beside every result.
#pragma once

#include <string>
#include <vector>

#include "plan/hardware_catalog.h"
#include "plan/memory_model.h"
#include "plan/model_spec.h"
#include "plan/workload.h"

namespace inhouse::plan {

struct EfficiencyAssumptions {
    double gpu_bandwidth = 0.80;   // share of datasheet bandwidth a decode step streams at
    double cpu_bandwidth = 0.90;   // inhouse reaches 80-100% of measured bandwidth here (BENCHMARKS.md)
    double gpu_compute = 0.50;     // share of dense FP16 tensor throughput prefill reaches
    double cpu_compute = 0.15;     // share of int8 peak: inhouse reaches 20-40% of VNNI here, AMX peaks are 4x VNNI
    double gpu_usable_memory = 0.90;  // vLLM's default gpu_memory_utilization
    double cpu_usable_memory = 0.90;  // the rest for the OS and page cache
    double gpu_runtime_gib = 1.0;  // CUDA context, kernels, allocator slack, per GPU
    double link_latency_us = 10;   // one all-reduce between GPUs of one server
};

struct ServingEstimate {
    const Accelerator* accelerator = nullptr;
    int devices = 1;   // per replica (tensor parallel)
    int replicas = 1;  // to carry the workload's peak (1 without a workload)

    bool fits = false;
    double bytes_per_device = 0;     // weights share + KV share + buffers + runtime
    double usable_bytes_per_device = 0;

    double decode_single_stream = 0;   // tokens/s, one sequence alone
    double decode_per_stream = 0;      // tokens/s each, with n_parallel sequences decoding
    double decode_total = 0;           // tokens/s all together
    double prefill_tokens_per_second = 0;
    double ttft_seconds = 0;           // the workload's prompt, on an idle replica
    double replica_requests_per_second = 0;  // what one replica sustains
    double utilization = 0;            // the workload's average over what the replicas sustain

    bool meets_ttft = true;
    bool meets_stream_speed = true;
    int total_devices() const { return devices * replicas; }
    bool meets_targets() const { return fits && meets_ttft && meets_stream_speed; }
};

// One accelerator with `devices` of them per replica (1 for CPU servers).
ServingEstimate estimate_serving(const ModelSpec& model, const Deployment& deployment, const Accelerator& accelerator,
                                 int devices, const Workload& workload, const EfficiencyAssumptions& assumptions = {});

// For each accelerator of the catalog: the smallest tensor-parallel size (1, 2, 4, 8, within
// one server) that fits, or the largest tried when none does (fits = false).
std::vector<ServingEstimate> estimate_on_catalog(const ModelSpec& model, const Deployment& deployment,
                                                 const HardwareCatalog& catalog, const Workload& workload,
                                                 const EfficiencyAssumptions& assumptions = {});

// The assumptions as lines a person reads under the table.
std::vector<std::string> describe_assumptions(const EfficiencyAssumptions& assumptions);

}  // namespace inhouse::plan
