// Everywhere a command takes a model, it takes either a store name or a path to a .gguf file.
#pragma once

#include <string>
#include <string_view>

#include "core/result.h"
#include "store/model_store.h"

namespace inhouse::store {

struct ResolvedModel {
    std::string path;
    std::string display_name;  // the store name, or the path as given
};

// A reference containing '/' or ending in ".gguf" is a path; anything else must be a valid
// model name registered in the store.
Result<ResolvedModel> resolve_model(const ModelStore& store, std::string_view reference);

}  // namespace inhouse::store
