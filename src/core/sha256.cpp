#include "core/sha256.h"

#include <openssl/evp.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <vector>

#include "core/check.h"

namespace inhouse {

struct Sha256::State {
    EVP_MD_CTX* context = nullptr;
};

Sha256::Sha256() : state_(std::make_unique<State>()) {
    state_->context = EVP_MD_CTX_new();
    INHOUSE_CHECK(state_->context != nullptr, "EVP_MD_CTX_new failed");
    INHOUSE_CHECK(EVP_DigestInit_ex(state_->context, EVP_sha256(), nullptr) == 1);
}

Sha256::~Sha256() { EVP_MD_CTX_free(state_->context); }

void Sha256::update(std::span<const std::uint8_t> bytes) {
    INHOUSE_CHECK(EVP_DigestUpdate(state_->context, bytes.data(), bytes.size()) == 1);
}

std::string Sha256::finish_hex() {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    INHOUSE_CHECK(EVP_DigestFinal_ex(state_->context, digest, &length) == 1);
    static constexpr char kHex[] = "0123456789abcdef";
    std::string hex;
    hex.reserve(length * 2);
    for (unsigned int i = 0; i < length; ++i) {
        hex.push_back(kHex[digest[i] >> 4]);
        hex.push_back(kHex[digest[i] & 0xF]);
    }
    return hex;
}

Result<std::string> sha256_file_hex(const std::string& path) {
    std::FILE* file = std::fopen(path.c_str(), "rb");
    if (file == nullptr) {
        return make_error(ErrorCode::Io, "{}: cannot open: {}", path, std::strerror(errno));
    }
    Sha256 hash;
    std::vector<std::uint8_t> buffer(1 << 20);
    std::size_t n_read = 0;
    while ((n_read = std::fread(buffer.data(), 1, buffer.size(), file)) > 0) {
        hash.update({buffer.data(), n_read});
    }
    const bool failed = std::ferror(file) != 0;
    std::fclose(file);
    if (failed) return make_error(ErrorCode::Io, "{}: read error", path);
    return hash.finish_hex();
}

}  // namespace inhouse
