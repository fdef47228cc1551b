// The verbs that change a project's containers: up, create, down, start, stop, restart, kill,
// pause, unpause, rm. Each sends the loaded project to berthd and renders its progress stream.
#pragma once

#include "verb_support.hpp"

namespace berth::cli {

void add_lifecycle_commands(CLI::App& app, VerbContext ctx);

}  // namespace berth::cli
