// Byte-level BPE (GPT-2 style): each pre-tokenized piece is mapped byte by byte to printable
// code points, then adjacent symbols are merged by merge rank until no ranked pair remains.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "tokenizer/vocab.h"

namespace inhouse::tokenizer {

// GPT-2's reversible byte → code point mapping, as UTF-8 strings.
const std::string& byte_to_symbol(std::uint8_t byte);
// Inverse of byte_to_symbol over a token text; code points outside the mapping are kept as
// their UTF-8 bytes.
std::string symbols_to_bytes(std::string_view text);

// Appends the tokens of one piece (raw bytes) to `output`.
void bpe_encode_piece(const Vocab& vocab, std::string_view piece, std::vector<TokenId>& output);

}  // namespace inhouse::tokenizer
