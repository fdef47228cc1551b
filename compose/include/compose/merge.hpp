// Combining several compose files (`-f a.yaml -f b.yaml`) the way docker compose does: on the raw
// document trees, before interpolation results are typed or attributes are canonicalized.
#pragma once

#include "compose/node.hpp"

namespace berth::compose {

// Layers `override` on top of `base`, per attribute: mappings merge key by key, scalars take the
// later value, sequences append; some attributes have their own rules (command and entrypoint are
// replaced, environment/labels/... become KEY=VAL lists, depends_on/networks become mappings,
// build accepts its short form, logging options merge only for the same driver, ...).
// On the override side `!reset` drops the attribute and `!override` replaces it without those
// rules. The result carries no tags, and each value keeps the mark of the file that wrote it.
// Throws LoadError when a value cannot be layered over the other (a mapping over a string, ...).
Node merge(const Node& base, const Node& override);

// The same rules for one service definition over another (what `extends` needs): `override` is
// the extending service, `base` the one it extends.
Node merge_service(const Node& base, const Node& override);

// Removes repeated entries from the sequences compose keys by name, port or target (environment,
// ports, volumes, secrets, ...): a later entry replaces an earlier one with the same key, in the
// earlier one's place. Throws LoadError for entries that have no key (a volume without a target).
void enforce_unicity(Node& root);

// What `!reset` and `!override` mean in a file that is not layered over anything: tagged nodes
// are dropped or kept as written, and no tag is left in the tree.
void apply_reset_tags(Node& doc);

}  // namespace berth::compose
