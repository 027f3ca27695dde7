#include "sampling/stop_strings.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/utf8.h"
#include "sampling/rng.h"

namespace inhouse::sampling {
namespace {

struct StreamResult {
    std::string text;                 // everything emitted, finish() included
    std::vector<std::string> pieces;  // what each push returned
    std::optional<std::size_t> matched;
};

StreamResult stream(const std::vector<std::string>& stop_strings,
                    const std::vector<std::string>& chunks) {
    StopStringMatcher matcher(stop_strings);
    StreamResult result;
    for (const std::string& chunk : chunks) {
        result.pieces.push_back(matcher.push(chunk));
        result.text += result.pieces.back();
    }
    result.text += matcher.finish();
    result.matched = matcher.matched_stop_index();
    return result;
}

std::vector<std::string> bytes_of(std::string_view text) {
    std::vector<std::string> chunks;
    for (const char byte : text) {
        chunks.emplace_back(1, byte);
    }
    return chunks;
}

TEST(StopStringMatcher, FindsAStopStringFedOneByteAtATime) {
    const StreamResult result = stream({"STOP"}, bytes_of("Hello, world! STOP and more"));
    EXPECT_EQ(result.text, "Hello, world! ");
    EXPECT_EQ(result.matched, 0U);
}

TEST(StopStringMatcher, EmitsTextAsSoonAsItCannotStartAStopString) {
    StopStringMatcher matcher({"STOP"});
    EXPECT_EQ(matcher.push("Hello S"), "Hello ");
    EXPECT_EQ(matcher.push("T"), "");
    EXPECT_EQ(matcher.push("x "), "STx ");
    EXPECT_EQ(matcher.push("STO"), "");
    EXPECT_EQ(matcher.push("P!"), "");
    EXPECT_TRUE(matcher.is_stopped());
    EXPECT_EQ(matcher.push("more"), "");
    EXPECT_EQ(matcher.finish(), "");
}

TEST(StopStringMatcher, HandlesOverlappingPrefixesForEveryChunking) {
    // After "abcab" comes "c", which breaks "abcabd" but leaves "abc" as a new prefix.
    const std::string text = "abcabcabd";
    EXPECT_EQ(stream({"abcabd"}, bytes_of(text)).text, "abc");
    for (std::size_t cut = 0; cut <= text.size(); ++cut) {
        const StreamResult result = stream({"abcabd"}, {text.substr(0, cut), text.substr(cut)});
        EXPECT_EQ(result.text, "abc") << "split at " << cut;
        EXPECT_TRUE(result.matched.has_value()) << "split at " << cut;
    }
}

TEST(StopStringMatcher, MatchesAcrossUtf8CharactersAndNeverEmitsHalfACharacter) {
    // "ü" is C3 BC; "é" (C3 A9) shares its first byte.
    const std::string text =
        "Caf\xC3\xA9 Gr\xC3\xBC\xC3\x9F"
        "e";
    const StreamResult result = stream({"\xC3\xBC"}, bytes_of(text));
    EXPECT_EQ(result.text, "Caf\xC3\xA9 Gr");
    for (const std::string& piece : result.pieces) {
        EXPECT_TRUE(is_valid_utf8(piece)) << "a piece split a character";
    }
}

TEST(StopStringMatcher, HoldsAnIncompleteCharacterEvenWhenNoStopStringCouldStartThere) {
    StopStringMatcher matcher({"END"});
    EXPECT_EQ(matcher.push("caf"), "caf");
    EXPECT_EQ(matcher.push("\xC3"), "");
    EXPECT_EQ(matcher.push("\xA9 \xF0\x9F"), "\xC3\xA9 ");
    EXPECT_EQ(matcher.push("\xA6\x99"), "\xF0\x9F\xA6\x99");
    EXPECT_EQ(matcher.finish(), "");
}

TEST(StopStringMatcher, OfSeveralStopStringsTheFirstToCompleteWinsHoweverTheTextIsCut) {
    const StreamResult newline = stream({"\n\n", "User:", "###"}, bytes_of("Answer: 42\nUser: hi"));
    EXPECT_EQ(newline.text, "Answer: 42\n");
    EXPECT_EQ(newline.matched, 1U);

    // "cbb" starts first but "b" completes first, byte by byte or in one chunk.
    for (const auto& chunks : {bytes_of("cccbbab"), std::vector<std::string>{"cccbbab"}}) {
        const StreamResult result = stream({"cbb", "b"}, chunks);
        EXPECT_EQ(result.text, "ccc");
        EXPECT_EQ(result.matched, 1U);
    }

    // Completing at the same byte, the longer one wins (it starts earlier).
    const StreamResult same_end = stream({"bc", "abc"}, {"xabcd"});
    EXPECT_EQ(same_end.text, "x");
    EXPECT_EQ(same_end.matched, 1U);
}

TEST(StopStringMatcher, AStopStringAtTheVeryStartEmitsNothing) {
    const StreamResult result = stream({"<|end|>"}, {"<|", "end", "|>", "tail"});
    EXPECT_EQ(result.text, "");
    EXPECT_EQ(result.matched, 0U);
}

TEST(StopStringMatcher, WithoutAMatchEverythingComesOutByTheEnd) {
    const std::string text = "the end is ST";
    const StreamResult result = stream({"STOP", "\n\n"}, bytes_of(text));
    EXPECT_EQ(result.text, text);
    EXPECT_FALSE(result.matched.has_value());
    EXPECT_EQ(result.pieces.back(), "");  // "ST" was held back until finish()
}

TEST(StopStringMatcher, WithNoStopStringsPassesTextThrough) {
    StopStringMatcher matcher({"", ""});
    EXPECT_EQ(matcher.push("anything"), "anything");
    EXPECT_FALSE(matcher.is_stopped());
}

// Property: for random texts, stop strings and chunkings over a tiny alphabet (so prefixes
// overlap constantly), the output is the text before the stop string that ends first in the
// whole text (the longer one on a tie).
TEST(StopStringMatcher, AgreesWithAWholeTextSearchForRandomChunkings) {
    Rng rng(99);
    const auto random_string = [&](std::size_t max_length) {
        std::string text(1 + rng.next_u64() % max_length, 'a');
        for (char& byte : text) {
            byte = static_cast<char>('a' + rng.next_u64() % 3);
        }
        return text;
    };
    for (int trial = 0; trial < 3000; ++trial) {
        const std::vector<std::string> stops = {random_string(5), random_string(5)};
        const std::string text = random_string(30);
        std::size_t expected_end = text.size();
        std::size_t first_completion = std::string::npos;
        for (const std::string& stop : stops) {
            const std::size_t found = text.find(stop);
            if (found == std::string::npos) {
                continue;
            }
            const std::size_t completion = found + stop.size();
            if (completion < first_completion ||
                (completion == first_completion && found < expected_end)) {
                first_completion = completion;
                expected_end = found;
            }
        }
        std::vector<std::string> chunks;
        for (std::size_t begin = 0; begin < text.size();) {
            const std::size_t length = 1 + rng.next_u64() % 4;
            chunks.push_back(text.substr(begin, length));
            begin += length;
        }
        const StreamResult result = stream(stops, chunks);
        ASSERT_EQ(result.text, text.substr(0, expected_end))
            << "text " << text << ", stops " << stops[0] << " " << stops[1];
        ASSERT_EQ(result.matched.has_value(), expected_end != text.size());
    }
}

}  // namespace
}  // namespace inhouse::sampling
