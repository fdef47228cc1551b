#include "network/firewall.hpp"

#include <algorithm>
#include <cstdio>

namespace berth::network {

namespace {

bool valid_ifname(const std::string& name) {
    return !name.empty() && name.size() <= 15 && std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '-' || c == '_' || c == '.';
    });
}

std::string hex(std::uint32_t v) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "0x%x", v);
    return buf;
}

const char* family(const Address& a) {
    return a.v6 ? "ip6" : "ip";
}

std::string quoted(const std::string& ifname) {
    return "\"" + ifname + "\"";
}

// "ip daddr 10.0.0.5 " or "ip6 daddr fd00::5 ", or "" for every host address.
std::string host_match(const PortMapping& p) {
    if (!p.host_ip) return "meta nfproto " + std::string(p.container_ip.v6 ? "ipv6 " : "ipv4 ");
    return std::string(family(*p.host_ip)) + " daddr " + to_string(*p.host_ip) + " ";
}

std::string dnat_target(const PortMapping& p) {
    std::string addr = to_string(p.container_ip);
    if (p.container_ip.v6) addr = "[" + addr + "]";
    return std::string("dnat ") + family(p.container_ip) + " to " + addr + ":" +
           std::to_string(p.container_port);
}

void forward_chain(std::string& out, const FirewallSpec& spec) {
    out += "    chain forward {\n";
    out += "        type filter hook forward priority filter; policy accept;\n";
    out += "        ct state invalid drop\n";
    out += "        ct mark and " + hex(kDnatMark) + " == " + hex(kDnatMark) + " accept\n";
    for (const auto& n : spec.networks) {
        const std::string br = quoted(n.bridge);
        if (n.internal) {
            out += "        iifname " + br + " oifname != " + br + " drop\n";
            out += "        oifname " + br + " iifname != " + br + " drop\n";
        } else {
            // Isolation: no berth network reaches another.
            out += "        iifname " + br + " oifname @bridges oifname != " + br + " drop\n";
        }
        if (!n.icc) out += "        iifname " + br + " oifname " + br + " drop\n";
        out += "        oifname " + br + " ct state established,related accept\n";
        out += "        iifname " + br + " accept\n";
    }
    out += "    }\n";
}

void raw_chain(std::string& out, const FirewallSpec& spec) {
    out += "    chain raw-prerouting {\n";
    out += "        type filter hook prerouting priority raw; policy accept;\n";
    for (const auto& n : spec.networks) {
        for (const auto& s : n.subnets) {
            out += "        " + std::string(family(s.base)) + " daddr " + to_string(s) +
                   " iifname != " + quoted(n.bridge) + " drop\n";
        }
    }
    out += "    }\n";
}

void nat_chains(std::string& out, const FirewallSpec& spec) {
    out += "    chain prerouting {\n";
    out += "        type nat hook prerouting priority dstnat; policy accept;\n";
    out += "        fib daddr type local jump hostport-dnat\n";
    out += "    }\n";
    out += "    chain output {\n";
    // nft names the dstnat priority only for prerouting; output takes its value.
    out += "        type nat hook output priority -100; policy accept;\n";
    out += "        fib daddr type local jump hostport-dnat\n";
    out += "    }\n";
    out += "    chain hostport-dnat {\n";
    for (const auto& p : spec.ports) {
        const std::string match =
            host_match(p) + p.protocol + " dport " + std::to_string(p.host_port) + " ";
        // From the host itself (localhost, or the host's own address) and from containers
        // (hairpin): masqueraded, so the reply comes back the way the request went.
        out += "        " + match + "fib saddr type local meta mark set meta mark or " +
               hex(kMasqueradeMark) + "\n";
        for (const auto& n : spec.networks) {
            for (const auto& s : n.subnets) {
                if (s.base.v6 != p.container_ip.v6) continue;
                out += "        " + match + family(s.base) + " saddr " + to_string(s) +
                       " meta mark set meta mark or " + hex(kMasqueradeMark) + "\n";
            }
        }
        out += "        " + match + "ct mark set ct mark or " + hex(kDnatMark) + " " +
               dnat_target(p) + "\n";
    }
    out += "    }\n";
    out += "    chain postrouting {\n";
    out += "        type nat hook postrouting priority srcnat; policy accept;\n";
    out += "        meta mark and " + hex(kMasqueradeMark) + " == " + hex(kMasqueradeMark) +
           " masquerade\n";
    for (const auto& n : spec.networks) {
        if (n.internal) continue;
        for (const auto& s : n.subnets) {
            const std::string f = family(s.base);
            out += "        " + f + " saddr " + to_string(s) + " " + f +
                   " daddr != " + to_string(s) + " masquerade\n";
        }
    }
    out += "    }\n";
}

Result<void> check(const FirewallSpec& spec) {
    for (const auto& n : spec.networks) {
        if (!valid_ifname(n.bridge)) {
            return Error("bridge name \"" + n.bridge +
                         "\" is not a valid interface name (1 to 15 of a-z A-Z 0-9 - _ .)");
        }
    }
    for (const auto& p : spec.ports) {
        if (p.protocol != "tcp" && p.protocol != "udp" && p.protocol != "sctp") {
            return Error("published port " + std::to_string(p.host_port) + ": protocol \"" +
                         p.protocol + "\" is not tcp, udp or sctp");
        }
        if (p.host_port == 0 || p.container_port == 0) {
            return Error("published port: ports must be 1 to 65535");
        }
        if (p.host_ip && p.host_ip->v6 != p.container_ip.v6) {
            return Error("published port " + std::to_string(p.host_port) + ": host address " +
                         to_string(*p.host_ip) + " and container address " +
                         to_string(p.container_ip) + " are not of one family");
        }
    }
    return {};
}

}  // namespace

Result<std::string> render_ruleset(const FirewallSpec& spec) {
    if (auto r = check(spec); !r) return r.error();
    // Created first so that the delete never fails on a host that has no berth table yet.
    std::string out = "table inet berth {}\ndelete table inet berth\ntable inet berth {\n";
    out += "    set bridges {\n        type ifname\n";
    if (!spec.networks.empty()) {
        out += "        elements = { ";
        for (std::size_t i = 0; i < spec.networks.size(); ++i) {
            out += (i ? ", " : "") + quoted(spec.networks[i].bridge);
        }
        out += " }\n";
    }
    out += "    }\n";
    raw_chain(out, spec);
    forward_chain(out, spec);
    nat_chains(out, spec);
    out += "}\n";
    return out;
}

}  // namespace berth::network
