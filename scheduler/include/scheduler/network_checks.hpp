// What `up` can tell about a project's networks and static addresses before it makes anything.
// Without these checks the same mistakes come out of network and container creation, after the
// project's first networks and containers exist. Pure.
#pragma once

#include <string>
#include <vector>

#include "common/result.hpp"
#include "network/spec.hpp"
#include "scheduler/network_specs.hpp"

namespace berth::scheduler {

struct ServiceNetworks {
    std::string service;
    int replicas = 1;
    std::vector<Attachment> attachments;  // highest priority first, as service_attachments
    std::vector<PublishedPort> ports;
};

// Refuses, naming the network (and the service): two of the project's subnets that overlap
// (Docker's "Pool overlaps" message); a static address on a network without a configured subnet
// of its family, or outside every such subnet; one static address on one network for two
// containers (two services, or one service with more than one replica); a port published on an
// IPv6 host address by a service whose first network has no IPv6 (it is DNAT'ed to that
// network's address, and IPv6 is not translated to IPv4). External networks are not the
// project's to know, and are left to the daemon.
Result<void> check_project_networks(const std::vector<network::NetworkSpec>& specs,
                                    const std::vector<ServiceNetworks>& services);

}  // namespace berth::scheduler
