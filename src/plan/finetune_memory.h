// Memory to fine-tune a model: full fine-tuning (mixed precision AdamW: 16 bytes per
// parameter), LoRA (frozen 16-bit base, trainable low-rank adapters) and QLoRA (frozen 4-bit
// NF4 base). Activations with and without gradient checkpointing; states sharded over the
// GPUs of one server (ZeRO-3 / FSDP). Estimates with the assumptions stated.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "plan/hardware_catalog.h"
#include "plan/model_spec.h"

namespace inhouse::plan {

enum class FineTuneMethod { Full, Lora, Qlora };

std::string_view finetune_method_name(FineTuneMethod method);

struct FineTuneSetup {
    std::int64_t sequence_length = 2048;
    std::int64_t micro_batch = 1;       // sequences per GPU per step
    std::int64_t lora_rank = 16;
    bool lora_all_linear = true;        // every projection (QLoRA's practice); false: q, k, v, o only
    bool gradient_checkpointing = true;
};

struct FineTuneMemory {
    FineTuneMethod method = FineTuneMethod::Full;
    std::uint64_t trainable_parameters = 0;
    double weights_bytes = 0;      // the model as trained or frozen
    double gradients_bytes = 0;
    double optimizer_bytes = 0;    // AdamW moments (and FP32 master weights for full)
    double activations_bytes = 0;  // one micro-batch, per GPU
    double runtime_bytes = 0;      // CUDA context and framework, per GPU
    int devices = 1;               // states sharded over this many GPUs

    // Per GPU: the sharded states plus the unsharded activations and runtime.
    double per_device_bytes() const {
        return (weights_bytes + gradients_bytes + optimizer_bytes) / devices + activations_bytes + runtime_bytes;
    }
};

FineTuneMemory finetune_memory(const ModelSpec& model, FineTuneMethod method, const FineTuneSetup& setup,
                               int devices = 1);

// The fewest GPUs of a server (1, 2, 4, 8) on which the method fits, or 0 when none does.
int finetune_devices_needed(const ModelSpec& model, FineTuneMethod method, const FineTuneSetup& setup,
                            const Accelerator& gpu, double usable_share = 0.95);

std::vector<std::string> describe_finetune_assumptions(const FineTuneSetup& setup);

}  // namespace inhouse::plan
