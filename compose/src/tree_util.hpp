// Small helpers shared by the tree passes (canonical, finalize, paths).
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "compose/error.hpp"
#include "compose/node.hpp"

namespace berth::compose::detail {

// The scalar text as Go's fmt.Sprint would print the decoded value ("true", "42", "1.5").
inline std::string scalar_text(const Node& n) {
    return n.is_null() ? std::string() : n.text;
}

inline Node str(std::string s, const Mark& m) {
    return Node::string(std::move(s), m);
}

// A scalar as Go's fmt.Sprint prints the decoded value: "0755" -> "493", "1.0" -> "1", "True" ->
// "true".
std::string go_scalar_text(const Node& n);

// A value compose decodes into a string field: any scalar becomes its Go text; null stays null.
void force_string(Node& n);

// Calls f on each value of a mapping node (no-op for other kinds).
inline void each_value(Node* map, const std::function<void(const std::string&, Node&)>& f) {
    if (map == nullptr || !map->is_map()) return;
    for (auto& e : map->entries) f(e.key, e.value);
}

// Calls f on each item of a sequence node (no-op for other kinds).
inline void each_item(Node* seq, const std::function<void(Node&)>& f) {
    if (seq == nullptr || !seq->is_seq()) return;
    for (auto& item : seq->items) f(item);
}

// "x" -> ["x"]: the string-or-list attributes.
inline void string_to_list(Node* n) {
    if (n == nullptr || !n->is_scalar()) return;
    Node seq = Node::sequence(n->mark);
    seq.push(*n);
    *n = std::move(seq);
}

}  // namespace berth::compose::detail
