// Typed scalar values of the compose format: Go-style durations and Docker byte sizes. Pure
// functions, so that the loader, the CLI (`--timeout`) and the daemon agree on one reading.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.hpp"

namespace berth::compose {

// Nanoseconds, like Go's time.Duration.
using Nanoseconds = std::int64_t;

// Reads "1m30s", "1.5h", "300ms", "2us", "-1s", "0", and the day/week units ("1d", "2w") that
// compose accepts on top of Go's own. Errors read like Go's: `time: invalid duration "x"`.
Result<Nanoseconds> parse_duration(std::string_view text);

// Prints as Go's Duration.String(): "1m0s", "2m0s", "10s", "1.5s", "300ms", "0s", "1h0m0s".
std::string format_duration(Nanoseconds d);

// Reads a byte size: a plain integer (negative allowed, as for memswap_limit: -1) or a number with
// a binary unit, k/m/g/t/p with an optional b or ib, in any case ("50M" 52428800, "1kb" 1024,
// "1.5g"). Errors read like Docker's: `invalid size: 'x'`, `invalid suffix: 'x'`.
Result<std::int64_t> parse_bytes(std::string_view text);

}  // namespace berth::compose
