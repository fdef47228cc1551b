// Collection attributes: string lists, key/value mappings, extra hosts, and Go's map key order.
#include <algorithm>
#include <cctype>
#include <map>
#include <string>
#include <vector>

#include "compose/go_order.hpp"
#include "compose/schema.hpp"
#include "tree_util.hpp"
#include "typed_values.hpp"

namespace berth::compose::detail {

void to_string_list(Node& n) {
    string_to_list(&n);
    if (!n.is_seq()) return;
    for (Node& item : n.items) force_string(item);
}

void to_string_map(Node& n, NullValue nulls, bool trailing_space_check) {
    auto value_of = [&](Node v) {
        if (v.is_null() && nulls == NullValue::Empty) return str("", v.mark);
        force_string(v);
        return v;
    };
    if (n.is_seq()) {
        Node map = Node::mapping(n.mark);
        for (const Node& item : n.items) {
            std::string text = go_scalar_text(item);
            std::size_t eq = text.find('=');
            std::string key = text.substr(0, eq);
            if (trailing_space_check && !key.empty() &&
                std::isspace(static_cast<unsigned char>(key.back()))) {
                fail(item.mark,
                     "environment variable " + key + " is declared with a trailing space");
            }
            if (eq == std::string::npos) {
                map.set(key, value_of(Node::null(item.mark)));
            } else {
                map.set(key, str(text.substr(eq + 1), item.mark));
            }
        }
        n = std::move(map);
    } else if (n.is_map()) {
        for (auto& e : n.entries) e.value = value_of(std::move(e.value));
    } else {
        fail(n.mark, "unexpected value type " + n.type_name() + " for mapping");
    }
    sort_keys(n);
}

namespace {

// host -> ips, in first-seen order of hosts.
using HostIps = std::vector<std::pair<std::string, std::vector<std::string>>>;

void add_host(HostIps& hosts, const std::string& host, const std::vector<std::string>& ips) {
    for (auto& [h, list] : hosts) {
        if (h == host) {
            list.insert(list.end(), ips.begin(), ips.end());
            return;
        }
    }
    hosts.emplace_back(host, ips);
}

std::vector<std::string> split_commas(const std::string& s) {
    std::vector<std::string> out;
    std::size_t start = 0;
    for (std::size_t i = 0; i <= s.size(); ++i) {
        if (i == s.size() || s[i] == ',') {
            out.push_back(s.substr(start, i - start));
            start = i + 1;
        }
    }
    return out;
}

HostIps hosts_from_list(const Node& n) {
    HostIps hosts;
    for (const Node& item : n.items) {
        std::string text = go_scalar_text(item);
        // "=" is tried first so that "host=::1" keeps the IPv6 address whole.
        std::size_t sep = text.find('=');
        if (sep == std::string::npos) sep = text.find(':');
        if (sep == std::string::npos)
            fail(item.mark, "invalid additional host, missing IP: " + text);
        add_host(hosts, text.substr(0, sep), split_commas(text.substr(sep + 1)));
    }
    return hosts;
}

HostIps hosts_from_map(const Node& n) {
    HostIps hosts;
    for (const auto& e : n.entries) {
        std::vector<std::string> ips;
        if (e.value.is_seq()) {
            for (const Node& ip : e.value.items) ips.push_back(go_scalar_text(ip));
        } else if (e.value.is_scalar() || e.value.is_null()) {
            ips.push_back(go_scalar_text(e.value));
        } else {
            fail(e.value.mark,
                 "unexpected value type " + e.value.type_name() + " for extra_hosts entry");
        }
        add_host(hosts, e.key, ips);
    }
    return hosts;
}

}  // namespace

void to_hosts_list(Node& n) {
    HostIps hosts;
    if (n.is_seq()) {
        hosts = hosts_from_list(n);
    } else if (n.is_map()) {
        hosts = hosts_from_map(n);
    } else {
        fail(n.mark, "unexpected value type " + n.type_name() + " for extra_hosts");
    }
    std::vector<std::string> lines;
    for (auto& [host, ips] : hosts) {
        if (host.empty() || host.find_first_of(":=") != std::string::npos) {
            fail(n.mark, "bad host name '" + host + "'");
        }
        for (std::string ip : ips) {
            if (ip.size() > 2 && ip.front() == '[' && ip.back() == ']')
                ip = ip.substr(1, ip.size() - 2);
            lines.push_back(host + "=" + ip);
        }
    }
    std::sort(lines.begin(), lines.end());
    Node seq = Node::sequence(n.mark);
    for (auto& line : lines) seq.push(str(line, n.mark));
    n = std::move(seq);
}

}  // namespace berth::compose::detail

namespace berth::compose {

// One definition of the Go YAML encoder's key order serves both the printer and the typing pass.
bool go_map_key_less(const std::string& a, const std::string& b) {
    return yaml_key_less(a, b);
}

void sort_map_keys(Node& map) {
    if (!map.is_map()) return;
    std::stable_sort(map.entries.begin(), map.entries.end(),
                     [](const Entry& x, const Entry& y) { return go_map_key_less(x.key, y.key); });
}

}  // namespace berth::compose

namespace berth::compose::detail {

void sort_keys(Node& map) {
    sort_map_keys(map);
}

}  // namespace berth::compose::detail
