// Builds GGUF v3 files in memory: for tests, fuzz seeds and synthetic models. It writes only
// well-formed files; malformed ones are made by editing its output.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "gguf/gguf_value.h"
#include "gguf/tensor_type.h"

namespace inhouse::gguf {

class GgufWriter {
public:
    void add_uint32(std::string_view key, std::uint32_t value);
    void add_int32(std::string_view key, std::int32_t value);
    void add_uint64(std::string_view key, std::uint64_t value);
    void add_float32(std::string_view key, float value);
    void add_bool(std::string_view key, bool value);
    void add_string(std::string_view key, std::string_view value);
    void add_string_array(std::string_view key, const std::vector<std::string>& values);
    void add_int32_array(std::string_view key, const std::vector<std::int32_t>& values);
    void add_float32_array(std::string_view key, const std::vector<float>& values);
    // Sets general.alignment (a power of two) and uses it for the data section.
    void set_alignment(std::uint32_t alignment);

    // `ne` is innermost first; `data` must hold exactly the tensor's bytes.
    Status add_tensor(std::string_view name, TensorType type, std::vector<std::uint64_t> ne,
                      std::span<const std::uint8_t> data);

    // A tensor whose bytes are produced while the file is written, one tensor at a time, so
    // a multi-gigabyte model never sits in memory whole. `fill` receives exactly its bytes.
    using TensorFiller = std::function<void(std::span<std::uint8_t>)>;
    Status add_generated_tensor(std::string_view name, TensorType type, std::vector<std::uint64_t> ne,
                                TensorFiller fill);

    std::vector<std::uint8_t> finish() const;
    // Streams the file to `path` through a temporary file renamed into place.
    Status write(const std::string& path) const;

private:
    struct PendingTensor {
        std::string name;
        TensorType type;
        std::vector<std::uint64_t> ne;
        std::vector<std::uint8_t> data;  // or, when empty, produced by fill
        TensorFiller fill;
        std::uint64_t n_bytes = 0;
    };
    static Result<std::uint64_t> checked_size(std::string_view name, TensorType type,
                                              const std::vector<std::uint64_t>& ne);
    std::vector<std::uint8_t> header() const;
    // Calls `use` with the tensor's bytes: its own, or filled into a buffer for the call.
    static void with_bytes(const PendingTensor& tensor, const std::function<void(std::span<const std::uint8_t>)>& use);

    void begin_key(std::string_view key, ValueType type);
    void put_string(std::string_view text);
    template <typename T>
    void put(T value);

    std::vector<std::uint8_t> metadata_;
    std::uint64_t n_kv_ = 0;
    std::uint64_t alignment_ = 32;
    std::vector<PendingTensor> tensors_;
};

}  // namespace inhouse::gguf
