// The passes that make a compose document look the way `docker compose config` prints it.
//
// canonicalize() runs after the schema check, on each file as it is merged in (compose runs it on
// the merged tree after every file), so that merging sees one spelling of each attribute: short
// syntax becomes long syntax (ports, volumes, depends_on, env_file, secrets, ...). By default it
// also sets the defaults compose fills in (port protocol and mode, secret targets, build context,
// bind create_host_path, GPU counts); see CanonicalOptions.
//
// finalize_types() runs once on the merged, normalized model. It applies what compose gets from
// decoding into typed structs and printing them again: durations and byte sizes in canonical
// form, command strings split into words, key=value lists folded into maps with string values
// (keys sorted as the Go YAML encoder sorts map keys), numbers that are strings in the model
// written as strings, and zero values left out. Struct field order is left to the printer.
#pragma once

#include "compose/node.hpp"

namespace berth::compose {

struct CanonicalOptions {
    // Also fill in compose's defaults (set_default_values). compose itself sets them once, after
    // all files are merged; a multi-file loader turns this off and calls set_default_values().
    bool set_defaults = true;
    // Leave ports, volumes, devices and additional_contexts that do not parse as written, as
    // compose does when interpolation is off (an uninterpolated ${VAR} is not a parse error).
    bool keep_unparsed = false;
};

// Throws LoadError at the offending node.
void canonicalize(Node& doc, const CanonicalOptions& options = {});

// Port protocol and mode, secret targets, the build context, bind create_host_path and GPU
// counts, where the document leaves them out.
void set_default_values(Node& doc);

// Throws LoadError at the offending node.
void finalize_types(Node& doc);

}  // namespace berth::compose
