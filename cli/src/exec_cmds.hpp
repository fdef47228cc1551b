// The verbs that run a process in a service's container: exec and run. Attached, the process
// gets the client's own stdin, stdout and stderr (passed over the socket); its exit code is ours.
#pragma once

#include <string>
#include <vector>

#include "verb_support.hpp"

namespace berth::cli {

void add_exec_commands(CLI::App& app, VerbContext ctx);

// Everything after SERVICE belongs to the command, even words that look like flags (`berth exec
// web ls -la`): inserts "--" after SERVICE in the arguments (without argv[0]).
std::vector<std::string> mark_command_start(std::vector<std::string> args);

}  // namespace berth::cli
