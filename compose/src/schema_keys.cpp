// compose-go converts the YAML tree to string-keyed maps before anything else looks at it, and
// stops at the first key that is not a string, naming it as Go's %#v prints it.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "compose/error.hpp"
#include "compose/schema.hpp"

namespace berth::compose {
namespace {

// Go's %v of a float64: the fewest digits that read back the same, in exponent form when the
// exponent is below -4 or at least 6 (the rule strconv applies to its shortest form).
std::string go_float_text(double v) {
    if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
    if (std::isnan(v)) return "NaN";
    char buf[64];
    int digits = 1;
    for (; digits < 17; ++digits) {
        std::snprintf(buf, sizeof buf, "%.*e", digits - 1, v);
        if (std::strtod(buf, nullptr) == v) break;
    }
    std::snprintf(buf, sizeof buf, "%.*e", digits - 1, v);
    int exp = std::atoi(std::strchr(buf, 'e') + 1);
    if (exp < -4 || exp >= 6) return buf;
    std::snprintf(buf, sizeof buf, "%.*f", std::max(0, digits - 1 - exp), v);
    return buf;
}

// Go's %#v of the key's value: 123, 1.5, true, <nil>.
std::string go_value_text(const Entry& e) {
    Node key = Node::plain(e.key);
    if (is_null_text(e.key)) return "<nil>";
    switch (key.type()) {
        case ScalarType::Int:
            if (auto v = key.as_int()) return std::to_string(*v);
            break;
        case ScalarType::Float:
            if (auto v = key.as_float()) return go_float_text(*v);
            break;
        case ScalarType::Bool:
            return *key.as_bool() ? "true" : "false";
        case ScalarType::String:
            break;
    }
    return e.key;
}

void check(const Node& node, const std::string& where) {
    if (node.is_map()) {
        for (const Entry& e : node.entries) {
            if (!e.key_is_string) {
                fail(e.key_mark, "non-string key " +
                                     (where.empty() ? "at top level" : "in " + where) + ": " +
                                     go_value_text(e));
            }
            check(e.value, where.empty() ? e.key : where + "." + e.key);
        }
    } else if (node.is_seq()) {
        for (std::size_t i = 0; i < node.items.size(); ++i) {
            check(node.items[i], where + "[" + std::to_string(i) + "]");
        }
    }
}

}  // namespace

void check_string_keys(const Node& root) {
    check(root, "");
}

}  // namespace berth::compose
