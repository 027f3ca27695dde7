// SHA-256 over a stream of bytes (OpenSSL's implementation), for verifying downloads.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>

#include "core/result.h"

namespace inhouse {

class Sha256 {
public:
    Sha256();
    ~Sha256();
    Sha256(const Sha256&) = delete;
    Sha256& operator=(const Sha256&) = delete;

    void update(std::span<const std::uint8_t> bytes);
    // Lowercase hex digest; the object cannot be updated afterwards.
    std::string finish_hex();

private:
    struct State;
    std::unique_ptr<State> state_;
};

// Hashes a whole file, reading it in chunks.
Result<std::string> sha256_file_hex(const std::string& path);

}  // namespace inhouse
