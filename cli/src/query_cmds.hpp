// The verbs that read: ps, top, wait, events, stats, ls.
#pragma once

#include "verb_support.hpp"

namespace berth::cli {

void add_query_commands(CLI::App& app, VerbContext ctx);

}  // namespace berth::cli
