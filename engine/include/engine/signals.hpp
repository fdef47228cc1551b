// Signal names as users type them (stop_signal, kill -s): TERM, SIGTERM, 15, RTMIN+3.
#pragma once

#include <string>

#include "common/result.hpp"

namespace berth::engine {

// "TERM", "sigterm", "SIGTERM" and "15" all give 15. Anything else is an error that says what is
// accepted: `unknown signal "FOO": use a name such as TERM or KILL, or a number from 1 to 64`.
Result<int> parse_signal(const std::string& text);

// 15 -> "SIGTERM"; "SIG<n>" for a number without a name.
std::string signal_name(int sig);

}  // namespace berth::engine
