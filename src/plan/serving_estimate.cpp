#include "plan/serving_estimate.h"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>

namespace inhouse::plan {

namespace {

constexpr double kGiB = 1024.0 * 1024.0 * 1024.0;

bool is_float_model(const ModelSpec& model) {
    for (const auto& tensor : model.tensors) {
        if (tensor.n_elements > 1'000'000 && tensor.type != gguf::TensorType::F32 &&
            tensor.type != gguf::TensorType::F16 && tensor.type != gguf::TensorType::BF16) {
            return false;
        }
    }
    return true;
}

// Weight bytes one decode step streams for `batch` sequences: every dense tensor, and of the
// experts those that at least one sequence is routed to (expected count, routing uniform).
double weight_bytes_read(const ModelSpec& model, double batch) {
    double dense = 0;
    double experts = 0;
    for (const auto& tensor : model.tensors) (tensor.is_expert ? experts : dense) += static_cast<double>(tensor.bytes);
    if (model.n_experts <= 0 || experts == 0) return dense + experts;
    const double share_used = static_cast<double>(model.n_experts_used) / static_cast<double>(model.n_experts);
    return dense + experts * (1 - std::pow(1 - share_used, batch));
}

// Multiply-adds per token outside attention (every active weight once) and in attention
// (scores and weighted values over `context` positions).
double flops_per_token(const ModelSpec& model, double context) {
    const double weights = 2.0 * static_cast<double>(model.active_parameter_count());
    const double attention = 2.0 * static_cast<double>(model.n_layers * model.n_heads) *
                             static_cast<double>(model.head_dim_k + model.head_dim_v) * context;
    return weights + attention;
}

struct Rates {
    double bandwidth = 0;  // bytes/s, all devices of a replica
    double compute = 0;    // FLOP/s, all devices of a replica
};

Rates replica_rates(const ModelSpec& model, const Accelerator& accelerator, int devices,
                    const EfficiencyAssumptions& assumptions) {
    const bool gpu = accelerator.kind == AcceleratorKind::Gpu;
    // GPUs dequantize to FP16 for their tensor cores; CPUs multiply quantized weights by 8-bit
    // activations (VNNI/AMX), float weights in FP16/BF16.
    const double peak = gpu || is_float_model(model) ? accelerator.fp16_tflops * 1e12 : accelerator.int8_tops * 1e12;
    return {.bandwidth = accelerator.memory_bandwidth_gbs * 1e9 * (gpu ? assumptions.gpu_bandwidth : assumptions.cpu_bandwidth) *
                         devices,
            .compute = peak * (gpu ? assumptions.gpu_compute : assumptions.cpu_compute) * devices};
}

// Two all-reduces of the residual stream per layer when tensor parallel.
double all_reduce_seconds(const ModelSpec& model, const Accelerator& accelerator, int devices, double tokens,
                          const EfficiencyAssumptions& assumptions) {
    if (devices <= 1 || accelerator.interconnect_gbs <= 0) return 0;
    const double bytes = 2.0 * (devices - 1) / devices * tokens * static_cast<double>(model.n_embd) * 2.0;
    return 2.0 * static_cast<double>(model.n_layers) *
           (assumptions.link_latency_us * 1e-6 + bytes / (accelerator.interconnect_gbs * 1e9));
}

double decode_step_seconds(const ModelSpec& model, const Deployment& deployment, const Accelerator& accelerator,
                           int devices, double batch, double context, const EfficiencyAssumptions& assumptions) {
    const Rates rates = replica_rates(model, accelerator, devices, assumptions);
    Deployment reading = deployment;
    reading.n_ctx = std::max<std::int64_t>(1, static_cast<std::int64_t>(context));
    reading.n_parallel = 1;
    const double kv_bytes = static_cast<double>(kv_cache_bytes(model, reading)) * batch;
    const double memory_seconds = (weight_bytes_read(model, batch) + kv_bytes) / rates.bandwidth;
    const double compute_seconds = flops_per_token(model, context) * batch / rates.compute;
    return std::max(memory_seconds, compute_seconds) +
           all_reduce_seconds(model, accelerator, devices, batch, assumptions);
}

double prefill_rate(const ModelSpec& model, const Deployment& deployment, const Accelerator& accelerator, int devices,
                    double prompt, const EfficiencyAssumptions& assumptions) {
    const Rates rates = replica_rates(model, accelerator, devices, assumptions);
    const double chunk = std::max(1.0, std::min(prompt, static_cast<double>(deployment.n_batch)));
    const double memory_seconds = weight_bytes_read(model, chunk) / rates.bandwidth;
    const double compute_seconds = flops_per_token(model, prompt / 2) * chunk / rates.compute;
    const double seconds =
        std::max(memory_seconds, compute_seconds) + all_reduce_seconds(model, accelerator, devices, chunk, assumptions);
    return chunk / seconds;
}

double bytes_per_device(const ModelSpec& model, const Deployment& deployment, const Accelerator& accelerator,
                        int devices, const EfficiencyAssumptions& assumptions) {
    const MemoryBreakdown memory = estimate_memory(model, deployment);
    if (accelerator.kind == AcceleratorKind::Cpu) return static_cast<double>(memory.total_bytes());
    // Tensor parallelism splits the weights and the KV heads; a head cannot be split, so with
    // more devices than KV heads the heads are replicated.
    const double kv_split = static_cast<double>(std::min<std::int64_t>(devices, std::max<std::int64_t>(1, model.n_kv_heads)));
    return static_cast<double>(memory.weights_bytes) / devices + static_cast<double>(memory.kv_cache_bytes) / kv_split +
           static_cast<double>(memory.compute_buffer_bytes + memory.runtime_overhead_bytes) +
           assumptions.gpu_runtime_gib * kGiB;
}

}  // namespace

ServingEstimate estimate_serving(const ModelSpec& model, const Deployment& deployment, const Accelerator& accelerator,
                                 int devices, const Workload& workload, const EfficiencyAssumptions& assumptions) {
    ServingEstimate estimate;
    estimate.accelerator = &accelerator;
    estimate.devices = accelerator.kind == AcceleratorKind::Cpu ? 1 : std::max(1, devices);
    const int n = estimate.devices;
    const bool gpu = accelerator.kind == AcceleratorKind::Gpu;
    estimate.bytes_per_device = bytes_per_device(model, deployment, accelerator, n, assumptions);
    estimate.usable_bytes_per_device =
        accelerator.memory_gib * kGiB * (gpu ? assumptions.gpu_usable_memory : assumptions.cpu_usable_memory);
    estimate.fits = estimate.bytes_per_device <= estimate.usable_bytes_per_device;

    const double prompt = workload.prompt_tokens;
    // A sequence decodes on average halfway through its answer.
    const double context = std::min(static_cast<double>(deployment.n_ctx), prompt + workload.output_tokens / 2);
    const double batch = static_cast<double>(std::max<std::int64_t>(1, deployment.n_parallel));
    const double single_step = decode_step_seconds(model, deployment, accelerator, n, 1, context, assumptions);
    const double batch_step = decode_step_seconds(model, deployment, accelerator, n, batch, context, assumptions);
    estimate.decode_single_stream = 1 / single_step;
    estimate.decode_per_stream = 1 / batch_step;
    estimate.decode_total = batch / batch_step;
    estimate.prefill_tokens_per_second = prefill_rate(model, deployment, accelerator, n, std::max(1.0, prompt), assumptions);
    estimate.ttft_seconds = prompt / estimate.prefill_tokens_per_second + single_step;
    // A request holds the replica alone while its prompt is computed, then one of `batch`
    // decode slots for its answer.
    estimate.replica_requests_per_second =
        1 / (prompt / estimate.prefill_tokens_per_second + workload.output_tokens * batch_step / batch);
    if (workload.given()) {
        estimate.replicas = std::max(
            1, static_cast<int>(std::ceil(workload.peak_requests_per_second() / estimate.replica_requests_per_second)));
        estimate.utilization = workload.average_requests_per_second() /
                               (estimate.replica_requests_per_second * estimate.replicas);
        estimate.meets_ttft = estimate.ttft_seconds <= workload.ttft_target_seconds;
        estimate.meets_stream_speed = estimate.decode_per_stream >= workload.stream_tokens_per_second;
    }
    return estimate;
}

std::vector<ServingEstimate> estimate_on_catalog(const ModelSpec& model, const Deployment& deployment,
                                                 const HardwareCatalog& catalog, const Workload& workload,
                                                 const EfficiencyAssumptions& assumptions) {
    std::vector<ServingEstimate> estimates;
    for (const auto& accelerator : catalog.accelerators) {
        ServingEstimate best;
        for (int devices = 1; devices <= accelerator.max_per_server; devices *= 2) {
            best = estimate_serving(model, deployment, accelerator, devices, workload, assumptions);
            if (best.fits || accelerator.kind == AcceleratorKind::Cpu) break;
        }
        estimates.push_back(best);
    }
    return estimates;
}

std::vector<std::string> describe_assumptions(const EfficiencyAssumptions& a) {
    return {
        fmt::format("decode is bound by memory bandwidth: each step reads the active weights and the KV cache at "
                    "{:.0f}% of the datasheet bandwidth (GPU), {:.0f}% (CPU)",
                    a.gpu_bandwidth * 100, a.cpu_bandwidth * 100),
        fmt::format("prefill is bound by compute: {:.0f}% of dense FP16 tensor throughput (GPU), {:.0f}% of int8 "
                    "peak (CPU, quantized weights)",
                    a.gpu_compute * 100, a.cpu_compute * 100),
        fmt::format("usable memory {:.0f}% of the device (GPU, vLLM's default), {:.0f}% of RAM (CPU); {:.1f} GiB "
                    "runtime per GPU",
                    a.gpu_usable_memory * 100, a.cpu_usable_memory * 100, a.gpu_runtime_gib),
        fmt::format("tensor parallel within one server: weights and KV heads split, two all-reduces per layer "
                    "({:.0f} µs each plus transfer)",
                    a.link_latency_us),
        "a request holds its replica alone during prefill, then one decode slot; queueing is not modelled",
    };
}

}  // namespace inhouse::plan
