// Hosts a DnsServer for bench/dns_bench.sh: one network 10.88.0.0/16 with N containers named
// c0..c<N-1> at 10.88.1.1 onwards and a client container at the address the load comes from.
// Writes the same names as a hosts file for dnsmasq. Serves until SIGINT or SIGTERM.
//
//   bench_dns_serve --listen 10.88.0.1 --port 53 --client 10.88.0.2 --names 10000 --hosts FILE
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

#include "dns/record_store.hpp"
#include "dns/server.hpp"

using namespace berth;
using namespace berth::dns;

namespace {

std::string nth_address(int i) {
    // 10.88.1.1 onwards, 250 a row, so no address ends in .0 or .255.
    return "10.88." + std::to_string(1 + i / 250) + "." + std::to_string(1 + i % 250);
}

ContainerRecord container(std::string name, const std::string& address) {
    ContainerRecord c;
    char hex[13];
    std::size_t h = std::hash<std::string>{}(name) & ((std::size_t{1} << 48) - 1);
    std::snprintf(hex, sizeof hex, "%012zx", h);
    c.id = std::string(hex) + std::string(52, '0');
    c.name = std::move(name);
    c.hostname = c.id.substr(0, 12);
    c.project = "bench";
    EndpointRecord ep;
    ep.network_id = "bench";
    ep.ipv4 = network::parse_address(address).value();
    c.endpoints.push_back(std::move(ep));
    c.running = true;
    return c;
}

int fail(const std::string& message) {
    std::fprintf(stderr, "dns_serve: %s\n", message.c_str());
    return 1;
}

}  // namespace

int main(int argc, char** argv) {
    std::string listen = "10.88.0.1", client = "10.88.0.2", hosts;
    int port = 53, names = 10000;
    for (int i = 1; i + 1 < argc; i += 2) {
        std::string flag = argv[i], value = argv[i + 1];
        if (flag == "--listen")
            listen = value;
        else if (flag == "--port")
            port = std::atoi(value.c_str());
        else if (flag == "--client")
            client = value;
        else if (flag == "--names")
            names = std::atoi(value.c_str());
        else if (flag == "--hosts")
            hosts = value;
        else
            return fail("unknown flag " + flag);
    }
    if (names < 1 || names > 60000) return fail("--names must be 1..60000");

    std::vector<ContainerRecord> containers;
    std::ofstream hosts_file;
    if (!hosts.empty()) hosts_file.open(hosts);
    for (int i = 0; i < names; ++i) {
        std::string name = "c" + std::to_string(i), address = nth_address(i);
        containers.push_back(container(name, address));
        if (hosts_file) hosts_file << address << ' ' << name << '\n';
    }
    hosts_file.close();
    containers.push_back(container("client", client));
    NetworkRecord net{"bench", "bench", false, {network::parse_prefix("10.88.0.0/16").value()}};
    auto snapshot = Snapshot::build({net}, containers);
    if (!snapshot) return fail(snapshot.error().message());

    // SIGINT/SIGTERM are taken by sigwait below, so they are blocked before the I/O thread starts.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);

    RecordStore store;
    store.publish(std::move(snapshot).value());
    DnsServer server(store, [](const network::Address&) { return std::vector<Upstream>{}; });
    auto bound = server.add_listener(network::parse_address(listen).value(),
                                     static_cast<std::uint16_t>(port), {});
    if (!bound) return fail(bound.error().message());
    std::printf("serving %d names on %s:%u\n", names, listen.c_str(), *bound);
    std::fflush(stdout);

    int sig = 0;
    sigwait(&signals, &sig);
    server.stop();
    auto s = server.stats();
    std::printf("queries %llu\n", static_cast<unsigned long long>(s.queries));
    return 0;
}
