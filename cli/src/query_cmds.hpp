// The verbs that read: ps, top, wait, events, stats, ls.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "verb_support.hpp"

namespace berth::cli {

void add_query_commands(CLI::App& app, VerbContext ctx);

// docker compose's `images`: the images of the project's containers. nullopt when there is no
// project to speak of (no compose file found and no project name given).
std::optional<int> run_project_images(const VerbContext& ctx,
                                      const std::vector<std::string>& services,
                                      const std::string& format, bool quiet);

}  // namespace berth::cli
