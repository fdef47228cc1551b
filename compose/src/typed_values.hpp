// Conversions of single attributes to the form compose's typed model prints them in. Each works
// in place on the node of the attribute and throws LoadError at that node when the value does not
// decode. "omit" variants remove the attribute from `parent` when it decodes to the zero value,
// as compose's `omitempty` fields are left out of its output.
#pragma once

#include <string_view>

#include "compose/node.hpp"

namespace berth::compose::detail {

// How a mapping type treats a missing value ("KEY" in a list, `KEY:` in a map).
enum class NullValue {
    Empty,  // becomes "" (labels, sysctls, options)
    Keep,   // stays null (environment, build args: taken from the environment later)
};

void to_duration(Node& n);
void to_bytes(Node& n);
void to_float32(Node& n);
void to_int(Node& n);
void to_bool(Node& n);  // also "yes"/"no"/"on"/"off", which compose still reads as booleans
void to_file_mode(Node& n);
void to_shell_command(Node& n);
void to_string_list(Node& n);
void to_string_map(Node& n, NullValue nulls, bool trailing_space_check = false);
void to_hosts_list(Node& n);
void to_device_count(Node& n);

// Applies `convert` to parent[key] if present, then removes it if it is a zero value (0, "0",
// "0s", "", false, an empty collection).
void convert_omit_zero(Node& parent, std::string_view key, void (*convert)(Node&));
// Applies `convert` to parent[key] if present.
void convert(Node& parent, std::string_view key, void (*convert)(Node&));

// Sorts a mapping's keys the way the Go YAML encoder orders the keys of a Go map.
void sort_keys(Node& map);

// Go's strconv.FormatFloat(f, 'g', -1, 32).
std::string format_float32(double value);

}  // namespace berth::compose::detail
