// `berth config`: load, validate and print the project as docker compose would, with no daemon.
#pragma once

#include <CLI/CLI.hpp>

#include "project_options.hpp"

namespace berth::cli {

void add_config_command(CLI::App& app, ProjectFlags& flags, int& exit_code);

}  // namespace berth::cli
