// berthd's command line, parsed into DaemonFlags (getopt_long: CLI11 alone would double the
// daemon's compile time for a dozen flags).
#pragma once

#include <string>

#include "common/result.hpp"
#include "daemon/config.hpp"

namespace berth::daemon {

struct ParsedFlags {
    DaemonFlags flags;
    bool help = false;
    bool version = false;
};

Result<ParsedFlags> parse_daemon_flags(int argc, char** argv);
std::string daemon_usage();

}  // namespace berth::daemon
