#include "store/model_store.h"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>

#include <nlohmann/json.hpp>

#include "core/file_util.h"
#include "core/json_field.h"
#include "core/log.h"
#include "store/model_name.h"

namespace inhouse::store {

namespace {

namespace fs = std::filesystem;

bool is_hex_digest(std::string_view text) {
    return text.size() == 64 && std::all_of(text.begin(), text.end(), [](char c) {
               return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
           });
}

nlohmann::json to_json(const Manifest& manifest) {
    return {{"name", manifest.name},
            {"file", manifest.file},
            {"sha256", manifest.sha256},
            {"size_bytes", manifest.size_bytes},
            {"architecture", manifest.architecture},
            {"quantization", manifest.quantization},
            {"source", manifest.source},
            {"original_file_name", manifest.original_file_name}};
}

}  // namespace

std::string ModelStore::default_home() {
    if (const char* home = std::getenv("INHOUSE_HOME"); home != nullptr && *home != '\0') {
        return home;
    }
    const char* user_home = std::getenv("HOME");
    return std::string(user_home != nullptr && *user_home != '\0' ? user_home : ".") + "/.inhouse";
}

Result<ModelStore> ModelStore::open(const std::string& home) {
    ModelStore store(home);
    for (const auto& dir : {store.models_dir(), store.manifests_dir(), store.tmp_dir()}) {
        INHOUSE_RETURN_IF_ERROR(make_directories(dir));
    }
    return store;
}

Result<Manifest> ModelStore::read_manifest(const std::string& path) const {
    INHOUSE_ASSIGN_OR_RETURN(const auto text, read_file(path));
    const auto json = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (!json.is_object()) {
        return make_error(ErrorCode::InvalidFormat, "{}: manifest is not a JSON object", path);
    }
    Manifest manifest;
    manifest.name = string_field(json, "name");
    manifest.file = string_field(json, "file");
    manifest.sha256 = string_field(json, "sha256");
    manifest.architecture = string_field(json, "architecture");
    manifest.quantization = string_field(json, "quantization");
    manifest.source = string_field(json, "source");
    manifest.original_file_name = string_field(json, "original_file_name");
    const auto size = json.find("size_bytes");
    if (size != json.end() && size->is_number_unsigned()) {
        manifest.size_bytes = size->get<std::uint64_t>();
    }
    if (auto status = validate_model_name(manifest.name); !status.ok()) {
        return std::move(status).error().context("{}", path);
    }
    // The file field is trusted only in the one shape we write, so a tampered manifest
    // cannot point outside models/.
    if (!is_hex_digest(manifest.sha256) || manifest.file != manifest.sha256 + ".gguf") {
        return make_error(ErrorCode::InvalidFormat,
                          "{}: manifest 'file' must be '<sha256>.gguf' matching 'sha256'", path);
    }
    return manifest;
}

std::vector<Manifest> ModelStore::list() const {
    std::vector<Manifest> manifests;
    std::error_code error;
    for (const auto& entry : fs::directory_iterator(manifests_dir(), error)) {
        if (!entry.is_regular_file() || entry.path().extension() != ".json") continue;
        auto manifest = read_manifest(entry.path().string());
        if (!manifest.ok()) {
            spdlog::warn("skipping unreadable manifest: {}", manifest.error().to_string());
            continue;
        }
        manifests.push_back(std::move(manifest).value());
    }
    std::sort(manifests.begin(), manifests.end(),
              [](const Manifest& a, const Manifest& b) { return a.name < b.name; });
    return manifests;
}

std::optional<std::string> ModelStore::find_manifest_path(std::string_view name) const {
    std::error_code error;
    for (const auto& entry : fs::directory_iterator(manifests_dir(), error)) {
        if (!entry.is_regular_file() || entry.path().extension() != ".json") continue;
        auto manifest = read_manifest(entry.path().string());
        if (!manifest.ok()) {
            spdlog::warn("skipping unreadable manifest: {}", manifest.error().to_string());
            continue;
        }
        if (manifest->name == name) return entry.path().string();
    }
    return std::nullopt;
}

std::optional<Manifest> ModelStore::find(std::string_view name) const {
    const auto path = find_manifest_path(name);
    if (!path) return std::nullopt;
    auto manifest = read_manifest(*path);
    if (!manifest.ok()) return std::nullopt;
    return std::move(manifest).value();
}

std::string ModelStore::model_path(const Manifest& manifest) const {
    return models_dir() + "/" + manifest.file;
}

Status ModelStore::register_model(const Manifest& manifest, const std::string& verified_file) {
    INHOUSE_RETURN_IF_ERROR(validate_model_name(manifest.name));
    if (!is_hex_digest(manifest.sha256) || manifest.file != manifest.sha256 + ".gguf") {
        return make_error(ErrorCode::Internal, "manifest file name must be '<sha256>.gguf'");
    }
    INHOUSE_RETURN_IF_ERROR(commit_file(verified_file, model_path(manifest)));
    // The manifest's file name is the validated store name, never a path.
    const auto manifest_path = manifests_dir() + "/" + manifest.name + ".json";
    return write_file_atomic(manifest_path, to_json(manifest).dump(2) + "\n");
}

Status ModelStore::remove(std::string_view name) {
    INHOUSE_RETURN_IF_ERROR(validate_model_name(name));
    const auto path = find_manifest_path(name);
    if (!path) {
        return make_error(ErrorCode::NotFound, "model '{}' is not in the store ({})", name,
                          home_);
    }
    INHOUSE_ASSIGN_OR_RETURN(const auto manifest, read_manifest(*path));
    // Manifest first: a crash in between leaves an unreferenced file, never a dangling name.
    if (::unlink(path->c_str()) != 0) {
        return make_error(ErrorCode::Io, "{}: cannot remove", *path);
    }
    INHOUSE_RETURN_IF_ERROR(sync_directory(manifests_dir()));
    const auto others = list();
    const bool shared = std::any_of(others.begin(), others.end(), [&](const Manifest& other) {
        return other.file == manifest.file;
    });
    if (!shared) ::unlink(model_path(manifest).c_str());
    return {};
}

}  // namespace inhouse::store
