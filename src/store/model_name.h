// Model names in the store: short lowercase identifiers, never paths.
#pragma once

#include <string_view>

#include "core/result.h"

namespace inhouse::store {

// Accepts [a-z0-9] followed by up to 63 of [a-z0-9._-], without "..". Anything else (a path,
// "../../etc/passwd", spaces, uppercase) is refused with a message saying why.
Status validate_model_name(std::string_view name);

}  // namespace inhouse::store
