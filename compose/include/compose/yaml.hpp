// YAML text <-> Node. Reading keeps positions, expands anchors and `<<` merge keys, rejects
// duplicate keys and alias bombs; writing follows the layout `docker compose config` prints.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "compose/node.hpp"

namespace berth::compose {

struct YamlLimits {
    // Nodes that alias expansion may copy per document: a few anchors reused everywhere stay far
    // below this, a "billion laughs" document goes above it long before memory runs out.
    std::size_t max_alias_nodes = 100000;
};

// Every document of `text`; throws LoadError naming `filename`.
std::vector<Node> parse_yaml(std::string_view text, const std::string& filename,
                             YamlLimits limits = {});

// Block-style YAML with two-space indents; strings are quoted only where YAML would misread them.
std::string emit_yaml(const Node& node);

// Compact JSON (indent < 0) or indented JSON; scalars keep the type they resolve to.
std::string emit_json(const Node& node, int indent = 2);

}  // namespace berth::compose
