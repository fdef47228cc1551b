// The network routes: `berth network ls|create|rm|inspect|connect|disconnect|prune` (docs/api.md,
// "Networks"). The network manager does the work; these parse, look up and shape the JSON.
#include <algorithm>
#include <nlohmann/json.hpp>

#include "container_etc.hpp"
#include "dns_service.hpp"
#include "event_bus.hpp"
#include "json_fields.hpp"
#include "log.hpp"
#include "network_manager.hpp"
#include "routes.hpp"

namespace berth::daemon {

namespace {

using nlohmann::json;

// The prefix length of the network's subnet of that family.
int family_length(const NetworkIpam& ipam, bool v6) {
    for (const auto& s : ipam.subnets) {
        auto p = network::parse_prefix(s.subnet);
        if (p && p->base.v6 == v6) return p->length;
    }
    return 0;
}

json network_view(DaemonContext& ctx, const NetworkRecord& n) {
    const network::NetworkSpec spec = parse_spec(n.spec);
    const NetworkIpam ipam = parse_ipam(n.ipam);
    json config = json::array();
    for (const auto& s : ipam.subnets) {
        json c{{"Subnet", s.subnet}, {"Gateway", s.gateway}};
        if (!s.ip_range.empty()) c["IPRange"] = s.ip_range;
        if (!s.aux_addresses.empty()) c["AuxiliaryAddresses"] = s.aux_addresses;
        config.push_back(c);
    }
    json containers = json::object();
    if (auto eps = ctx.db->endpoints("", n.id)) {
        for (const auto& e : *eps) {
            auto c = ctx.db->container(e.container_id);
            const std::string name = c && *c ? (*c)->name : "";
            json ep{{"Name", name},
                    {"EndpointID", e.container_id.substr(0, 32) + n.id.substr(0, 32)},
                    {"MacAddress", e.mac},
                    {"IPv4Address", ""},
                    {"IPv6Address", ""}};
            if (!e.ipv4.empty()) {
                ep["IPv4Address"] = e.ipv4 + "/" + std::to_string(family_length(ipam, false));
            }
            if (!e.ipv6.empty()) {
                ep["IPv6Address"] = e.ipv6 + "/" + std::to_string(family_length(ipam, true));
            }
            containers[e.container_id] = ep;
        }
    }
    json options = spec.options;
    if (!n.link.empty()) options["com.docker.network.bridge.name"] = n.link;
    return json{{"Name", n.name},
                {"Id", n.id},
                {"Created", rfc3339_nano(n.created)},
                {"Scope", "local"},
                {"Driver", n.driver},
                {"EnableIPv6", spec.enable_ipv6},
                {"IPAM", {{"Driver", "default"}, {"Options", json::object()}, {"Config", config}}},
                {"Internal", spec.internal},
                {"Attachable", false},
                {"Ingress", false},
                {"ConfigFrom", {{"Network", ""}}},
                {"ConfigOnly", false},
                {"Containers", containers},
                {"Options", options},
                {"Labels", spec.labels}};
}

// docker's filters: name (a substring), id (a prefix), driver, label (key or key=value), and
// berth's project.
bool matches(const NetworkRecord& n, const json& filters) {
    const network::NetworkSpec spec = parse_spec(n.spec);
    auto any = [&](const char* key, const std::function<bool(const std::string&)>& test) {
        auto it = filters.find(key);
        if (it == filters.end() || !it->is_array() || it->empty()) return true;
        for (const auto& v : *it) {
            if (v.is_string() && test(v.get<std::string>())) return true;
        }
        return false;
    };
    return any("name", [&](const std::string& v) { return n.name.find(v) != std::string::npos; }) &&
           any("id", [&](const std::string& v) { return n.id.rfind(v, 0) == 0; }) &&
           any("driver", [&](const std::string& v) { return n.driver == v; }) &&
           any("project", [&](const std::string& v) { return n.project == v; }) &&
           any("label", [&](const std::string& v) {
               auto eq = v.find('=');
               auto it = spec.labels.find(v.substr(0, eq));
               if (it == spec.labels.end()) return false;
               return eq == std::string::npos || it->second == v.substr(eq + 1);
           });
}

// The `filters` query parameter, docker's JSON map of lists; none = match everything.
Result<json> filters_of(const HttpRequest& q) {
    auto it = q.query.find("filters");
    if (it == q.query.end()) return json::object();
    json filters = json::parse(it->second, nullptr, false);
    if (!filters.is_object()) return Error("filters: not a JSON object");
    return filters;
}

Result<json> parse_body(const std::string& body) {
    json j = json::parse(body.empty() ? "{}" : body, nullptr, false);
    if (!j.is_object()) return Error("the request body is not a JSON object");
    return j;
}

Result<NetworkRecord> network_of(DaemonContext& ctx, const std::string& ref) {
    auto n = ctx.networks->find(ref);
    if (!n) return n.error();
    if (!*n) return Error("network " + ref + " not found");
    return **n;
}

int status_of(const Error& e) {
    const std::string& m = e.message();
    if (m.ends_with("not found") || m.starts_with("no such container")) return 404;
    if (m.find("already exists") != std::string::npos ||
        m.find("active endpoints") != std::string::npos ||
        m.find("is ambiguous") != std::string::npos) {
        return 409;
    }
    return 400;
}

void list_route(DaemonContext& ctx, const HttpRequest& q, ResponseWriter& w) {
    auto filters = filters_of(q);
    if (!filters) return w.error(400, filters.error().message());
    auto all = ctx.networks->list();
    if (!all) return w.error(500, all.error().message());
    json out = json::array();
    for (const auto& n : *all) {
        if (matches(n, *filters)) out.push_back(network_view(ctx, n));
    }
    w.json(200, out.dump());
}

void inspect_route(DaemonContext& ctx, const HttpRequest& q, ResponseWriter& w) {
    auto n = network_of(ctx, q.params.at("name"));
    if (!n) return w.error(status_of(n.error()), n.error().message());
    w.json(200, network_view(ctx, *n).dump());
}

// What the network's resolver answers, name by name (`berth dns`).
void dns_route(DaemonContext& ctx, const HttpRequest& q, ResponseWriter& w) {
    auto n = network_of(ctx, q.params.at("name"));
    if (!n) return w.error(status_of(n.error()), n.error().message());
    if (!ctx.dns) return w.error(503, "the resolver is not running in this daemon");
    auto names = ctx.dns->names(n->id);
    if (!names) return w.error(400, names.error().message());
    json out{{"Name", n->name}, {"Id", n->id}, {"Resolver", ctx.dns->listen_address(n->id)}};
    json list = json::array();
    for (const auto& d : *names) list.push_back({{"Name", d.name}, {"Addresses", d.addresses}});
    out["Names"] = std::move(list);
    w.json(200, out.dump());
}

Result<network::NetworkSpec> spec_of(const json& body) {
    network::NetworkSpec s;
    s.name = json_string(body, "Name");
    if (s.name.empty()) return Error("a network needs a name");
    s.key = s.name;
    auto driver = network::parse_driver(json_string(body, "Driver"));
    if (!driver) return driver.error();
    s.driver = *driver;
    s.internal = body.value("Internal", false);
    s.enable_ipv6 = body.value("EnableIPv6", false);
    if (auto ipam = body.find("IPAM"); ipam != body.end() && ipam->is_object()) {
        if (std::string d = json_string(*ipam, "Driver"); !d.empty() && d != "default") {
            return Error("ipam driver \"" + d + "\" is not supported (only default)");
        }
        if (auto config = ipam->find("Config"); config != ipam->end() && config->is_array()) {
            for (const auto& c : *config) {
                s.subnets.push_back({json_string(c, "Subnet"), json_string(c, "IPRange"),
                                     json_string(c, "Gateway"),
                                     json_string_map(c, "AuxiliaryAddresses")});
            }
        }
    }
    if (auto r = network::apply_driver_options(s, json_string_map(body, "Options")); !r)
        return r.error();
    if (auto r = network::check_driver(s); !r) return r.error();
    s.labels = json_string_map(body, "Labels");
    return s;
}

void create_route(DaemonContext& ctx, const HttpRequest& q, ResponseWriter& w) {
    auto body = parse_body(q.body);
    if (!body) return w.error(400, body.error().message());
    auto spec = spec_of(*body);
    if (!spec) return w.error(400, spec.error().message());
    auto made = ctx.networks->create(*spec, "");
    if (!made) return w.error(status_of(made.error()), made.error().message());
    w.json(201, json{{"Id", made->id}, {"Warning", ""}}.dump());
}

void remove_route(DaemonContext& ctx, const HttpRequest& q, ResponseWriter& w) {
    auto n = network_of(ctx, q.params.at("name"));
    if (!n) return w.error(status_of(n.error()), n.error().message());
    if (auto r = ctx.networks->remove(*n); !r) {
        return w.error(status_of(r.error()), r.error().message());
    }
    w.respond(204, "application/json", "");
}

scheduler::Attachment attachment_of(const json& body, const NetworkRecord& n) {
    scheduler::Attachment a;
    a.network = n.name;
    auto ec = body.find("EndpointConfig");
    if (ec == body.end() || !ec->is_object()) return a;
    if (auto al = ec->find("Aliases"); al != ec->end() && al->is_array()) {
        for (const auto& v : *al) {
            if (v.is_string()) a.aliases.push_back(v.get<std::string>());
        }
    }
    if (auto ipam = ec->find("IPAMConfig"); ipam != ec->end() && ipam->is_object()) {
        a.ipv4_address = json_string(*ipam, "IPv4Address");
        a.ipv6_address = json_string(*ipam, "IPv6Address");
    }
    a.mac_address = json_string(*ec, "MacAddress");
    return a;
}

void connect_route(DaemonContext& ctx, const HttpRequest& q, ResponseWriter& w, bool connect) {
    auto body = parse_body(q.body);
    if (!body) return w.error(400, body.error().message());
    auto n = network_of(ctx, q.params.at("name"));
    if (!n) return w.error(status_of(n.error()), n.error().message());
    auto c = find_container(ctx, json_string(*body, "Container"));
    if (!c) return w.error(status_of(c.error()), c.error().message());
    if (connect) {
        auto ep = ctx.networks->connect(c->id, *n, attachment_of(*body, *n));
        if (!ep) return w.error(status_of(ep.error()), ep.error().message());
    } else if (auto r = ctx.networks->disconnect(c->id, *n); !r) {
        return w.error(status_of(r.error()), r.error().message());
    }
    if (ctx.dns) ctx.dns->container_changed(c->id);
    if (auto r = update_resolvers(ctx, c->id); !r) log_warn(r.error().message());
    w.json(200, "{}");
}

void prune_route(DaemonContext& ctx, const HttpRequest& q, ResponseWriter& w) {
    auto filters = filters_of(q);
    if (!filters) return w.error(400, filters.error().message());
    auto all = ctx.networks->list();
    if (!all) return w.error(500, all.error().message());
    json deleted = json::array();
    for (const auto& n : *all) {
        if (!matches(n, *filters)) continue;
        auto eps = ctx.db->endpoints("", n.id);
        if (!eps || !eps->empty()) continue;
        if (ctx.networks->remove(n)) deleted.push_back(n.name);
    }
    w.json(200, json{{"NetworksDeleted", deleted}}.dump());
}

// Without a network manager (a daemon that may not touch the kernel's networking) every route
// says so instead of failing obscurely.
Handler guarded(DaemonContext& ctx, Handler h) {
    return [&ctx, h = std::move(h)](const HttpRequest& q, ResponseWriter& w) {
        if (!ctx.networks) return w.error(501, "networks are not available in this daemon");
        h(q, w);
    };
}

}  // namespace

std::string network_settings_json(DaemonContext& ctx, const std::string& container_id) {
    json ports = json::object();
    if (auto list = ctx.db->ports(container_id)) {
        for (const auto& p : *list) {
            ports[std::to_string(p.container_port) + "/" + p.protocol].push_back(
                {{"HostIp", p.host_ip.empty() ? "0.0.0.0" : p.host_ip},
                 {"HostPort", std::to_string(p.host_port)}});
        }
    }
    json networks = json::object();
    auto eps = ctx.db->endpoints(container_id);
    auto nets = ctx.networks ? ctx.networks->list()
                             : Result<std::vector<NetworkRecord>>(std::vector<NetworkRecord>{});
    if (eps && nets) {
        for (const auto& e : *eps) {
            auto n = std::find_if(nets->begin(), nets->end(),
                                  [&](const NetworkRecord& x) { return x.id == e.network_id; });
            if (n == nets->end()) continue;
            const NetworkIpam ipam = parse_ipam(n->ipam);
            std::string gw4, gw6;
            for (const auto& s : ipam.subnets) {
                auto p = network::parse_prefix(s.subnet);
                if (p) (p->base.v6 ? gw6 : gw4) = s.gateway;
            }
            networks[n->name] = {
                {"Aliases", e.aliases},
                {"NetworkID", n->id},
                {"EndpointID", e.container_id.substr(0, 32) + n->id.substr(0, 32)},
                {"Gateway", e.ipv4.empty() ? "" : gw4},
                {"IPAddress", e.ipv4},
                {"IPPrefixLen", e.ipv4.empty() ? 0 : family_length(ipam, false)},
                {"IPv6Gateway", e.ipv6.empty() ? "" : gw6},
                {"GlobalIPv6Address", e.ipv6},
                {"GlobalIPv6PrefixLen", e.ipv6.empty() ? 0 : family_length(ipam, true)},
                {"MacAddress", e.mac},
                {"InterfaceName", e.ifname}};
        }
    }
    json out{{"Ports", ports}, {"Networks", networks}};
    if (ctx.networks && eps && !eps->empty()) {
        out["SandboxKey"] = ctx.networks->netns_path(container_id);
    }
    return out.dump();
}

void add_network_routes(Router& r, DaemonContext& ctx) {
    r.add("GET", "/v1/networks",
          guarded(ctx, [&ctx](const HttpRequest& q, ResponseWriter& w) { list_route(ctx, q, w); }));
    r.add("POST", "/v1/networks", guarded(ctx, [&ctx](const HttpRequest& q, ResponseWriter& w) {
              create_route(ctx, q, w);
          }));
    r.add(
        "POST", "/v1/networks/prune",
        guarded(ctx, [&ctx](const HttpRequest& q, ResponseWriter& w) { prune_route(ctx, q, w); }));
    r.add("GET", "/v1/networks/{name}",
          guarded(ctx,
                  [&ctx](const HttpRequest& q, ResponseWriter& w) { inspect_route(ctx, q, w); }));
    r.add(
        "DELETE", "/v1/networks/{name}",
        guarded(ctx, [&ctx](const HttpRequest& q, ResponseWriter& w) { remove_route(ctx, q, w); }));
    r.add("GET", "/v1/networks/{name}/dns",
          guarded(ctx, [&ctx](const HttpRequest& q, ResponseWriter& w) { dns_route(ctx, q, w); }));
    r.add("POST", "/v1/networks/{name}/connect",
          guarded(ctx, [&ctx](const HttpRequest& q, ResponseWriter& w) {
              connect_route(ctx, q, w, true);
          }));
    r.add("POST", "/v1/networks/{name}/disconnect",
          guarded(ctx, [&ctx](const HttpRequest& q, ResponseWriter& w) {
              connect_route(ctx, q, w, false);
          }));
}

}  // namespace berth::daemon
