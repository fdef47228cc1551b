// The container options of berth-run, shared with berth-ctr create: one parser, so both tools
// spell and interpret every option the same way.
#pragma once

#include <getopt.h>

#include <string>
#include <vector>

#include "common/result.hpp"
#include "engine/spec.hpp"

namespace berth::engine {

struct RunOptions {
    ContainerSpec spec;
    bool userns = false;
};

// getopt_long ids of the shared options lie in [256, kRunOptionIdEnd); a tool adds its own above.
inline constexpr int kRunOptionIdEnd = 512;

// The "  --rootfs DIR | ..." lines of the usage text.
const char* run_options_usage();

// The shared entries of a getopt_long table (no terminating zero entry).
std::vector<option> run_option_table();

// Applies one parsed option, e.g. ("--bind" id, "/src:/dst:ro"); an invalid value is an error that
// names it.
Result<void> apply_run_option(int id, const std::string& arg, RunOptions& opts);

// The spec once every option is applied: the command, a default PATH, default id maps.
Result<ContainerSpec> finish_run_options(RunOptions opts, std::vector<std::string> args);

}  // namespace berth::engine
