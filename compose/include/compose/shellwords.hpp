// Splits a command string into words the way compose does for `command`, `entrypoint` and hook
// commands given as one string: quotes and backslashes like a POSIX shell, but no expansion and no
// `sh -c`. Everything from the first unquoted ; & | < > on is dropped, as compose drops it.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"

namespace berth::compose {

// "bundle exec thin -p 3000" -> 5 words; `echo "a b"` -> [echo, a b]; an unterminated quote or
// escape, or a "(" not preceded by "$", is the error "invalid command line string".
Result<std::vector<std::string>> split_shell_words(std::string_view line);

}  // namespace berth::compose
