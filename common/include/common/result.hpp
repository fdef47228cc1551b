// Result<T>: a value or an Error with a context chain, for failures the caller is expected to
// handle.
#pragma once

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace berth {

// An error: a human message, an optional errno, and the contexts it passed through, outermost first
// when printed ("create bridge br-1a2b: File exists").
class Error {
  public:
    Error() = default;
    explicit Error(std::string message, int errnum = 0)
        : message_(std::move(message)), errno_(errnum) {}

    // Prefix the message with what was being done, e.g. err.context("load compose.yaml").
    Error& context(const std::string& what) {
        message_ = what + ": " + message_;
        return *this;
    }

    const std::string& message() const { return message_; }
    int errnum() const { return errno_; }

  private:
    std::string message_;
    int errno_ = 0;
};

// Builds an Error from errno-style failures: "open /x: No such file or directory".
Error errno_error(const std::string& what, int errnum);

template <typename T>
class [[nodiscard]] Result {
  public:
    Result(T value) : v_(std::move(value)) {}      // NOLINT: implicit by design, like std::expected
    Result(Error error) : v_(std::move(error)) {}  // NOLINT

    bool ok() const { return v_.index() == 0; }
    explicit operator bool() const { return ok(); }

    T& value() & {
        assert(ok());
        return std::get<0>(v_);
    }
    const T& value() const& {
        assert(ok());
        return std::get<0>(v_);
    }
    T&& value() && {
        assert(ok());
        return std::get<0>(std::move(v_));
    }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }

    const Error& error() const {
        assert(!ok());
        return std::get<1>(v_);
    }
    Error& error() {
        assert(!ok());
        return std::get<1>(v_);
    }

  private:
    std::variant<T, Error> v_;
};

template <>
class [[nodiscard]] Result<void> {
  public:
    Result() = default;
    Result(Error error) : err_(std::move(error)), failed_(true) {}  // NOLINT

    bool ok() const { return !failed_; }
    explicit operator bool() const { return ok(); }
    const Error& error() const { return err_; }
    Error& error() { return err_; }

  private:
    Error err_;
    bool failed_ = false;
};

}  // namespace berth
