// gguf_write_corpus DIR: writes the malformed corpus and the valid fixture files into DIR as
// <name>.gguf, the seed corpus of the gguf fuzzer (tests/fuzz/gguf_fuzz.cpp).
#include <cstdio>
#include <filesystem>
#include <string>
#include <system_error>

#include "gguf/malformed_corpus.h"
#include "gguf/valid_files.h"

namespace {

bool write_bytes(const std::filesystem::path& path, const std::vector<std::uint8_t>& bytes) {
    std::FILE* out = std::fopen(path.c_str(), "wb");
    if (out == nullptr) return false;
    // fwrite's buffer must not be null, which an empty vector's data() may be.
    const bool is_written =
        bytes.empty() || std::fwrite(bytes.data(), 1, bytes.size(), out) == bytes.size();
    return std::fclose(out) == 0 && is_written;
}

}  // namespace

int main(int argc, char** argv) {
    using namespace inhouse::gguf::fixtures;
    if (argc != 2) {
        std::fprintf(stderr, "usage: %s DIR\n", argv[0]);
        return 2;
    }
    const std::filesystem::path dir = argv[1];
    std::error_code error;
    std::filesystem::create_directories(dir, error);
    if (error) {
        std::fprintf(stderr, "%s: %s\n", dir.c_str(), error.message().c_str());
        return 1;
    }
    std::vector<NamedFile> files = valid_files();
    for (auto& malformed : malformed_corpus()) {
        files.push_back(NamedFile{.name = malformed.name, .bytes = std::move(malformed.bytes)});
    }
    for (const auto& file : files) {
        const auto path = dir / (file.name + ".gguf");
        if (!write_bytes(path, file.bytes)) {
            std::fprintf(stderr, "%s: cannot write\n", path.c_str());
            return 1;
        }
    }
    std::printf("wrote %zu files to %s\n", files.size(), dir.c_str());
    return 0;
}
