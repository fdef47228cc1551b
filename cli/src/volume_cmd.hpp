// `berth volume ls|create|rm|inspect|prune`, through berthd's /v1/volumes routes.
#pragma once

#include <CLI/CLI.hpp>

#include "verb_support.hpp"

namespace berth::cli {

void add_volume_commands(CLI::App& app, VerbContext ctx);

}  // namespace berth::cli
