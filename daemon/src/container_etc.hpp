// A container's /etc/hosts, /etc/hostname and /etc/resolv.conf on disk (their text is
// etc_files.hpp's), and the record of its `dns:` servers, which berth's resolver forwards to.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "common/result.hpp"
#include "compose/node.hpp"
#include "daemon/state.hpp"
#include "daemon_context.hpp"

namespace berth::daemon {

// The gateways of the container's bridge networks, in interface order (IPv4 before IPv6 on each):
// the addresses berth's resolver answers it on.
Result<std::vector<std::string>> resolver_addresses(StateDb& db, const std::string& id);

// Writes the three files into <container-data>/etc (mode 0644, so any user in the container can
// resolve), and the service's `dns:` servers and `links` beside them. `network_owner` is the
// container whose networks it is on: itself, or the one whose namespace it joins.
Result<void> write_etc_files(DaemonContext& ctx, const std::string& id,
                             const std::string& network_owner, const compose::Node& service,
                             const std::string& hostname, bool host_network);

// After a connect or disconnect: the nameservers of resolv.conf become the container's resolvers
// again, in place (the file is bind-mounted), unless someone has edited the file since berth
// wrote it; then it is left as it is, and that is logged.
Result<void> update_resolvers(DaemonContext& ctx, const std::string& id);

// The container's `dns:` servers as recorded at creation ("" lines dropped).
std::vector<std::string> recorded_dns_servers(const DaemonContext& ctx, const std::string& id);
// Its compose `links` with an alias, as {alias, service} pairs: names only it resolves.
std::vector<std::pair<std::string, std::string>> recorded_links(const DaemonContext& ctx,
                                                                const std::string& id);

}  // namespace berth::daemon
