#include "core/system_memory.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <string>
#include <string_view>

namespace inhouse {

namespace {

std::uint64_t mem_available_bytes() {
    std::ifstream meminfo("/proc/meminfo");
    std::string key;
    std::uint64_t kib = 0;
    std::string unit;
    while (meminfo >> key >> kib >> unit) {
        if (key == "MemAvailable:") return kib * 1024;
    }
    return 4ull << 30;  // unknown: assume a small machine
}

Result<std::uint64_t> parse_size(std::string_view text) {
    std::size_t digits = 0;
    while (digits < text.size() && std::isdigit(static_cast<unsigned char>(text[digits]))) ++digits;
    const std::string_view suffix = text.substr(digits);
    int shift = -1;
    if (suffix.empty()) shift = 0;
    if (suffix == "K" || suffix == "k") shift = 10;
    if (suffix == "M" || suffix == "m") shift = 20;
    if (suffix == "G" || suffix == "g") shift = 30;
    if (suffix == "T" || suffix == "t") shift = 40;
    if (digits == 0 || digits > 15 || shift < 0) {
        return make_error(ErrorCode::InvalidArgument,
                          "INHOUSE_MEMORY_LIMIT='{}' is not a size (bytes, or a number with K, M, G or T)", text);
    }
    return std::stoull(std::string(text.substr(0, digits))) << shift;
}

}  // namespace

Result<std::uint64_t> usable_memory_bytes() {
    std::uint64_t usable = mem_available_bytes();
    if (const char* limit = std::getenv("INHOUSE_MEMORY_LIMIT"); limit != nullptr && *limit != '\0') {
        INHOUSE_ASSIGN_OR_RETURN(const std::uint64_t cap, parse_size(limit));
        usable = std::min(usable, cap);
    }
    return usable;
}

std::uint64_t usable_memory_bytes_or_available() {
    auto usable = usable_memory_bytes();
    return usable.ok() ? *usable : mem_available_bytes();
}

}  // namespace inhouse
