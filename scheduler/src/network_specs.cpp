#include "scheduler/network_specs.hpp"

#include <algorithm>
#include <charconv>
#include <map>
#include <set>

#include "compose/ports.hpp"
#include "network/mac.hpp"

namespace berth::scheduler {

namespace {

using compose::Node;

std::string text_of(const Node* n) {
    return n && n->is_scalar() ? n->text : "";
}

bool flag_of(const Node* n) {
    return n && n->as_bool().value_or(false);
}

Result<network::Driver> driver_of(const std::string& key, const Node& net) {
    auto d = network::parse_driver(text_of(net.find("driver")));
    if (!d) return d.error().context("network \"" + key + "\"");
    return d;
}

Result<void> read_driver_opts(const std::string& key, const Node& net, network::NetworkSpec& s) {
    const Node* opts = net.find("driver_opts");
    if (!opts || !opts->is_map()) return {};
    std::map<std::string, std::string> given;
    // Driver options are strings ("1400"), whatever YAML would make of them.
    for (const auto& e : opts->entries) given[e.key] = e.value.text;
    if (auto r = network::apply_driver_options(s, given); !r) {
        return r.error().context("network \"" + key + "\"");
    }
    return {};
}

Result<void> read_ipam(const std::string& key, const Node& net, network::NetworkSpec& s) {
    const Node* ipam = net.find("ipam");
    if (!ipam || !ipam->is_map()) return {};
    if (std::string d = text_of(ipam->find("driver")); !d.empty() && d != "default") {
        return Error("network \"" + key + "\": ipam driver \"" + d +
                     "\" is not supported (only default)");
    }
    const Node* config = ipam->find("config");
    if (!config || !config->is_seq()) return {};
    for (const auto& c : config->items) {
        network::SubnetSpec sub{
            text_of(c.find("subnet")), text_of(c.find("ip_range")), text_of(c.find("gateway")), {}};
        if (const Node* aux = c.find("aux_addresses"); aux && aux->is_map()) {
            for (const auto& e : aux->entries) sub.aux_addresses[e.key] = e.value.text;
        }
        // Validated here, so that a bad ipam.config stops `up` before anything is made.
        if (!sub.subnet.empty()) {
            if (auto plan = network::plan_subnet(sub); !plan) {
                return plan.error().context("network \"" + key + "\"");
            }
        }
        s.subnets.push_back(std::move(sub));
    }
    return {};
}

Result<network::NetworkSpec> spec_of(const std::string& key, const Node& net) {
    network::NetworkSpec s;
    s.key = key;
    s.name = text_of(net.find("name"));
    if (s.name.empty()) return Error("network \"" + key + "\" has no name in the model");
    s.external = flag_of(net.find("external"));
    if (s.external) return s;  // it exists already; nothing of it is berth's to set
    auto driver = driver_of(key, net);
    if (!driver) return driver.error();
    s.driver = *driver;
    s.internal = flag_of(net.find("internal"));
    s.enable_ipv6 = flag_of(net.find("enable_ipv6"));
    if (auto r = read_driver_opts(key, net, s); !r) return r.error();
    if (auto r = read_ipam(key, net, s); !r) return r.error();
    if (auto r = network::check_driver(s); !r) return r.error().context("network \"" + key + "\"");
    if (const Node* labels = net.find("labels"); labels && labels->is_map()) {
        for (const auto& e : labels->entries) s.labels[e.key] = e.value.text;
    }
    return s;
}

}  // namespace

Result<std::vector<network::NetworkSpec>> network_specs(const compose::Project& project) {
    std::vector<network::NetworkSpec> out;
    const Node* nets = project.model.find("networks");
    if (!nets || !nets->is_map()) return out;
    for (const auto& e : nets->entries) {
        auto s = spec_of(e.key, e.value);
        if (!s) return s.error();
        out.push_back(std::move(*s));
    }
    return out;
}

Result<std::vector<Attachment>> service_attachments(const compose::Node& service) {
    std::vector<Attachment> out;
    const Node* nets = service.find("networks");
    if (!nets || !nets->is_map()) return out;
    for (const auto& e : nets->entries) {
        Attachment a;
        a.network = e.key;
        const Node& v = e.value;
        if (v.is_map()) {
            if (const Node* al = v.find("aliases"); al && al->is_seq()) {
                for (const auto& i : al->items) a.aliases.push_back(i.text);
            }
            a.ipv4_address = text_of(v.find("ipv4_address"));
            a.ipv6_address = text_of(v.find("ipv6_address"));
            a.interface_name = text_of(v.find("interface_name"));
            a.mac_address = text_of(v.find("mac_address"));
            if (const Node* p = v.find("priority"); p && p->is_scalar()) {
                auto n = p->as_int();
                if (!n) return Error("network \"" + e.key + "\": priority must be an integer");
                a.priority = static_cast<int>(*n);
            }
        }
        for (const auto& [addr, family] :
             {std::pair{a.ipv4_address, false}, std::pair{a.ipv6_address, true}}) {
            if (addr.empty()) continue;
            auto parsed = network::parse_address(addr);
            if (!parsed || parsed->v6 != family) {
                return Error("network \"" + e.key + "\": \"" + addr + "\" is not an IPv" +
                             (family ? "6" : "4") + " address");
            }
        }
        if (!a.mac_address.empty() && !network::parse_mac(a.mac_address)) {
            return Error("network \"" + e.key + "\": invalid MAC address \"" + a.mac_address +
                         "\" (six hex pairs, unicast, not all zero)");
        }
        out.push_back(std::move(a));
    }
    std::stable_sort(out.begin(), out.end(), [](const Attachment& x, const Attachment& y) {
        return x.priority != y.priority ? x.priority > y.priority : x.network < y.network;
    });
    return out;
}

namespace {

// The static address `wanted` on `spec`, checked against its first ipam.config subnet of that
// family as the endpoint will take it: not the gateway, an aux address, the subnet's own or its
// broadcast. One address for two containers is check_project_networks' to refuse.
Result<void> check_static_address(const network::NetworkSpec& spec, const std::string& wanted) {
    auto a = network::parse_address(wanted);
    if (!a) return {};  // service_attachments has refused it already
    for (const auto& sub : spec.subnets) {
        auto p = network::parse_prefix(sub.subnet);
        if (!p || p->base.v6 != a->v6) continue;
        auto plan = network::plan_subnet(sub);
        if (!plan) return plan.error();
        return network::check_static(*plan, *a, {});
    }
    return {};
}

}  // namespace

Result<void> check_attachments(const std::vector<network::NetworkSpec>& specs,
                               const std::vector<ServiceCount>& services) {
    for (const auto& s : services) {
        if (!s.service || s.containers < 1) continue;
        const std::string who = "service \"" + s.name + "\"";
        auto attachments = service_attachments(*s.service);
        if (!attachments) return attachments.error().context(who);
        for (const auto& a : *attachments) {
            auto spec =
                std::find_if(specs.begin(), specs.end(),
                             [&](const network::NetworkSpec& n) { return n.key == a.network; });
            if (spec == specs.end()) {
                return Error(who + ": network \"" + a.network + "\" is not declared");
            }
            for (const auto& wanted : {a.ipv4_address, a.ipv6_address}) {
                if (wanted.empty()) continue;
                if (auto r = check_static_address(*spec, wanted); !r) {
                    return r.error().context(who + ": network \"" + a.network + "\"");
                }
            }
        }
    }
    return {};
}

namespace {

Result<int> port_number(const std::string& text, const std::string& what) {
    int n = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
    if (ec != std::errc() || end != text.data() + text.size() || n < 1 || n > 65535) {
        return Error("ports: " + what + " \"" + text + "\" is not a port (1 to 65535)");
    }
    return n;
}

}  // namespace

namespace {

Result<PublishedPort> port_of(const std::string& target, std::string protocol,
                              const std::string& host_ip, const std::string& published) {
    PublishedPort pp;
    auto t = port_number(target, "target");
    if (!t) return t.error();
    pp.container_port = *t;
    pp.protocol = protocol.empty() ? "tcp" : std::move(protocol);
    if (pp.protocol != "tcp" && pp.protocol != "udp" && pp.protocol != "sctp") {
        return Error("ports: protocol \"" + pp.protocol + "\" is not tcp, udp or sctp");
    }
    pp.host_ip = host_ip;
    if (published.empty()) return pp;
    auto dash = published.find('-');
    auto from = port_number(published.substr(0, dash), "published");
    if (!from) return from.error();
    pp.host_from = pp.host_to = *from;
    if (dash != std::string::npos) {
        auto to = port_number(published.substr(dash + 1), "published");
        if (!to) return to.error();
        if (*to < *from) return Error("ports: invalid range \"" + published + "\"");
        pp.host_to = *to;
    }
    return pp;
}

}  // namespace

Result<std::vector<PublishedPort>> service_ports(const compose::Node& service) {
    std::vector<PublishedPort> out;
    const Node* ports = service.find("ports");
    if (!ports || !ports->is_seq()) return out;
    for (const auto& p : ports->items) {
        auto pp = port_of(text_of(p.find("target")), text_of(p.find("protocol")),
                          text_of(p.find("host_ip")), text_of(p.find("published")));
        if (!pp) return pp.error();
        out.push_back(std::move(*pp));
    }
    return out;
}

Result<std::vector<PublishedPort>> publish_flags(const std::vector<std::string>& specs) {
    std::vector<PublishedPort> out;
    for (const auto& spec : specs) {
        auto parsed = compose::parse_port_spec(spec);
        if (!parsed) return parsed.error().context("--publish " + spec);
        for (const auto& c : *parsed) {
            auto pp = port_of(std::to_string(c.target), c.protocol, c.host_ip, c.published);
            if (!pp) return pp.error().context("--publish " + spec);
            out.push_back(std::move(*pp));
        }
    }
    return out;
}

}  // namespace berth::scheduler
