// Layering one compose document over another, attribute by attribute, with the rules compose-go's
// override package applies (docker compose and nerdctl both load files through it).
#include "compose/merge.hpp"

#include <algorithm>
#include <array>

#include "compose/error.hpp"
#include "go_format.hpp"
#include "tree_path.hpp"

namespace berth::compose {
namespace {

using detail::TreePath;

constexpr std::string_view kReset = "!reset";
constexpr std::string_view kOverride = "!override";

Node cleaned(Node n) {
    apply_reset_tags(n);
    return n;
}

std::string where(const TreePath& path) {
    return path.empty() ? "the top level" : path.str();
}

// Places `value` under `entry`'s key, keeping the key's position when the base already had it.
void put(Node& map, const Entry& entry, Node value) {
    for (auto& e : map.entries) {
        if (e.key == entry.key) {
            e.key_mark = entry.key_mark;
            e.value = std::move(value);
            return;
        }
    }
    map.entries.push_back(Entry{entry.key, entry.key_mark, std::move(value), entry.key_is_string});
}

Node merge_value(const Node& base, const Node& over, const TreePath& path);

Node merge_mappings(Node base, const Node& over, const TreePath& path) {
    base.kind = Kind::Mapping;
    for (const Entry& e : over.entries) {
        if (e.value.tag == kReset) {
            base.erase(e.key);
            continue;
        }
        Node* existing = base.find(e.key);
        if (existing != nullptr && e.value.tag != kOverride) {
            *existing = merge_value(*existing, e.value, path.next(e.key));
            continue;
        }
        put(base, e, cleaned(e.value));
    }
    return base;
}

// ---- attributes whose two forms (list of KEY=VAL, mapping) are unified as a list ----

Node key_value_item(const Entry& e, const Node& value) {
    if (value.is_null()) return Node::string(e.key, e.key_mark);
    return Node::string(e.key + "=" + detail::go_text(value), value.mark);
}

// The mapping form reads as a list sorted by text, so the result does not depend on key order.
Node to_sequence(const Node& n) {
    Node seq = Node::sequence(n.mark);
    if (n.is_seq()) {
        seq.items = n.items;
    } else if (n.is_scalar()) {
        seq.push(n);
    } else if (n.is_map()) {
        for (const Entry& e : n.entries) {
            if (!e.value.is_seq()) {
                seq.push(key_value_item(e, e.value));
                continue;
            }
            for (const Node& item : e.value.items) seq.push(key_value_item(e, item));
        }
        std::stable_sort(seq.items.begin(), seq.items.end(),
                         [](const Node& a, const Node& b) { return a.text < b.text; });
    }
    return seq;
}

// A tagged key in a mapping-form override drops that key from a mapping-form base; the override
// side itself is cleaned before conversion.
Node drop_tagged_keys(Node base, const Node& over) {
    if (!base.is_map() || !over.is_map()) return base;
    for (const Entry& e : over.entries) {
        if (!e.value.tag.empty()) base.erase(e.key);
    }
    return base;
}

Node merge_to_sequence(const Node& base, const Node& over, const TreePath&) {
    if (base.is_null() && over.is_null()) return base;
    Node out = to_sequence(drop_tagged_keys(base, over));
    for (Node& item : to_sequence(cleaned(over)).items) out.push(std::move(item));
    return out;
}

// Like the other KEY=VAL lists, but an override entry already present verbatim is not repeated.
Node merge_extra_hosts(const Node& base, const Node& over, const TreePath&) {
    if (base.is_null() && over.is_null()) return base;
    Node out = to_sequence(drop_tagged_keys(base, over));
    const std::size_t base_size = out.items.size();
    for (Node& item : to_sequence(cleaned(over)).items) {
        auto end = out.items.begin() + static_cast<std::ptrdiff_t>(base_size);
        if (std::find(out.items.begin(), end, item) == end) out.push(std::move(item));
    }
    return out;
}

// ---- attributes whose list form is a set of names, unified as a mapping ----

Node to_mapping(const Node& n, const Node* default_value, const TreePath& path) {
    if (n.is_map()) return n;
    Node map = Node::mapping(n.mark);
    if (!n.is_seq()) return map;
    for (const Node& item : n.items) {
        if (!item.is_scalar()) {
            fail(item.mark, path.str() + ": expected a name, got " + item.type_name());
        }
        Node value = default_value != nullptr ? *default_value : Node::null();
        value.mark = item.mark;
        for (auto& e : value.entries) e.value.mark = e.key_mark = item.mark;
        put(map, Entry{item.text, item.mark, {}, true}, std::move(value));
    }
    return map;
}

// Tags in a mapping-form override are read by merge_mappings; a list form is cleaned first.
Node merge_as_mappings(const Node& base, const Node& over, const TreePath& path, const Node* dflt) {
    if (base.is_null() && over.is_null()) return base;
    const Node o = over.is_map() ? over : to_mapping(cleaned(over), dflt, path);
    return merge_mappings(to_mapping(base, dflt, path), o, path);
}

Node merge_depends_on(const Node& base, const Node& over, const TreePath& path) {
    // A bare service name in the list form means "started, and required".
    Node dflt = Node::mapping();
    dflt.set("condition", Node::string("service_started"));
    dflt.set("required", Node::boolean(true));
    return merge_as_mappings(base, over, path, &dflt);
}

Node merge_name_sets(const Node& base, const Node& over, const TreePath& path) {
    return merge_as_mappings(base, over, path, nullptr);
}

// ---- attributes with their own rules ----

Node replace(const Node&, const Node& over, const TreePath&) {
    return cleaned(over);
}

Node to_build(const Node& n) {
    if (n.is_map()) return n;
    Node map = Node::mapping(n.mark);
    if (n.is_scalar()) map.set("context", n);
    return map;
}

// `build: ./dir` is short for `build: {context: ./dir}`, so either form merges with the other.
Node merge_build(const Node& base, const Node& over, const TreePath& path) {
    const Node o = over.is_map() ? over : to_build(cleaned(over));
    return merge_mappings(to_build(base), o, path);
}

// Options of one logging driver mean nothing to another, so they merge only when the driver
// stays the same (or either file leaves it unset).
Node merge_logging(const Node& base, const Node& over, const TreePath& path) {
    if (over.is_null()) return base;
    if (!base.is_map() || !over.is_map()) return cleaned(over);
    const Node* base_driver = base.find("driver");
    const Node* over_driver = over.find("driver");
    if (base_driver == nullptr || over_driver == nullptr || *base_driver == *over_driver) {
        return merge_mappings(base, over, path);
    }
    return cleaned(over);
}

const Node* subnet_of(const Node& config) {
    return config.is_map() ? config.find("subnet") : nullptr;
}

bool same_subnet(const Node& a, const Node& b) {
    const Node* sa = subnet_of(a);
    const Node* sb = subnet_of(b);
    if (sa == nullptr || sb == nullptr) return sa == sb;
    return *sa == *sb;
}

// The override's list decides which subnets remain; each of its entries merges onto the base
// entry for the same subnet. compose-go reaches this result for a one-entry base list; for longer
// ones its loop mixes entries of different subnets, which we do not reproduce.
Node merge_ipam_config(const Node& base, const Node& over, const TreePath& path) {
    if (over.is_null()) return base;
    if (!base.is_seq()) fail(base.mark, path.str() + ": unexpected type " + base.type_name());
    if (!over.is_seq()) fail(over.mark, path.str() + ": unexpected type " + over.type_name());
    Node out = Node::sequence(over.mark);
    for (const Node& raw : over.items) {
        if (raw.tag == kReset) continue;
        auto done = std::find_if(out.items.begin(), out.items.end(),
                                 [&](const Node& c) { return same_subnet(c, raw); });
        if (done != out.items.end() && done->is_map() && raw.is_map()) {
            *done = merge_mappings(*done, raw, path);
            continue;
        }
        auto prior = std::find_if(base.items.begin(), base.items.end(),
                                  [&](const Node& c) { return same_subnet(c, raw); });
        bool mergeable = prior != base.items.end() && prior->is_map() && raw.is_map();
        out.push(mergeable ? merge_mappings(*prior, raw, path) : cleaned(raw));
    }
    return out;
}

// Each limit is replaced as a whole: `nofile: {soft: 1}` over `nofile: {soft: 2, hard: 3}` has
// no hard limit.
Node merge_ulimit(const Node&, const Node& over, const TreePath&) {
    return cleaned(over);
}

using Merger = Node (*)(const Node&, const Node&, const TreePath&);

struct Special {
    std::string_view pattern;
    Merger merge;
};

constexpr std::array kSpecials{
    Special{"networks.*.ipam.config", merge_ipam_config},
    Special{"networks.*.labels", merge_to_sequence},
    Special{"volumes.*.labels", merge_to_sequence},
    Special{"services.*.annotations", merge_to_sequence},
    Special{"services.*.build", merge_build},
    Special{"services.*.build.args", merge_to_sequence},
    Special{"services.*.build.additional_contexts", merge_to_sequence},
    Special{"services.*.build.extra_hosts", merge_extra_hosts},
    Special{"services.*.build.labels", merge_to_sequence},
    Special{"services.*.command", replace},
    Special{"services.*.depends_on", merge_depends_on},
    Special{"services.*.deploy.labels", merge_to_sequence},
    Special{"services.*.dns", merge_to_sequence},
    Special{"services.*.dns_opt", merge_to_sequence},
    Special{"services.*.dns_search", merge_to_sequence},
    Special{"services.*.entrypoint", replace},
    Special{"services.*.env_file", merge_to_sequence},
    Special{"services.*.label_file", merge_to_sequence},
    Special{"services.*.environment", merge_to_sequence},
    Special{"services.*.extra_hosts", merge_extra_hosts},
    Special{"services.*.healthcheck.test", replace},
    Special{"services.*.labels", merge_to_sequence},
    Special{"services.*.volumes.*.volume.labels", merge_to_sequence},
    Special{"services.*.logging", merge_logging},
    Special{"services.*.models", merge_name_sets},
    Special{"services.*.networks", merge_name_sets},
    Special{"services.*.sysctls", merge_to_sequence},
    Special{"services.*.tmpfs", merge_to_sequence},
    Special{"services.*.ulimits.*", merge_ulimit},
};

std::string kind_word(const Node& n) {
    std::string word = n.type_name();  // "mapping", "array", "integer", ...
    bool vowel = std::string_view("aeiou").find(word.front()) != std::string_view::npos;
    return (vowel ? "an " : "a ") + word;
}

Node merge_value(const Node& base, const Node& over, const TreePath& path) {
    for (const Special& s : kSpecials) {
        if (path.matches(s.pattern)) return s.merge(base, over, path);
    }
    if (over.is_null()) return base;
    if (base.is_map() || base.is_seq()) {
        if (over.kind != base.kind) {
            fail(over.mark, "cannot override " + where(path) + ": an earlier file has " +
                                kind_word(base) + " there, this one " + kind_word(over));
        }
    }
    if (base.is_map()) return merge_mappings(base, over, path);
    if (!base.is_seq()) return cleaned(over);
    Node out = base;
    for (const Node& item : over.items) {
        if (item.tag != kReset) out.push(cleaned(item));
    }
    return out;
}

void strip_tags(Node& n) {
    n.tag.clear();
    std::erase_if(n.items, [](const Node& item) { return item.tag == kReset; });
    std::erase_if(n.entries, [](const Entry& e) { return e.value.tag == kReset; });
    for (Node& item : n.items) strip_tags(item);
    for (Entry& e : n.entries) strip_tags(e.value);
}

}  // namespace

void apply_reset_tags(Node& doc) {
    if (doc.tag == kReset) doc = Node::null(doc.mark);
    strip_tags(doc);
}

namespace {

Node merge_at(const Node& base, const Node& over, const TreePath& path) {
    Node b = cleaned(base);
    if (b.is_null()) return cleaned(over);
    if (over.is_null()) return b;
    return merge_value(b, over, path);
}

}  // namespace

Node merge(const Node& base, const Node& override) {
    return merge_at(base, override, TreePath{});
}

Node merge_service(const Node& base, const Node& override) {
    // Any service name does: the rules are registered under services.*.
    return merge_at(base, override, TreePath{}.next("services").next("x"));
}

}  // namespace berth::compose
