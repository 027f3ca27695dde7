// JSON mode (OpenAI's response_format {"type": "json_object"}): a byte-level recognizer of the
// prefixes of one JSON object. The engine masks every token whose text would leave the
// language, so the output always parses once the object is closed. A pushdown automaton with a
// bounded stack: copying one is cheap, so each candidate token is tried on a copy.
#pragma once

#include <cstdint>
#include <string_view>

namespace inhouse::sampling {

class JsonPrefix {
public:
    // Nesting beyond this is refused (it also bounds the stack).
    static constexpr int kMaxDepth = 64;
    // Whitespace runs longer than this are refused, so a model cannot pad forever.
    static constexpr int kMaxWhitespaceRun = 32;
    // Numbers stay within what every parser reads as a finite double: integer parts of at most
    // 15 digits and exponents of at most 2 ("3E6316" is JSON, but parses to infinity or fails).
    static constexpr int kMaxIntegerDigits = 15;
    static constexpr int kMaxExponentDigits = 2;

    // Feeds bytes; false when no JSON object text starts with everything fed so far (the
    // recognizer is then left in an unspecified state: feed a copy when trying).
    bool feed(std::string_view bytes) noexcept;
    bool feed(unsigned char byte) noexcept;
    // The top-level object is closed: nothing more may follow.
    bool complete() const noexcept { return state_ == State::Done; }

private:
    enum class State : std::uint8_t {
        Start,            // before the top-level '{'
        KeyOrClose,       // after '{'
        Key,              // after ',' in an object
        Colon,            // after a key
        Value,            // after ':' or ',' in an array
        ValueOrClose,     // after '['
        AfterValue,       // after a value: ',' or the closing bracket
        String,
        Escape,
        Unicode,          // hex digits of \uXXXX
        Minus,
        Zero,
        Integer,
        FractionStart,
        Fraction,
        ExponentStart,
        ExponentSign,
        Exponent,
        Literal,          // true, false, null
        Done,
    };

    bool start_value(unsigned char byte) noexcept;
    bool open(bool is_object) noexcept;
    bool close(unsigned char byte) noexcept;
    bool end_number(unsigned char byte) noexcept;
    bool in_object() const noexcept { return depth_ > 0 && ((objects_ >> (depth_ - 1)) & 1u) != 0; }

    State state_ = State::Start;
    bool string_is_key_ = false;
    std::uint8_t depth_ = 0;
    std::uint8_t whitespace_run_ = 0;
    std::uint8_t pending_ = 0;          // hex digits of a \u escape still to come
    std::uint8_t digits_ = 0;           // of the integer part or exponent being read
    const char* literal_ = nullptr;     // the rest of a literal being matched
    std::uint64_t objects_ = 0;         // bit d: level d is an object (else an array)
};

}  // namespace inhouse::sampling
