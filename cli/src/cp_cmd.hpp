// `berth cp`: copy files between a service container and the local filesystem, as tar archives
// through berthd's archive route.
#pragma once

#include <optional>
#include <string>

#include "verb_support.hpp"

namespace berth::cli {

struct CopyEnd {
    std::string service;  // empty: a local path
    std::string path;
};

// "web:/etc/hosts" names a container path; "./x", "/x", "C:x" after a slash are local.
CopyEnd parse_copy_end(const std::string& arg);

void add_cp_command(CLI::App& app, VerbContext ctx);

}  // namespace berth::cli
