#include "model/arch/registry.h"

#include <algorithm>
#include <array>

namespace inhouse::model {

extern const ArchSpec kLlama;
extern const ArchSpec kGemma3;
extern const ArchSpec kQwen2;

namespace {
constexpr std::array<const ArchSpec*, 3> kArchitectures = {&kLlama, &kGemma3, &kQwen2};
}  // namespace

std::span<const ArchSpec* const> all_architectures() { return kArchitectures; }

Result<const ArchSpec*> find_architecture(const gguf::GgufFile& file) {
    const auto name = file.architecture();
    std::vector<std::string_view> supported;
    for (const ArchSpec* spec : kArchitectures) {
        if (std::find(spec->names.begin(), spec->names.end(), name) != spec->names.end()) return spec;
        supported.insert(supported.end(), spec->names.begin(), spec->names.end());
    }
    return make_error(ErrorCode::Unsupported,
                      "{}: architecture '{}' is not supported (supported: {})", file.label(),
                      name.empty() ? "(none)" : name, fmt::join(supported, ", "));
}

}  // namespace inhouse::model
