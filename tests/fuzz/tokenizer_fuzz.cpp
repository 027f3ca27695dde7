// libFuzzer harness for the tokenizers: random bytes are encoded by a byte-level BPE (GPT-2)
// and a SentencePiece (Llama 2) vocabulary with special tokens on and off, and random ids are
// decoded, whole and through the streaming decoder. Nothing may crash, every id produced must be
// inside the vocabulary, and streamed text must be valid UTF-8.
//   build/fuzz/tests/fuzz/tokenizer_fuzz -max_total_time=60 CORPUS_DIR
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "core/check.h"
#include "core/utf8.h"
#include "gguf/gguf_file.h"
#include "tokenizer/stream_decoder.h"
#include "tokenizer/tokenizer.h"

namespace inhouse::tokenizer {
namespace {

struct LoadedVocab {
    std::unique_ptr<gguf::GgufFile> file;
    std::unique_ptr<Tokenizer> tokenizer;
};

LoadedVocab load(const char* name) {
    const std::string path = std::string(INHOUSE_TEST_DATA_DIR) + "/vocab/ggml-vocab-" + name + ".gguf";
    auto file = gguf::GgufFile::open(path);
    INHOUSE_CHECK(file.ok(), "{}", file.ok() ? "" : file.error().to_string());
    LoadedVocab loaded{.file = std::make_unique<gguf::GgufFile>(std::move(file).value()), .tokenizer = nullptr};
    auto tokenizer = Tokenizer::load(*loaded.file);
    INHOUSE_CHECK(tokenizer.ok(), "{}", tokenizer.ok() ? "" : tokenizer.error().to_string());
    loaded.tokenizer = std::make_unique<Tokenizer>(std::move(tokenizer).value());
    return loaded;
}

void exercise(const Tokenizer& tokenizer, std::string_view text, const std::uint8_t* data, std::size_t size) {
    for (const bool parse_special : {false, true}) {
        const auto ids = tokenizer.encode(text, {.add_special = true, .parse_special = parse_special});
        for (const auto id : ids) INHOUSE_CHECK(tokenizer.vocab().contains(id), "id {} out of range", id);
        (void)tokenizer.decode(ids, {.remove_special = true});
    }
    // The same bytes read as token ids, most of them out of range.
    std::vector<TokenId> ids(size / sizeof(TokenId));
    if (!ids.empty()) std::memcpy(ids.data(), data, ids.size() * sizeof(TokenId));
    (void)tokenizer.decode(ids, {.render_special = true});
    StreamDecoder stream;
    std::string streamed;
    for (const auto id : ids) streamed += stream.push(tokenizer.token_to_piece(id, true));
    streamed += stream.finish();
    INHOUSE_CHECK(is_valid_utf8(streamed), "stream decoder emitted invalid UTF-8");
}

}  // namespace
}  // namespace inhouse::tokenizer

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace inhouse::tokenizer;
    static const LoadedVocab bpe = load("gpt-2");
    static const LoadedVocab spm = load("llama-spm");
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    exercise(*bpe.tokenizer, text, data, size);
    exercise(*spm.tokenizer, text, data, size);
    return 0;
}
