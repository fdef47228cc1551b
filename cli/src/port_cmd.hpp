// `berth port SERVICE PRIVATE_PORT`: the public address of a service's published port, as
// `docker compose port` prints it.
#pragma once

#include <CLI/CLI.hpp>

#include "verb_support.hpp"

namespace berth::cli {

void add_port_command(CLI::App& app, VerbContext ctx);

}  // namespace berth::cli
