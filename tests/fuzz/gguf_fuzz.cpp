// libFuzzer harness for the GGUF reader: any bytes either parse into a consistent file or fail
// with ErrorCode::InvalidFormat. Every metadata value and tensor byte of a parsed file is read,
// and the file's invariants are checked with INHOUSE_CHECK, so a sanitizer or an abort marks
// anything the parser let through.
//   build/fuzz/tests/fuzz/gguf_fuzz -max_total_time=600 -dict=tests/fuzz/gguf.dict CORPUS_DIR
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "core/check.h"
#include "core/utf8.h"
#include "gguf/gguf_file.h"
#include "gguf/model_summary.h"

namespace inhouse::gguf {
namespace {

// Everything read is folded in here, so the reads cannot be optimized away.
volatile std::uint64_t g_sink = 0;

void touch_bytes(std::span<const std::uint8_t> bytes) {
    std::uint64_t sum = 0;
    for (const auto byte : bytes) sum += byte;
    g_sink = g_sink + sum;
}

void touch_text(std::string_view text) {
    touch_bytes({reinterpret_cast<const std::uint8_t*>(text.data()), text.size()});
}

void touch_value(const Value& value);

void touch_array(const ArrayValue& array) {
    switch (array.element_type) {
        case ValueType::String:
            INHOUSE_CHECK(array.strings.size() == array.n_elements, "string array size");
            for (const auto text : array.strings) touch_text(text);
            break;
        case ValueType::Array:
            INHOUSE_CHECK(array.arrays.size() == array.n_elements, "nested array size");
            for (const auto& element : array.arrays) touch_value(element);
            break;
        default:
            INHOUSE_CHECK(
                array.raw.size() == array.n_elements * value_type_size(array.element_type),
                "raw array size");
            for (std::uint64_t i = 0; i < array.n_elements; ++i) touch_value(array.element(i));
    }
}

void touch_value(const Value& value) {
    g_sink = g_sink + value_type_name(value.type()).size();
    if (const auto number = value.as_uint()) g_sink = g_sink + *number;
    if (const auto number = value.as_int()) g_sink = g_sink + static_cast<std::uint64_t>(*number);
    if (const auto number = value.as_float()) g_sink = g_sink + (*number == 0.0);
    if (const auto flag = value.as_bool()) g_sink = g_sink + *flag;
    if (const auto text = value.as_string()) {
        INHOUSE_CHECK(is_valid_utf8(*text), "string value is not UTF-8");
        touch_text(*text);
    }
    if (const ArrayValue* array = value.as_array()) touch_array(*array);
}

void check_tensor(const GgufFile& file, const TensorInfo& tensor,
                  std::span<const std::uint8_t> input) {
    INHOUSE_CHECK(!tensor.name.empty() && tensor.name.size() <= kMaxTensorNameBytes, "name");
    INHOUSE_CHECK(is_valid_utf8(tensor.name), "tensor name is not UTF-8");
    INHOUSE_CHECK(file.find_tensor(tensor.name) == &tensor, "tensor index");
    INHOUSE_CHECK(tensor.n_dims >= 1 && tensor.n_dims <= kMaxDims, "n_dims {}", tensor.n_dims);
    std::uint64_t n_elements = 1;
    for (const auto dim : tensor.shape()) n_elements *= dim;
    INHOUSE_CHECK(n_elements == tensor.n_elements && n_elements > 0, "n_elements");
    const auto& type = tensor_type_info(tensor.type);
    INHOUSE_CHECK(tensor.n_elements / type.block_size * type.block_size_bytes == tensor.size_bytes,
                  "size_bytes");
    INHOUSE_CHECK(tensor.file_offset % file.alignment() == 0, "unaligned tensor data");
    INHOUSE_CHECK(tensor.file_offset == file.data_section_offset() + tensor.data_offset, "offset");
    INHOUSE_CHECK(tensor.file_offset + tensor.size_bytes <= input.size(), "data past the input");
    INHOUSE_CHECK(tensor.data.data() == input.data() + tensor.file_offset &&
                      tensor.data.size() == tensor.size_bytes,
                  "data span");
    touch_bytes(tensor.data);
}

void check_no_overlap(const GgufFile& file) {
    std::vector<const TensorInfo*> order;
    for (const auto& tensor : file.tensors()) order.push_back(&tensor);
    std::sort(order.begin(), order.end(), [](const TensorInfo* a, const TensorInfo* b) {
        return a->file_offset < b->file_offset;
    });
    for (std::size_t i = 1; i < order.size(); ++i) {
        INHOUSE_CHECK(order[i - 1]->file_offset + order[i - 1]->size_bytes <= order[i]->file_offset,
                      "tensors overlap");
    }
}

void check_file(const GgufFile& file, std::span<const std::uint8_t> input) {
    INHOUSE_CHECK(file.version() == 2 || file.version() == 3, "version");
    const auto alignment = file.alignment();
    INHOUSE_CHECK(alignment != 0 && (alignment & (alignment - 1)) == 0, "alignment");
    for (const auto& entry : file.metadata()) {
        INHOUSE_CHECK(!entry.key.empty() && is_valid_utf8(entry.key), "key");
        INHOUSE_CHECK(file.find(entry.key) == &entry.value, "key index");
        touch_value(entry.value);
    }
    for (const auto& tensor : file.tensors()) check_tensor(file, tensor, input);
    check_no_overlap(file);
    const auto summary = summarize(file);
    std::uint64_t n_parameters = 0;
    for (const auto& tensor : file.tensors()) n_parameters += tensor.n_elements;
    INHOUSE_CHECK(summary.n_parameters == n_parameters, "summary parameter count");
    touch_text(summary.quantization);
    touch_text(file.architecture());
    if (const auto n_blocks = get_arch_uint(file, "block_count")) g_sink = g_sink + *n_blocks;
}

}  // namespace
}  // namespace inhouse::gguf

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace inhouse;
    const std::span<const std::uint8_t> input(data, size);
    const auto file = gguf::GgufFile::parse(input, "fuzz.gguf");
    if (!file.ok()) {
        INHOUSE_CHECK(file.error().code() == ErrorCode::InvalidFormat, "{}",
                      file.error().to_string());
        gguf::touch_text(file.error().to_string());
        return 0;
    }
    gguf::check_file(*file, input);
    return 0;
}
