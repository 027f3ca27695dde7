#include "store/model_name.h"

namespace inhouse::store {

namespace {
constexpr std::size_t kMaxNameBytes = 64;

bool is_name_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
}
}  // namespace

Status validate_model_name(std::string_view name) {
    const auto refuse = [&](std::string_view why) {
        return make_error(ErrorCode::InvalidArgument,
                          "invalid model name '{}': {} (names are lowercase letters, digits, '.', "
                          "'_' and '-', starting with a letter or digit)",
                          name, why);
    };
    if (name.empty()) return refuse("empty");
    if (name.size() > kMaxNameBytes) return refuse("longer than 64 characters");
    if (!((name[0] >= 'a' && name[0] <= 'z') || (name[0] >= '0' && name[0] <= '9'))) {
        return refuse("must start with a lowercase letter or digit");
    }
    for (const char c : name) {
        if (!is_name_char(c)) return refuse(c == '/' ? "contains '/'" : "contains a character that is not allowed");
    }
    if (name.find("..") != std::string_view::npos) return refuse("contains '..'");
    return {};
}

}  // namespace inhouse::store
