// A service's log rotation: logging.options of the compose model over the daemon's log-opts.
#pragma once

#include <cstdint>

#include "common/result.hpp"
#include "compose/node.hpp"

namespace berth::scheduler {

struct LogRotation {
    std::uint64_t max_size = 0;  // bytes; 0: never rotate
    int max_file = 1;            // files kept, the live one included
};

// json-file's max-size ("10m", "1g", plain bytes) and max-file ("3") from the service's
// logging.options when its driver is json-file (or unset); `defaults` (the daemon's log-opts)
// fill what the service leaves out. Errors point at the option and say what is accepted.
Result<LogRotation> log_rotation_of(const compose::Node& service, const LogRotation& defaults);

}  // namespace berth::scheduler
