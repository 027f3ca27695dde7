#include "store/model_ref.h"

#include <filesystem>

#include "store/known_models.h"
#include "store/model_name.h"

namespace inhouse::store {

namespace {

bool looks_like_path(std::string_view reference) {
    return reference.find('/') != std::string_view::npos || reference.ends_with(".gguf");
}

}  // namespace

Result<ResolvedModel> resolve_model(const ModelStore& store, std::string_view reference) {
    if (looks_like_path(reference)) {
        std::error_code error;
        if (!std::filesystem::is_regular_file(std::string(reference), error)) {
            return make_error(ErrorCode::NotFound, "model file '{}' does not exist", reference);
        }
        return ResolvedModel{.path = std::string(reference), .display_name = std::string(reference)};
    }
    INHOUSE_RETURN_IF_ERROR(validate_model_name(reference));
    if (const auto manifest = store.find(reference)) {
        return ResolvedModel{.path = store.model_path(*manifest), .display_name = manifest->name};
    }
    const bool pullable = find_known_model(reference) != nullptr;
    return make_error(ErrorCode::NotFound,
                      "model '{}' is not in the store ({}); {}", reference, store.home(),
                      pullable ? fmt::format("fetch it with 'inhouse pull {}'", reference)
                               : std::string("see 'inhouse list', or give a path to a .gguf file"));
}

}  // namespace inhouse::store
