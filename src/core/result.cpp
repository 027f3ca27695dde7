#include "core/result.h"

namespace inhouse {

std::string Error::to_string() const {
    std::string text;
    for (auto it = context_.rbegin(); it != context_.rend(); ++it) {
        text += *it;
        text += ": ";
    }
    text += message_;
    return text;
}

}  // namespace inhouse
