// Result<T>: a value or an Error, for everything that bad input can reach.
// An Error carries a message plus a chain of context added by callers, outermost first
// when printed: "loading model.gguf: tensor 'x' at offset 0x40: data runs past end of file".
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include <fmt/format.h>

namespace inhouse {

enum class ErrorCode : std::uint8_t {
    InvalidArgument,  // a flag, name or request the caller wrote
    InvalidFormat,    // a file whose bytes break its format
    NotFound,
    Io,
    ChecksumMismatch,
    Unsupported,
    Internal,
    ResourceExhausted,  // a queue or pool is full now; the same request may succeed later
};

class Error {
public:
    Error(ErrorCode code, std::string message) : code_(code), message_(std::move(message)) {}

    ErrorCode code() const { return code_; }
    // The innermost message, without context.
    const std::string& message() const { return message_; }

    // Adds a line of context; the newest context is printed first.
    template <typename... Args>
    Error& context(fmt::format_string<Args...> format, Args&&... args) & {
        context_.push_back(fmt::format(format, std::forward<Args>(args)...));
        return *this;
    }
    template <typename... Args>
    Error&& context(fmt::format_string<Args...> format, Args&&... args) && {
        context_.push_back(fmt::format(format, std::forward<Args>(args)...));
        return std::move(*this);
    }

    // "outer: inner: message"
    std::string to_string() const;

private:
    ErrorCode code_;
    std::string message_;
    std::vector<std::string> context_;  // innermost first
};

template <typename... Args>
Error make_error(ErrorCode code, fmt::format_string<Args...> format, Args&&... args) {
    return Error(code, fmt::format(format, std::forward<Args>(args)...));
}

template <typename T>
class [[nodiscard]] Result {
public:
    Result(T value) : state_(std::in_place_index<0>, std::move(value)) {}
    Result(Error error) : state_(std::in_place_index<1>, std::move(error)) {}

    bool ok() const { return state_.index() == 0; }
    explicit operator bool() const { return ok(); }

    T& value() & { return std::get<0>(state_); }
    const T& value() const& { return std::get<0>(state_); }
    T&& value() && { return std::get<0>(std::move(state_)); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }

    Error& error() & { return std::get<1>(state_); }
    const Error& error() const& { return std::get<1>(state_); }
    Error&& error() && { return std::get<1>(std::move(state_)); }

private:
    std::variant<T, Error> state_;
};

template <>
class [[nodiscard]] Result<void> {
public:
    Result() = default;
    Result(Error error) : error_(std::move(error)) {}

    bool ok() const { return !error_.has_value(); }
    explicit operator bool() const { return ok(); }

    Error& error() & { return *error_; }
    const Error& error() const& { return *error_; }
    Error&& error() && { return std::move(*error_); }

private:
    std::optional<Error> error_;
};

using Status = Result<void>;

}  // namespace inhouse

#define INHOUSE_CONCAT_INNER(a, b) a##b
#define INHOUSE_CONCAT(a, b) INHOUSE_CONCAT_INNER(a, b)

// Evaluates a Result<void> expression and returns its error from the enclosing function.
#define INHOUSE_RETURN_IF_ERROR(expr)                  \
    do {                                               \
        auto inhouse_status_ = (expr);                 \
        if (!inhouse_status_.ok()) {                   \
            return std::move(inhouse_status_).error(); \
        }                                              \
    } while (false)

// `INHOUSE_ASSIGN_OR_RETURN(auto x, f());` binds the value or returns the error.
#define INHOUSE_ASSIGN_OR_RETURN(lhs, expr) \
    INHOUSE_ASSIGN_OR_RETURN_IMPL(INHOUSE_CONCAT(inhouse_result_, __LINE__), lhs, expr)
#define INHOUSE_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
    auto tmp = (expr);                                \
    if (!tmp.ok()) {                                  \
        return std::move(tmp).error();                \
    }                                                 \
    lhs = std::move(tmp).value()
