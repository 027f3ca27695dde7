#include "sampling/json_prefix.h"

namespace inhouse::sampling {

namespace {

bool is_whitespace(unsigned char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }
bool is_digit(unsigned char c) { return c >= '0' && c <= '9'; }
bool is_hex(unsigned char c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

}  // namespace

bool JsonPrefix::feed(std::string_view bytes) noexcept {
    for (const char c : bytes) {
        if (!feed(static_cast<unsigned char>(c))) return false;
    }
    return true;
}

bool JsonPrefix::open(bool is_object) noexcept {
    if (depth_ >= kMaxDepth) return false;
    if (is_object) {
        objects_ |= (std::uint64_t{1} << depth_);
    } else {
        objects_ &= ~(std::uint64_t{1} << depth_);
    }
    ++depth_;
    state_ = is_object ? State::KeyOrClose : State::ValueOrClose;
    return true;
}

bool JsonPrefix::close(unsigned char byte) noexcept {
    if (depth_ == 0 || (byte == '}') != in_object()) return false;
    --depth_;
    state_ = depth_ == 0 ? State::Done : State::AfterValue;
    return true;
}

bool JsonPrefix::start_value(unsigned char byte) noexcept {
    switch (byte) {
        case '{': return open(true);
        case '[': return open(false);
        case '"':
            state_ = State::String;
            string_is_key_ = false;
            return true;
        case '-': state_ = State::Minus; return true;
        case '0': state_ = State::Zero; return true;
        case 't': literal_ = "rue"; break;
        case 'f': literal_ = "alse"; break;
        case 'n': literal_ = "ull"; break;
        default:
            if (byte >= '1' && byte <= '9') {
                state_ = State::Integer;
                digits_ = 1;
                return true;
            }
            return false;
    }
    state_ = State::Literal;
    return true;
}

// A number ends at the first byte that cannot continue it; that byte then follows the value.
bool JsonPrefix::end_number(unsigned char byte) noexcept {
    state_ = State::AfterValue;
    return feed(byte);
}

bool JsonPrefix::feed(unsigned char byte) noexcept {
    const bool whitespace_allowed = state_ == State::Start || state_ == State::KeyOrClose || state_ == State::Key ||
                                    state_ == State::Colon || state_ == State::Value ||
                                    state_ == State::ValueOrClose || state_ == State::AfterValue;
    if (whitespace_allowed && is_whitespace(byte)) {
        return ++whitespace_run_ <= kMaxWhitespaceRun;
    }
    whitespace_run_ = 0;
    switch (state_) {
        case State::Start: return byte == '{' && open(true);
        case State::KeyOrClose:
            if (byte == '}') return close(byte);
            [[fallthrough]];
        case State::Key:
            if (byte != '"') return false;
            state_ = State::String;
            string_is_key_ = true;
            return true;
        case State::Colon:
            if (byte != ':') return false;
            state_ = State::Value;
            return true;
        case State::ValueOrClose:
            if (byte == ']') return close(byte);
            [[fallthrough]];
        case State::Value: return start_value(byte);
        case State::AfterValue:
            if (byte == ',') {
                state_ = in_object() ? State::Key : State::Value;
                return true;
            }
            return (byte == '}' || byte == ']') && close(byte);
        case State::String:
            if (byte == '"') {
                state_ = string_is_key_ ? State::Colon : State::AfterValue;
                return true;
            }
            if (byte == '\\') {
                state_ = State::Escape;
                return true;
            }
            return byte >= 0x20;  // control characters must be escaped; UTF-8 bytes pass
        case State::Escape:
            if (byte == 'u') {
                state_ = State::Unicode;
                pending_ = 4;
                return true;
            }
            state_ = State::String;
            return byte == '"' || byte == '\\' || byte == '/' || byte == 'b' || byte == 'f' || byte == 'n' ||
                   byte == 'r' || byte == 't';
        case State::Unicode:
            if (!is_hex(byte)) return false;
            if (--pending_ == 0) state_ = State::String;
            return true;
        case State::Minus:
            if (byte == '0') {
                state_ = State::Zero;
                return true;
            }
            if (byte >= '1' && byte <= '9') {
                state_ = State::Integer;
                digits_ = 1;
                return true;
            }
            return false;
        case State::Zero:
        case State::Integer:
            if (state_ == State::Integer && is_digit(byte)) return ++digits_ <= kMaxIntegerDigits;
            if (byte == '.') {
                state_ = State::FractionStart;
                return true;
            }
            if (byte == 'e' || byte == 'E') {
                state_ = State::ExponentStart;
                return true;
            }
            return end_number(byte);
        case State::FractionStart:
            if (!is_digit(byte)) return false;
            state_ = State::Fraction;
            return true;
        case State::Fraction:
            if (is_digit(byte)) return true;
            if (byte == 'e' || byte == 'E') {
                state_ = State::ExponentStart;
                return true;
            }
            return end_number(byte);
        case State::ExponentStart:
            if (byte == '+' || byte == '-') {
                state_ = State::ExponentSign;
                return true;
            }
            [[fallthrough]];
        case State::ExponentSign:
            if (!is_digit(byte)) return false;
            state_ = State::Exponent;
            digits_ = 1;
            return true;
        case State::Exponent:
            if (is_digit(byte)) return ++digits_ <= kMaxExponentDigits;
            return end_number(byte);
        case State::Literal:
            if (byte != static_cast<unsigned char>(*literal_)) return false;
            ++literal_;
            if (*literal_ == '\0') state_ = State::AfterValue;
            return true;
        case State::Done: return false;
    }
    return false;
}

}  // namespace inhouse::sampling
