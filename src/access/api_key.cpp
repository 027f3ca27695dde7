#include "access/api_key.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <algorithm>
#include <cctype>

#include "core/check.h"

namespace inhouse::access {

namespace {

constexpr std::string_view kPrefix = "ihk_";
constexpr std::size_t kIdHexDigits = 12;
constexpr std::size_t kSecretHexDigits = 64;

std::string random_hex(std::size_t n_digits) {
    std::string bytes(n_digits / 2, '\0');
    INHOUSE_CHECK(RAND_bytes(reinterpret_cast<unsigned char*>(bytes.data()), static_cast<int>(bytes.size())) == 1,
                  "the system's random generator failed");
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string hex;
    for (const char c : bytes) {
        const auto byte = static_cast<unsigned char>(c);
        hex += kDigits[byte >> 4];
        hex += kDigits[byte & 15];
    }
    return hex;
}

bool is_lower_hex(std::string_view text) {
    return std::all_of(text.begin(), text.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

}  // namespace

GeneratedKey generate_api_key() {
    GeneratedKey key;
    key.id = random_hex(kIdHexDigits);
    const std::string secret = random_hex(kSecretHexDigits);
    key.text = std::string(kPrefix) + key.id + "_" + secret;
    INHOUSE_CHECK(RAND_bytes(key.salt.data(), static_cast<int>(key.salt.size())) == 1,
                  "the system's random generator failed");
    key.hash = hash_secret(key.salt, secret);
    return key;
}

std::optional<PresentedKey> parse_api_key(std::string_view text) {
    if (text.size() != kPrefix.size() + kIdHexDigits + 1 + kSecretHexDigits || !text.starts_with(kPrefix)) return {};
    const std::string_view id = text.substr(kPrefix.size(), kIdHexDigits);
    if (text[kPrefix.size() + kIdHexDigits] != '_') return {};
    const std::string_view secret = text.substr(kPrefix.size() + kIdHexDigits + 1);
    if (!is_lower_hex(id) || !is_lower_hex(secret)) return {};
    return PresentedKey{std::string(id), std::string(secret)};
}

KeyHash hash_secret(std::span<const std::uint8_t> salt, std::string_view secret) {
    KeyHash hash{};
    EVP_MD_CTX* context = EVP_MD_CTX_new();
    INHOUSE_CHECK(context != nullptr, "out of memory");
    unsigned int length = 0;
    const bool ok = EVP_DigestInit_ex(context, EVP_sha256(), nullptr) == 1 &&
                    EVP_DigestUpdate(context, salt.data(), salt.size()) == 1 &&
                    EVP_DigestUpdate(context, secret.data(), secret.size()) == 1 &&
                    EVP_DigestFinal_ex(context, hash.data(), &length) == 1;
    EVP_MD_CTX_free(context);
    INHOUSE_CHECK(ok && length == hash.size(), "SHA-256 failed");
    return hash;
}

bool equal_in_constant_time(std::span<const std::uint8_t> a, std::span<const std::uint8_t> b) {
    return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

bool is_valid_key_name(std::string_view name) {
    return !name.empty() && name.size() <= 64 && std::all_of(name.begin(), name.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-';
    });
}

}  // namespace inhouse::access
