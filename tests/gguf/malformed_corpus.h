// Malformed GGUF files, each paired with the error it must produce. Shared by the parser's
// unit tests and gguf_write_corpus, which writes them out as the fuzzer's seed corpus.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace inhouse::gguf::fixtures {

struct MalformedCase {
    std::string name;  // [a-z0-9_]: a gtest parameter name and a file name
    std::vector<std::uint8_t> bytes;
    // Must appear in the Error::to_string() of parsing `bytes`; the error code is always
    // ErrorCode::InvalidFormat.
    std::string expected_error;
};

// Every case, generated from the valid files of valid_files.h by patching or cutting bytes,
// or assembled by hand with ByteBuilder. Names are unique.
std::vector<MalformedCase> malformed_corpus();

}  // namespace inhouse::gguf::fixtures
