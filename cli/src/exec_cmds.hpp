// The verbs that run a process in a service's container: exec and run. Attached, the process
// gets the client's own stdin, stdout and stderr (passed over the socket); its exit code is ours.
#pragma once

#include "verb_support.hpp"

namespace berth::cli {

void add_exec_commands(CLI::App& app, VerbContext ctx);

}  // namespace berth::cli
