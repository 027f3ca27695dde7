#include "tokenizer/stream_decoder.h"

#include <gtest/gtest.h>

namespace inhouse::tokenizer {
namespace {

TEST(StreamDecoder, HoldsACharacterSplitAcrossTokensUntilItIsComplete) {
    StreamDecoder decoder;
    EXPECT_EQ(decoder.push("caf"), "caf");
    EXPECT_EQ(decoder.push("\xC3"), "");
    EXPECT_EQ(decoder.push("\xA9!"), "\xC3\xA9!");
    EXPECT_EQ(decoder.push("\xF0\x9F"), "");
    EXPECT_EQ(decoder.push("\xA6"), "");
    EXPECT_EQ(decoder.push("\x99"), "\xF0\x9F\xA6\x99");  // 🦙 in three pieces
    EXPECT_EQ(decoder.finish(), "");
}

TEST(StreamDecoder, BytesThatCannotFormACharacterBecomeReplacementCharacters) {
    StreamDecoder decoder;
    EXPECT_EQ(decoder.push("a\xFF" "b"), "a\xEF\xBF\xBD" "b");
    EXPECT_EQ(decoder.push("\x80"), "\xEF\xBF\xBD");             // lone continuation
    EXPECT_EQ(decoder.push("\xC3" "x"), "\xEF\xBF\xBD" "x");     // interrupted sequence
    EXPECT_EQ(decoder.push("\xED\xA0"), "\xEF\xBF\xBD\xEF\xBF\xBD");  // surrogate: never valid
    EXPECT_EQ(decoder.push("\xE2\x82"), "");
    EXPECT_EQ(decoder.finish(), "\xEF\xBF\xBD");  // the stream ended inside a character
}

TEST(StreamDecoder, OutputIsAlwaysValidUtf8ForAnyByteSplit) {
    const std::string text = "h\xC3\xA9llo \xE2\x82\xAC \xF0\x9F\x98\x80 \xE4\xBD\xA0";
    for (std::size_t cut = 0; cut <= text.size(); ++cut) {
        StreamDecoder decoder;
        std::string out = decoder.push(text.substr(0, cut));
        out += decoder.push(text.substr(cut));
        out += decoder.finish();
        EXPECT_EQ(out, text) << "split at " << cut;
    }
}

}  // namespace
}  // namespace inhouse::tokenizer
