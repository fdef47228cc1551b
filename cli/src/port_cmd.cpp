#include "port_cmd.hpp"

#include <iostream>
#include <memory>

#include "port_lookup.hpp"

namespace berth::cli {
namespace {

struct PortFlags {
    std::string service, port;
    int index = 1;
    std::string protocol = "tcp";
};

int run_port(const VerbContext& ctx, const PortFlags& f) {
    auto port = parse_private_port(f.port);
    if (!port) return fail(port.error());
    auto ref = project_ref(ctx.project);
    if (!ref) return fail(ref.error());
    if (ref->project && !ref->project->service(f.service))
        return fail("no such service: " + f.service);
    auto client = connect(ctx.global);
    if (!client) return fail(client.error());
    // Running containers only, as docker compose lists them for `port`.
    std::string target = project_path(ref->name, "containers") +
                         "?all=0&services=" + url_encode(f.service) +
                         "&fields=Name,Service,Number,OneOff,Publishers";
    auto list = get_json(*client, get_request(target));
    if (!list) return fail(list.error());
    auto address = published_address(*list, {f.service, f.index, *port, f.protocol});
    if (!address) return fail(address.error());
    std::cout << *address << "\n";
    return 0;
}

}  // namespace

void add_port_command(CLI::App& app, VerbContext ctx) {
    auto f = std::make_shared<PortFlags>();
    CLI::App* port = app.add_subcommand("port", "Print the public port for a port binding");
    port->add_option("--index", f->index, "Index of the container if service has multiple replicas")
        ->check(CLI::PositiveNumber);
    port->add_option("--protocol", f->protocol, "tcp or udp");
    port->add_option("SERVICE", f->service, "Service")->required();
    port->add_option("PRIVATE_PORT", f->port, "Private port")->required();
    port->callback([ctx, f] { ctx.exit_code = run_port(ctx, *f); });
}

}  // namespace berth::cli
