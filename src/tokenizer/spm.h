// SentencePiece-style encoding over a scored vocabulary: start from UTF-8 characters, merge the
// adjacent pair whose concatenation is the highest-scoring token until none is left, and emit
// characters that are not tokens as <0xNN> byte tokens (byte fallback).
#pragma once

#include <string_view>
#include <vector>

#include "tokenizer/vocab.h"

namespace inhouse::tokenizer {

// `text` has its spaces already escaped as U+2581 ("▁").
void spm_encode(const Vocab& vocab, std::string_view text, std::vector<TokenId>& output);

}  // namespace inhouse::tokenizer
