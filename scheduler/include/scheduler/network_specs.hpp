// The networks of a compose project as network/ takes them (NetworkSpec), and each service's
// attachments to them. Pure: the normalized model in, plain specs or an error naming the network
// and the field out.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "compose/project.hpp"
#include "network/spec.hpp"

namespace berth::scheduler {

// Every network the project declares (the loader adds `default` when a service uses it), in the
// model's order.
Result<std::vector<network::NetworkSpec>> network_specs(const compose::Project& project);

// One service's place on one network.
struct Attachment {
    std::string network;  // the compose key
    std::vector<std::string> aliases;
    std::string ipv4_address, ipv6_address;
    std::string interface_name;  // "" = eth0, eth1, ... in priority order
    std::string mac_address;
    int priority = 0;  // higher first, as docker compose orders interfaces
};

// The service's networks, highest priority first (then by name); empty for network_mode host,
// none, container:X or service:X.
Result<std::vector<Attachment>> service_attachments(const compose::Node& service);

// A service and how many containers of it are about to be made.
struct ServiceCount {
    std::string name;
    const compose::Node* service = nullptr;
    int containers = 1;
};

// What attaching those containers would refuse, found before anything is made: an attachment's
// own errors (a bad MAC), a network the project does not declare, a static address that the
// network's ipam.config subnet cannot give (outside it, its gateway, reserved). One address for
// two containers, and subnets that overlap, are check_project_networks' (network_checks.hpp).
Result<void> check_attachments(const std::vector<network::NetworkSpec>& specs,
                               const std::vector<ServiceCount>& services);

// One published port of `ports` (the normalized long syntax): a host port, a host range to take
// the first free port of, or none (0, 0: a random port).
struct PublishedPort {
    std::string protocol = "tcp";
    std::string host_ip;  // "" = every address
    int host_from = 0, host_to = 0;
    int container_port = 0;
};

// The service's published ports; `mode: host` is treated as ingress (one host).
Result<std::vector<PublishedPort>> service_ports(const compose::Node& service);
// `run --publish` specs ("8080:80", "127.0.0.1::53/udp"), as docker run reads them.
Result<std::vector<PublishedPort>> publish_flags(const std::vector<std::string>& specs);

}  // namespace berth::scheduler
