#include "plan/finetune_memory.h"

#include <fmt/format.h>

namespace inhouse::plan {

namespace {

constexpr double kGiB = 1024.0 * 1024.0 * 1024.0;
constexpr double kRuntimeBytes = 1.5 * kGiB;        // CUDA context, PyTorch, allocator slack
constexpr double kBf16 = 2;
constexpr double kNf4BytesPerParameter = 4.127 / 8;  // NF4 with double-quantized scales (QLoRA paper)
constexpr double kAdapterStateBytes = 16;           // FP32 adapter weight, gradient, two moments

bool is_linear(const PlannedTensor& tensor) {
    return tensor.name.starts_with("blk.") && tensor.name.ends_with(".weight") && tensor.n_elements > 0 &&
           tensor.name.find("norm") == std::string::npos && tensor.name.find("ffn_gate_inp") == std::string::npos;
}

// Adapter parameters: rank × (rows + columns) for each adapted matrix (experts each have their own).
std::uint64_t lora_parameters(const ModelSpec& model, const FineTuneSetup& setup) {
    const std::int64_t q_dim = model.n_heads * model.head_dim_k;
    const std::int64_t kv_dim = model.n_kv_heads * model.head_dim_k;
    const std::int64_t v_dim = model.n_kv_heads * model.head_dim_v;
    const std::int64_t out_in = model.n_heads * model.head_dim_v;
    std::int64_t per_layer = (model.n_embd + q_dim) + (model.n_embd + kv_dim) + (model.n_embd + v_dim) + (out_in + model.n_embd);
    if (setup.lora_all_linear) {
        const std::int64_t experts = model.n_experts > 0 ? model.n_experts : 1;
        per_layer += experts * 3 * (model.n_embd + model.n_ff);
    }
    return static_cast<std::uint64_t>(per_layer * setup.lora_rank * model.n_layers);
}

// Bytes kept for the backward pass per token, 16-bit, flash attention (no score matrix): per
// layer the two norms' inputs, the projections' inputs and outputs, and the gated FFN's
// halves; experts count as many times as a token uses them. Checkpointing keeps only each
// layer's input and recomputes one layer at a time. Logits and their gradient in FP32.
double activation_bytes(const ModelSpec& model, const FineTuneSetup& setup) {
    const double tokens = static_cast<double>(setup.sequence_length * setup.micro_batch);
    const double h = static_cast<double>(model.n_embd);
    const double q = static_cast<double>(model.n_heads * model.head_dim_k);
    const double kv = static_cast<double>(model.n_kv_heads * (model.head_dim_k + model.head_dim_v));
    const double ffn = static_cast<double>(model.n_ff) * static_cast<double>(model.n_experts_used > 0 ? model.n_experts_used : 1);
    const double per_layer = kBf16 * (4 * h + 2 * q + kv + 4 * ffn);
    const double layers = static_cast<double>(model.n_layers);
    const double kept = setup.gradient_checkpointing ? tokens * (layers * kBf16 * h + per_layer) : tokens * layers * per_layer;
    const double logits = tokens * static_cast<double>(model.n_vocab) * (kBf16 + 4 + 4);
    return kept + logits;
}

}  // namespace

std::string_view finetune_method_name(FineTuneMethod method) {
    switch (method) {
        case FineTuneMethod::Full: return "full";
        case FineTuneMethod::Lora: return "LoRA";
        case FineTuneMethod::Qlora: return "QLoRA";
    }
    return "?";
}

FineTuneMemory finetune_memory(const ModelSpec& model, FineTuneMethod method, const FineTuneSetup& setup, int devices) {
    FineTuneMemory memory;
    memory.method = method;
    memory.devices = std::max(1, devices);
    memory.runtime_bytes = kRuntimeBytes;
    memory.activations_bytes = activation_bytes(model, setup);
    const double parameters = static_cast<double>(model.parameter_count());
    if (method == FineTuneMethod::Full) {
        memory.trainable_parameters = model.parameter_count();
        memory.weights_bytes = parameters * kBf16;
        memory.gradients_bytes = parameters * kBf16;
        memory.optimizer_bytes = parameters * 12;  // FP32 master copy and two moments
        return memory;
    }
    memory.trainable_parameters = lora_parameters(model, setup);
    if (method == FineTuneMethod::Lora) {
        memory.weights_bytes = parameters * kBf16;
    } else {
        double linear = 0;
        for (const auto& tensor : model.tensors) {
            if (is_linear(tensor)) linear += static_cast<double>(tensor.n_elements);
        }
        memory.weights_bytes = linear * kNf4BytesPerParameter + (parameters - linear) * kBf16;
    }
    const double adapters = static_cast<double>(memory.trainable_parameters);
    memory.weights_bytes += adapters * 4;
    memory.gradients_bytes = adapters * 4;
    memory.optimizer_bytes = adapters * (kAdapterStateBytes - 8);
    return memory;
}

int finetune_devices_needed(const ModelSpec& model, FineTuneMethod method, const FineTuneSetup& setup,
                            const Accelerator& gpu, double usable_share) {
    if (gpu.kind != AcceleratorKind::Gpu) return 0;
    for (int devices = 1; devices <= gpu.max_per_server; devices *= 2) {
        if (finetune_memory(model, method, setup, devices).per_device_bytes() <= gpu.memory_gib * kGiB * usable_share) {
            return devices;
        }
    }
    return 0;
}

std::vector<std::string> describe_finetune_assumptions(const FineTuneSetup& setup) {
    return {
        fmt::format("sequences of {} tokens, micro-batch {} per GPU, gradient checkpointing {}", setup.sequence_length,
                    setup.micro_batch, setup.gradient_checkpointing ? "on" : "off"),
        "full: BF16 weights and gradients, FP32 master weights and AdamW moments (16 bytes per parameter)",
        fmt::format("LoRA/QLoRA: rank {} on {}; adapters in FP32 with AdamW; QLoRA's base in NF4 (4.127 bits with "
                    "double-quantized scales), embeddings and norms in BF16",
                    setup.lora_rank, setup.lora_all_linear ? "every projection" : "q, k, v and o"),
        "activations in BF16 with flash attention; logits and their gradient in FP32; 1.5 GiB runtime per GPU",
        "states (weights, gradients, moments) sharded over the GPUs of one server (ZeRO-3 / FSDP); activations are not",
    };
}

}  // namespace inhouse::plan
