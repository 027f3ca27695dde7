// Whole-file checks that run after the header is parsed: tensor sizes, data placement,
// alignment, overlaps, and the metadata keys each known architecture requires.
#pragma once

#include "core/result.h"
#include "gguf/byte_cursor.h"
#include "gguf/gguf_file.h"

namespace inhouse::gguf::detail {

// Fills n_elements and size_bytes from ne and the type, refusing zero or overflowing
// dimensions and rows that are not whole blocks.
Status compute_tensor_size(TensorInfo& info, const TensorTypeInfo& type, const ByteCursor& cursor,
                           std::uint64_t dims_offset);

// Places each tensor's data inside the data section, aligned, without overlaps.
Status validate_tensor_layout(GgufFile& file);

// For files with tensors: `general.architecture` must be a string, and a known architecture's
// hyperparameter keys must be present as unsigned integers.
Status validate_required_keys(const GgufFile& file);

}  // namespace inhouse::gguf::detail
