#include "core/utf8.h"

#include <gtest/gtest.h>

namespace inhouse {
namespace {

TEST(Utf8, AcceptsAsciiAndMultiByteCharacters) {
    EXPECT_TRUE(is_valid_utf8(""));
    EXPECT_TRUE(is_valid_utf8("hello"));
    EXPECT_TRUE(is_valid_utf8("h\xC3\xA9llo \xE2\x82\xAC \xF0\x9F\x98\x80"));  // é € 😀
    EXPECT_TRUE(is_valid_utf8("\xF4\x8F\xBF\xBF"));                           // U+10FFFF
}

TEST(Utf8, ReportsTheOffsetOfTheFirstInvalidSequence) {
    EXPECT_EQ(find_invalid_utf8("ab\xFF"), 2u);
    EXPECT_EQ(find_invalid_utf8("abc\xC3"), 3u);         // truncated two-byte sequence
    EXPECT_EQ(find_invalid_utf8("\xC0\xAF"), 0u);        // overlong '/'
    EXPECT_EQ(find_invalid_utf8("\xE0\x80\xAF"), 0u);    // overlong three-byte form
    EXPECT_EQ(find_invalid_utf8("x\xED\xA0\x80"), 1u);   // surrogate U+D800
    EXPECT_EQ(find_invalid_utf8("\xF4\x90\x80\x80"), 0u);  // past U+10FFFF
    EXPECT_EQ(find_invalid_utf8("\xE2\x28\xA1"), 0u);    // bad continuation byte
    EXPECT_EQ(find_invalid_utf8("\x80"), 0u);            // lone continuation byte
}

}  // namespace
}  // namespace inhouse
