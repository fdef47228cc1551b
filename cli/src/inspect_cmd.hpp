// `berth inspect CONTAINER...`: containers as Docker's inspect prints them.
#pragma once

#include "verb_support.hpp"

namespace berth::cli {

void add_inspect_command(CLI::App& app, VerbContext ctx);

}  // namespace berth::cli
