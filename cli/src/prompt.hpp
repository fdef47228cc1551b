// docker's yes/no question (`prune` without -f): the question and " [y/N] " on `out`, one line of
// answer from `in`, whatever `in` is (a terminal, a pipe, /dev/null).
#pragma once

#include <istream>
#include <ostream>
#include <string>

namespace berth::cli {

// True only for "y" or "Y", spaces around it ignored; an empty line or end of input is no.
bool confirm(std::istream& in, std::ostream& out, const std::string& question);

}  // namespace berth::cli
