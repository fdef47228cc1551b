// ${VAR} interpolation over a whole compose document, before it is validated or merged.
#pragma once

#include "compose/environment.hpp"
#include "compose/node.hpp"

namespace berth::compose {

// Expands every scalar value of `root` in place (mapping keys are left alone). A value that had a
// template becomes a string, except at the attributes compose types after interpolation
// (cpus, ports[].target, <resource>.external, ulimits, ...), where it must read as that type.
// Throws LoadError at the value's position, with compose's wording and the dotted path.
void interpolate(Node& root, const Lookup& lookup);

}  // namespace berth::compose
