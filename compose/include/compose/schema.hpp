// The compose specification applied to a document tree: which keys and values it allows, and the
// order in which `docker compose config` prints the keys of a normalized project.
#pragma once

#include <string_view>

#include "compose/node.hpp"

namespace berth::compose {

// Rejects mapping keys that YAML reads as something other than a string (`123:`, `true:`, `~:`),
// as compose-go does before anything else: "non-string key in services.web.environment: 1". Throws
// LoadError at the key.
void check_string_keys(const Node& root);

// Checks one compose file against the whole compose specification, as compose-go does: after
// interpolation (so that what ${VAR} produced is a string, accepted where the spec takes a string)
// and before the file is brought to its long forms, so every short and long syntax passes. Run
// check_string_keys first, and extends/include first too if their errors are to be compose-go's.
// On failure throws LoadError at the offending node (an unknown key: at the key; an empty value: at
// its key) with compose-go's words for the most specific problem found, e.g.
// "services.web.ports.0 additional properties 'foo' not allowed",
// "services.web.image must be a string", or "top-level object must be a mapping".
// Values tagged !reset are skipped: the merge removes them.
void validate_schema(const Node& root);

// Puts every mapping of a normalized document (long forms everywhere) in the order `docker compose
// config` prints: the known keys of each element in compose-go's struct field order, then its x-*
// extensions (and any key the spec does not know) by key; free-form maps (services, labels,
// environment, driver_opts, the contents of extensions, ...) by key. Sequences keep their order.
void order_keys(Node& root);

// The order go-yaml gives to map keys: code points, except that runs of digits compare by value
// ("a2" < "a10") and, at the first difference, a non-letter sorts before a letter unless the runes
// before it were digits.
bool yaml_key_less(std::string_view a, std::string_view b);

}  // namespace berth::compose
