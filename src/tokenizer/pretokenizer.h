// Pre-tokenization for byte-level BPE: the regular expressions named by tokenizer.ggml.pre,
// applied in sequence (each splits the pieces the previous one produced), through PCRE2 with
// Unicode properties. A piece is either a match or the text between matches.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace inhouse::tokenizer {

class PreTokenizer {
public:
    // An error names an unknown `pre` value and lists the known ones.
    static Result<PreTokenizer> create(std::string_view pre_name);

    PreTokenizer(PreTokenizer&&) noexcept;
    PreTokenizer& operator=(PreTokenizer&&) noexcept;
    ~PreTokenizer();

    // Appends the pieces of `text` (valid UTF-8) to `pieces`, as views into `text`.
    void split(std::string_view text, std::vector<std::string_view>& pieces) const;

    static std::vector<std::string_view> known_names();

private:
    struct CompiledRegex;
    PreTokenizer() = default;
    std::vector<std::unique_ptr<CompiledRegex>> regexes_;
};

}  // namespace inhouse::tokenizer
