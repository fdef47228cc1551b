// `berth network ls|create|rm|inspect|connect|disconnect|prune`, as `docker network` has them,
// over berthd's network routes (docs/api.md, "Networks"; docs/cli.md, "Networks").
#pragma once

#include <CLI/CLI.hpp>

#include "verb_support.hpp"

namespace berth::cli {

void add_network_commands(CLI::App& app, VerbContext ctx);

}  // namespace berth::cli
