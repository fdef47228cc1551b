// Text of a value as Go's fmt prints it with %v, because compose-go builds "KEY=VAL" list entries
// that way and files merged by docker compose must give the same entries here.
#pragma once

#include <string>

#include "compose/node.hpp"

namespace berth::compose::detail {

// 1 -> "1", 0x1f -> "31", 1.50 -> "1.5", True -> "true", [a b] for lists, map[k:v] for mappings.
std::string go_text(const Node& value);

// Shortest round-trip digits, in exponent form only below 1e-4 or from 1e21 on.
std::string go_float(double v);

}  // namespace berth::compose::detail
