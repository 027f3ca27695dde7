// The architectures inhouse can run. Each one is a file in model/arch/ defining an ArchSpec,
// listed explicitly in registry.cpp (no static self-registration: the linker would drop it).
#pragma once

#include <span>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "gguf/gguf_file.h"
#include "model/hparams.h"

namespace inhouse::model {

struct ArchSpec {
    std::vector<std::string_view> names;  // accepted general.architecture values
    // Reads and checks the hyperparameters; an error names the missing or bad key.
    Result<HParams> (*load_hparams)(const gguf::GgufFile& file);
};

std::span<const ArchSpec* const> all_architectures();

// The spec for the file's general.architecture, or an error listing the supported ones.
Result<const ArchSpec*> find_architecture(const gguf::GgufFile& file);

}  // namespace inhouse::model
