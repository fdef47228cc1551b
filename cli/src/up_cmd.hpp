// `berth up` and `berth create`: converge the project, and without -d follow its logs until
// Ctrl-C, which stops the project (a second Ctrl-C kills it), as docker compose does.
#pragma once

#include "verb_support.hpp"

namespace berth::cli {

void add_up_commands(CLI::App& app, VerbContext ctx);

}  // namespace berth::cli
