// The order in which compose prints the keys of a Go map (services, networks, environment, labels,
// ...): the Go YAML encoder sorts them, letters by code point, runs of digits by numeric value and
// other characters before letters ("a2" < "a10", "ENV.X" < "ENV_X" < "Env").
#pragma once

#include <string>

#include "compose/node.hpp"

namespace berth::compose {

bool go_map_key_less(const std::string& a, const std::string& b);

// Sorts a mapping's entries with go_map_key_less (stable; no-op for other kinds).
void sort_map_keys(Node& map);

}  // namespace berth::compose
