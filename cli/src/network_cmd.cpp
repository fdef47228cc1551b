#include "network_cmd.hpp"

#include <iostream>
#include <memory>

#include "network_format.hpp"
#include "network_request.hpp"
#include "prompt.hpp"

namespace berth::cli {
namespace {

using json = nlohmann::json;

constexpr std::string_view kDaemonSays = "Error response from daemon: ";

struct NetworkFlags {
    std::vector<std::string> names, filters;
    std::string network, format, container;
    bool quiet = false, no_trunc = false, force = false;
    NetworkCreateArgs create;
    NetworkConnectArgs connect;
};

// docker's client words a daemon's refusal as "Error response from daemon: MSG"; the rest
// (no daemon, a bad flag) is berth's own error.
int report(const Error& e) {
    if (e.message().starts_with(kDaemonSays)) {
        std::cerr << e.message() << "\n";
        return 1;
    }
    return fail(e);
}

struct Reply {
    json doc;          // {} for a reply without a body (204)
    std::string body;  // as it came
};

Result<Reply> call(const ApiClient& c, const Request& req) {
    auto r = c.call(req);
    if (!r) return r.error();
    if (!r->ok()) return Error(std::string(kDaemonSays) + r->error_message());
    Reply out{json::object(), std::move(r->body)};
    if (out.body.empty()) return out;
    out.doc = json::parse(out.body, nullptr, false);
    if (out.doc.is_discarded()) return Error("unreadable reply from berthd to " + req.target);
    return out;
}

Request delete_request(const std::string& name) {
    Request r = get_request(network_path(name));
    r.method = "DELETE";
    return r;
}

Result<json> list_networks(const ApiClient& c, const json& filters) {
    std::string target = "/v1/networks";
    if (!filters.empty()) target += "?filters=" + url_encode(filters.dump());
    auto r = call(c, get_request(target));
    if (!r) return r.error();
    return std::move(r->doc);
}

int run_ls(const VerbContext& ctx, const NetworkFlags& f) {
    auto filters = network_filters(f.filters);
    if (!filters) return report(filters.error());
    auto client = connect(ctx.global);
    if (!client) return report(client.error());
    auto list = list_networks(*client, *filters);
    if (!list) return report(list.error());
    auto out = render_network_ls(*list, {f.format, f.quiet, f.no_trunc});
    if (!out) return report(out.error());
    std::cout << *out;
    return 0;
}

int run_create(const VerbContext& ctx, const NetworkFlags& f) {
    auto body = network_create_body(f.create);
    if (!body) return report(body.error());
    auto client = connect(ctx.global);
    if (!client) return report(client.error());
    auto r = call(*client, post_request("/v1/networks", body->dump()));
    if (!r) return report(r.error());
    std::string warning = r->doc.value("Warning", "");
    if (!warning.empty()) std::cerr << "WARNING: " << warning << "\n";
    std::cout << r->doc.value("Id", "") << "\n";
    return 0;
}

// Each name on its own: one that fails is reported and the others are still removed.
int run_rm(const VerbContext& ctx, const NetworkFlags& f) {
    auto client = connect(ctx.global);
    if (!client) return report(client.error());
    int rc = 0;
    for (const auto& name : f.names) {
        // The status itself, so that -f can pass over a 404.
        auto r = client->call(delete_request(name));
        if (!r) {
            rc = report(r.error());
            continue;
        }
        if (r->status() == 404 && f.force) continue;
        if (!r->ok()) {
            rc = report(Error(std::string(kDaemonSays) + r->error_message()));
            continue;
        }
        std::cout << name << "\n" << std::flush;
    }
    return rc;
}

// What was found is printed, then the errors for what was not, as docker inspect does.
int run_inspect(const VerbContext& ctx, const NetworkFlags& f) {
    auto client = connect(ctx.global);
    if (!client) return report(client.error());
    nlohmann::ordered_json found = nlohmann::ordered_json::array();
    std::vector<Error> errors;
    for (const auto& name : f.names) {
        auto r = call(*client, get_request(network_path(name)));
        if (r) {
            // Printed in the daemon's key order, which is docker's.
            found.push_back(nlohmann::ordered_json::parse(r->body));
        } else {
            errors.push_back(r.error());
        }
    }
    auto out = render_network_inspect(found, f.format);
    if (!out) return report(out.error());
    std::cout << *out;
    for (const auto& e : errors) report(e);
    return errors.empty() ? 0 : 1;
}

int run_connect(const VerbContext& ctx, const NetworkFlags& f) {
    auto body = network_connect_body(f.connect);
    if (!body) return report(body.error());
    auto client = connect(ctx.global);
    if (!client) return report(client.error());
    auto r = call(*client, post_request(network_path(f.network, "connect"), body->dump()));
    return r ? 0 : report(r.error());
}

int run_disconnect(const VerbContext& ctx, const NetworkFlags& f) {
    auto client = connect(ctx.global);
    if (!client) return report(client.error());
    auto body = network_disconnect_body(f.container, f.force);
    auto r = call(*client, post_request(network_path(f.network, "disconnect"), body.dump()));
    return r ? 0 : report(r.error());
}

// With label filters, the unused networks among the filtered listing, removed one by one: the
// prune route takes no filters (docs/api.md). A network that gained a container meanwhile is
// refused by berthd (409) and stays, as it would in a prune.
Result<std::vector<std::string>> prune_filtered(const ApiClient& c, const json& filters) {
    auto list = list_networks(c, filters);
    if (!list) return list.error();
    std::vector<std::string> deleted;
    for (const auto& n : *list) {
        const json containers = n.value("Containers", json::object());
        if (!containers.empty()) continue;
        std::string name = n.value("Name", "");
        auto r = c.call(delete_request(name));
        if (!r) return r.error();
        if (r->ok()) {
            deleted.push_back(name);
        } else if (r->status() != 404 && r->status() != 409) {
            return Error(std::string(kDaemonSays) + r->error_message());
        }
    }
    return deleted;
}

Result<std::vector<std::string>> prune_all(const ApiClient& c) {
    auto r = call(c, post_request("/v1/networks/prune", ""));
    if (!r) return r.error();
    std::vector<std::string> deleted;
    for (const auto& n : r->doc.value("NetworksDeleted", json::array())) {
        if (n.is_string()) deleted.push_back(n.get<std::string>());
    }
    return deleted;
}

int run_prune(const VerbContext& ctx, const NetworkFlags& f) {
    auto filters = network_filters(f.filters);
    if (!filters) return report(filters.error());
    for (const auto& [key, values] : filters->items()) {
        if (key != "label") {
            return report(
                Error("invalid filter '" + key + "': network prune takes label=KEY[=VALUE]"));
        }
    }
    // docker's prompt reads stdin whatever it is: `yes | berth network prune` goes through.
    if (!f.force && !confirm(std::cin, std::cout, kPruneQuestion)) return 0;
    auto client = connect(ctx.global);
    if (!client) return report(client.error());
    auto deleted = filters->empty() ? prune_all(*client) : prune_filtered(*client, *filters);
    if (!deleted) return report(deleted.error());
    std::cout << prune_report(*deleted);
    return 0;
}

void add_ls(CLI::App* network, const VerbContext& ctx) {
    auto f = std::make_shared<NetworkFlags>();
    auto* ls = network->add_subcommand("ls", "List networks");
    ls->alias("list");
    ls->add_flag("-q,--quiet", f->quiet, "Only display network IDs");
    ls->add_flag("--no-trunc", f->no_trunc, "Do not truncate the output");
    ls->add_option("-f,--filter", f->filters, "Provide filter values (e.g. \"driver=bridge\")")
        ->allow_extra_args(false);
    ls->add_option("--format", f->format,
                   "Format output: table, table TEMPLATE, json, or a Go template");
    ls->callback([ctx, f] { ctx.exit_code = run_ls(ctx, *f); });
}

void add_create(CLI::App* network, const VerbContext& ctx) {
    auto f = std::make_shared<NetworkFlags>();
    NetworkCreateArgs& a = f->create;
    auto* create = network->add_subcommand("create", "Create a network");
    create->add_option("-d,--driver", a.driver,
                       "Driver to manage the Network (bridge, macvlan, ipvlan)");
    create
        ->add_option("--subnet", a.subnets,
                     "Subnet in CIDR format that represents a network segment")
        ->delimiter(',')
        ->allow_extra_args(false);
    create->add_option("--ip-range", a.ip_ranges, "Allocate container ip from a sub-range")
        ->delimiter(',')
        ->allow_extra_args(false);
    create->add_option("--gateway", a.gateways, "IPv4 or IPv6 Gateway for the master subnet")
        ->delimiter(',')
        ->allow_extra_args(false);
    create
        ->add_option("--aux-address", a.aux_addresses,
                     "Auxiliary IPv4 or IPv6 addresses used by Network driver (NAME=IP)")
        ->allow_extra_args(false);
    create->add_flag("--internal", a.internal, "Restrict external access to the network");
    create->add_flag("--ipv6", a.ipv6, "Enable IPv6 networking");
    create->add_option("-o,--opt", a.options, "Set driver specific options (KEY=VALUE)")
        ->allow_extra_args(false);
    create->add_option("--label", a.labels, "Set metadata on a network (KEY=VALUE)")
        ->allow_extra_args(false);
    create->add_option("NETWORK", a.name, "Network name")->required();
    create->callback([ctx, f] { ctx.exit_code = run_create(ctx, *f); });
}

void add_rm_inspect(CLI::App* network, const VerbContext& ctx) {
    auto r = std::make_shared<NetworkFlags>();
    auto* rm = network->add_subcommand("rm", "Remove one or more networks");
    rm->alias("remove");
    rm->add_flag("-f,--force", r->force, "Do not error if the network does not exist");
    rm->add_option("NETWORK", r->names, "Networks")->required();
    rm->callback([ctx, r] { ctx.exit_code = run_rm(ctx, *r); });

    auto i = std::make_shared<NetworkFlags>();
    auto* inspect =
        network->add_subcommand("inspect", "Display detailed information on one or more networks");
    inspect->add_option("-f,--format", i->format, "Format output using a Go template, or json");
    inspect->add_option("NETWORK", i->names, "Networks")->required();
    inspect->callback([ctx, i] { ctx.exit_code = run_inspect(ctx, *i); });
}

void add_connect(CLI::App* network, const VerbContext& ctx) {
    auto c = std::make_shared<NetworkFlags>();
    auto* connect = network->add_subcommand("connect", "Connect a container to a network");
    connect->add_option("--alias", c->connect.aliases, "Add network-scoped alias for the container")
        ->delimiter(',')
        ->allow_extra_args(false);
    connect->add_option("--ip", c->connect.ip, "IPv4 address (e.g., \"172.30.100.104\")");
    connect->add_option("--ip6", c->connect.ip6, "IPv6 address (e.g., \"2001:db8::33\")");
    connect->add_option("NETWORK", c->network, "Network")->required();
    connect->add_option("CONTAINER", c->connect.container, "Container")->required();
    connect->callback([ctx, c] { ctx.exit_code = run_connect(ctx, *c); });

    auto d = std::make_shared<NetworkFlags>();
    auto* disconnect =
        network->add_subcommand("disconnect", "Disconnect a container from a network");
    disconnect->add_flag("-f,--force", d->force,
                         "Force the container to disconnect from a network");
    disconnect->add_option("NETWORK", d->network, "Network")->required();
    disconnect->add_option("CONTAINER", d->container, "Container")->required();
    disconnect->callback([ctx, d] { ctx.exit_code = run_disconnect(ctx, *d); });
}

int run_dns(const VerbContext& ctx, const NetworkFlags& f) {
    auto client = connect(ctx.global);
    if (!client) return report(client.error());
    auto r = call(*client, get_request(network_path(f.network) + "/dns"));
    if (!r) return report(r.error());
    if (f.format == "json") {
        std::cout << r->doc.dump() << "\n";
        return 0;
    }
    if (!f.format.empty()) return fail(Error("--format takes json"));
    auto out = render_dns(r->doc, f.container);
    if (!out) return fail(out.error());
    std::cout << *out;
    return 0;
}

void add_dns(CLI::App& app, const VerbContext& ctx) {
    auto f = std::make_shared<NetworkFlags>();
    auto* dns = app.add_subcommand(
        "dns", "Show the names a network's resolver answers, or the addresses of one name");
    dns->add_option("--format", f->format, "json: the resolver's whole table");
    dns->add_option("NETWORK", f->network, "Network")->required();
    dns->add_option("NAME", f->container, "A name, as a container on the network would ask it");
    dns->callback([ctx, f] { ctx.exit_code = run_dns(ctx, *f); });
}

void add_prune(CLI::App* network, const VerbContext& ctx) {
    auto f = std::make_shared<NetworkFlags>();
    auto* prune = network->add_subcommand("prune", "Remove all unused networks");
    prune->add_flag("-f,--force", f->force, "Do not prompt for confirmation");
    prune->add_option("--filter", f->filters, "Provide filter values (label=KEY[=VALUE])")
        ->allow_extra_args(false);
    prune->callback([ctx, f] { ctx.exit_code = run_prune(ctx, *f); });
}

}  // namespace

void add_network_commands(CLI::App& app, VerbContext ctx) {
    CLI::App* network = app.add_subcommand("network", "Manage networks");
    network->require_subcommand(1);
    add_ls(network, ctx);
    add_create(network, ctx);
    add_rm_inspect(network, ctx);
    add_connect(network, ctx);
    add_prune(network, ctx);
    add_dns(app, ctx);
}

}  // namespace berth::cli
