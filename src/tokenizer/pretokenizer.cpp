#include "tokenizer/pretokenizer.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <algorithm>
#include <array>

#include "core/check.h"

namespace inhouse::tokenizer {

namespace {

struct PreTokenizerSpec {
    std::vector<std::string_view> names;
    std::vector<std::string_view> regexes;
};

// The expressions each model family's tokenizer.json specifies (as llama.cpp adapts them:
// case-insensitive contractions spelled out, since the original uses an inline flag).
const std::vector<PreTokenizerSpec>& specs() {
    static const std::vector<PreTokenizerSpec> table = {
        {{"gpt2", "gpt-2", "phi-2", "mpt", "olmo"},
         {R"('s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S))"}},
        {{"smollm", "starcoder", "refact", "command-r", "codeshell", "exaone", "minerva-7b"},
         {R"(\p{N})",
          R"('s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S))"}},
        {{"llama3", "llama-v3", "llama-bpe", "falcon3"},
         {R"((?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+)"}},
        {{"qwen2", "deepseek-r1-qwen"},
         {R"((?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+)"}},
        {{"default"},
         {R"([\p{P}\$\+<=>\^~\|]+)",
          R"('s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S))",
          R"(\p{N}+)", R"([0-9][0-9][0-9])"}},
    };
    return table;
}

}  // namespace

struct PreTokenizer::CompiledRegex {
    pcre2_code* code = nullptr;
    ~CompiledRegex() { pcre2_code_free(code); }
};

PreTokenizer::PreTokenizer(PreTokenizer&&) noexcept = default;
PreTokenizer& PreTokenizer::operator=(PreTokenizer&&) noexcept = default;
PreTokenizer::~PreTokenizer() = default;

std::vector<std::string_view> PreTokenizer::known_names() {
    std::vector<std::string_view> names;
    for (const auto& spec : specs()) names.insert(names.end(), spec.names.begin(), spec.names.end());
    return names;
}

Result<PreTokenizer> PreTokenizer::create(std::string_view pre_name) {
    for (const auto& spec : specs()) {
        if (std::find(spec.names.begin(), spec.names.end(), pre_name) == spec.names.end()) continue;
        PreTokenizer pre;
        for (const auto expression : spec.regexes) {
            int error_code = 0;
            PCRE2_SIZE error_offset = 0;
            auto regex = std::make_unique<CompiledRegex>();
            regex->code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(expression.data()),
                                        expression.size(), PCRE2_UTF | PCRE2_UCP | PCRE2_NO_UTF_CHECK,
                                        &error_code, &error_offset, nullptr);
            INHOUSE_CHECK(regex->code != nullptr, "pre-tokenizer regex {} fails to compile at {}",
                          expression, error_offset);
            pcre2_jit_compile(regex->code, PCRE2_JIT_COMPLETE);  // falls back to the interpreter
            pre.regexes_.push_back(std::move(regex));
        }
        return pre;
    }
    return make_error(ErrorCode::Unsupported,
                      "unknown pre-tokenizer '{}' in tokenizer.ggml.pre (known: {})", pre_name,
                      fmt::join(known_names(), ", "));
}

void PreTokenizer::split(std::string_view text, std::vector<std::string_view>& pieces) const {
    std::vector<std::string_view> current = {text};
    std::vector<std::string_view> next;
    for (const auto& regex : regexes_) {
        pcre2_match_data* match = pcre2_match_data_create_from_pattern(regex->code, nullptr);
        INHOUSE_CHECK(match != nullptr, "out of memory");
        next.clear();
        for (const auto chunk : current) {
            // Each chunk is its own subject, so lookaheads stop at its end as they do in the
            // reference implementation.
            const auto* subject = reinterpret_cast<PCRE2_SPTR>(chunk.data());
            PCRE2_SIZE start = 0;
            PCRE2_SIZE last_end = 0;
            while (start < chunk.size()) {
                const int rc = pcre2_match(regex->code, subject, chunk.size(), start,
                                           PCRE2_NO_UTF_CHECK, match, nullptr);
                if (rc < 0) break;
                const PCRE2_SIZE* ovector = pcre2_get_ovector_pointer(match);
                const PCRE2_SIZE match_start = ovector[0];
                const PCRE2_SIZE match_end = ovector[1];
                if (match_end == match_start) {  // no expression here matches empty; be safe
                    do {
                        ++start;
                    } while (start < chunk.size() && (chunk[start] & 0xC0) == 0x80);
                    continue;
                }
                if (match_start > last_end) next.push_back(chunk.substr(last_end, match_start - last_end));
                next.push_back(chunk.substr(match_start, match_end - match_start));
                last_end = start = match_end;
            }
            if (last_end < chunk.size()) next.push_back(chunk.substr(last_end));
        }
        pcre2_match_data_free(match);
        current.swap(next);
    }
    pieces.insert(pieces.end(), current.begin(), current.end());
}

}  // namespace inhouse::tokenizer
