// Loader errors: each names the file, line and column it is about, then what is wrong.
#pragma once

#include <stdexcept>
#include <string>

#include "compose/node.hpp"

namespace berth::compose {

// Thrown inside the loader's recursive tree walks and turned into a Result at the public boundary
// (compose::load and friends), so that deep transforms need not thread errors through every level.
class LoadError : public std::runtime_error {
  public:
    LoadError(Mark mark, const std::string& message)
        : std::runtime_error(mark.str() + ": " + message),
          mark_(std::move(mark)),
          message_(message) {}

    const Mark& mark() const { return mark_; }
    const std::string& message() const { return message_; }  // without the location

  private:
    Mark mark_;
    std::string message_;
};

[[noreturn]] inline void fail(const Mark& mark, const std::string& message) {
    throw LoadError(mark, message);
}

}  // namespace berth::compose
