// API keys: "ihk_<12 hex id>_<64 hex secret>". The id finds the key's row; only a salted
// SHA-256 of the secret is stored, and a presented secret is compared in constant time. The
// secret has 256 random bits, so a fast hash is enough (nothing to brute-force).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace inhouse::access {

using KeySalt = std::array<std::uint8_t, 16>;
using KeyHash = std::array<std::uint8_t, 32>;

struct GeneratedKey {
    std::string id;
    std::string text;  // the whole key, shown to the user once
    KeySalt salt{};
    KeyHash hash{};
};

GeneratedKey generate_api_key();

struct PresentedKey {
    std::string id;
    std::string secret;
};

// The parts of a well-formed key; nothing for anything else.
std::optional<PresentedKey> parse_api_key(std::string_view text);

KeyHash hash_secret(std::span<const std::uint8_t> salt, std::string_view secret);

bool equal_in_constant_time(std::span<const std::uint8_t> a, std::span<const std::uint8_t> b);

// Key names: 1-64 of [A-Za-z0-9._-].
bool is_valid_key_name(std::string_view name);

}  // namespace inhouse::access
