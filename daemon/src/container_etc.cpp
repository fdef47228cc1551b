#include "container_etc.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <sstream>

#include "engine/container_state.hpp"
#include "etc_files.hpp"
#include "log.hpp"
#include "network/address.hpp"
#include "network_manager.hpp"

namespace berth::daemon {

namespace fs = std::filesystem;

namespace {

std::string etc_dir(const DaemonContext& ctx, const std::string& id) {
    return ctx.container_data(id) + "/etc";
}
// What berth last wrote into resolv.conf: a file that differs from it was edited by someone.
std::string written_path(const DaemonContext& ctx, const std::string& id) {
    return ctx.container_data(id) + "/resolv.conf.written";
}
std::string upstreams_path(const DaemonContext& ctx, const std::string& id) {
    return ctx.container_data(id) + "/dns-servers";
}
std::string links_path(const DaemonContext& ctx, const std::string& id) {
    return ctx.container_data(id) + "/dns-links";
}

// compose `links: [service:alias]` as "alias service" lines; a bare "service" adds no name.
std::string link_lines(const compose::Node& service) {
    std::string out;
    const compose::Node* links = service.find("links");
    if (!links || !links->is_seq()) return out;
    for (const auto& item : links->items) {
        if (!item.is_scalar()) continue;
        auto colon = item.text.find(':');
        if (colon == std::string::npos || colon + 1 == item.text.size()) continue;
        out += item.text.substr(colon + 1) + " " + item.text.substr(0, colon) + "\n";
    }
    return out;
}

std::vector<std::string> lines_of(const std::string& path) {
    std::vector<std::string> out;
    auto text = engine::read_text_file(path);
    if (!text) return out;
    std::istringstream in(*text);
    std::string line;
    while (std::getline(in, line)) {
        if (!line.empty()) out.push_back(line);
    }
    return out;
}

// Atomic replacement with the mode set explicitly, whatever berthd's umask.
Result<void> write_public(const std::string& path, const std::string& text) {
    if (auto r = engine::write_file_atomic(path, text); !r) return r;
    if (::chmod(path.c_str(), 0644) < 0) return errno_error("chmod " + path, errno);
    return {};
}

// Rewrites a file in place: a bind mount of it keeps showing the same inode.
Result<void> rewrite_in_place(const std::string& path, const std::string& text) {
    int fd = ::open(path.c_str(), O_WRONLY | O_TRUNC | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) return errno_error("open " + path, errno);
    std::string_view rest = text;
    while (!rest.empty()) {
        ssize_t n = ::write(fd, rest.data(), rest.size());
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            int err = errno;
            ::close(fd);
            return errno_error("write " + path, err);
        }
        rest.remove_prefix(static_cast<std::size_t>(n));
    }
    ::close(fd);
    return {};
}

// The gateway of the subnet of `ip`'s family that holds it.
std::string gateway_for(const NetworkIpam& ipam, const std::string& ip) {
    auto addr = network::parse_address(ip);
    if (!addr) return "";
    for (const auto& s : ipam.subnets) {
        auto prefix = network::parse_prefix(s.subnet);
        if (prefix && network::contains(*prefix, *addr)) return s.gateway;
    }
    return "";
}

std::string own_hosts(StateDb& db, const std::string& id, const std::string& hostname) {
    std::string out;
    auto eps = db.endpoints(id);
    if (!eps) return out;
    for (const auto& e : *eps) {
        for (const auto* a : {&e.ipv4, &e.ipv6}) {
            if (!a->empty()) out += *a + "\t" + hostname + "\n";
        }
    }
    return out;
}

}  // namespace

Result<std::vector<std::string>> resolver_addresses(StateDb& db, const std::string& id) {
    auto eps = db.endpoints(id);
    if (!eps) return eps.error();
    auto nets = db.networks();
    if (!nets) return nets.error();
    std::sort(eps->begin(), eps->end(), [](const EndpointRecord& a, const EndpointRecord& b) {
        return a.position < b.position;
    });
    std::vector<std::string> out;
    for (const auto& e : *eps) {
        auto n = std::find_if(nets->begin(), nets->end(),
                              [&](const NetworkRecord& r) { return r.id == e.network_id; });
        if (n == nets->end() || n->driver != "bridge") continue;
        NetworkIpam ipam = parse_ipam(n->ipam);
        for (const auto* ip : {&e.ipv4, &e.ipv6}) {
            std::string gw = ip->empty() ? "" : gateway_for(ipam, *ip);
            if (!gw.empty() && std::find(out.begin(), out.end(), gw) == out.end()) {
                out.push_back(gw);
            }
        }
    }
    return out;
}

Result<void> write_etc_files(DaemonContext& ctx, const std::string& id,
                             const std::string& network_owner, const compose::Node& service,
                             const std::string& hostname, bool host_network) {
    const std::string dir = etc_dir(ctx, id);
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) return errno_error("create " + dir, ec.value());
    auto hosts = engine::read_text_file("/etc/hosts");
    auto resolv = engine::read_text_file("/etc/resolv.conf");
    EtcNetwork net;
    auto resolvers = resolver_addresses(*ctx.db, network_owner);
    if (!resolvers) return resolvers.error();
    net.resolvers = *resolvers;
    net.own_hosts = own_hosts(*ctx.db, network_owner, hostname);
    for (const auto& r : net.resolvers) {
        // The first IPv4 gateway: the host as the container reaches it.
        if (r.find(':') == std::string::npos) {
            net.host_gateway = r;
            break;
        }
    }
    auto f = etc_files(service, hostname, host_network,
                       {hosts ? *hosts : std::string(), resolv ? *resolv : std::string()}, net);
    if (!f) return f.error();
    if (auto r = write_public(dir + "/hosts", f->hosts); !r) return r;
    if (auto r = write_public(dir + "/hostname", f->hostname); !r) return r;
    if (auto r = write_public(dir + "/resolv.conf", f->resolv_conf); !r) return r;
    if (auto r = engine::write_file_atomic(written_path(ctx, id), f->resolv_conf); !r) return r;
    std::string servers;
    for (const auto& s : dns_servers(service)) servers += s + "\n";
    if (auto r = engine::write_file_atomic(upstreams_path(ctx, id), servers); !r) return r;
    return engine::write_file_atomic(links_path(ctx, id), link_lines(service));
}

Result<void> update_resolvers(DaemonContext& ctx, const std::string& id) {
    const std::string path = etc_dir(ctx, id) + "/resolv.conf";
    auto current = engine::read_text_file(path);
    if (!current) return current.error();
    auto written = engine::read_text_file(written_path(ctx, id));
    if (!written || *written != *current) {
        log_info("container " + id.substr(0, 12) +
                 ": /etc/resolv.conf was edited, so its nameservers are left as they are");
        return {};
    }
    auto resolvers = resolver_addresses(*ctx.db, id);
    if (!resolvers) return resolvers.error();
    // Off every bridge network there is no resolver of berth's to point at; the old lines stay
    // rather than leave the container with none.
    if (resolvers->empty()) return {};
    const std::string text = with_nameservers(*current, *resolvers);
    if (text == *current) return {};
    if (auto r = rewrite_in_place(path, text); !r) return r;
    return engine::write_file_atomic(written_path(ctx, id), text);
}

std::vector<std::string> recorded_dns_servers(const DaemonContext& ctx, const std::string& id) {
    return lines_of(upstreams_path(ctx, id));
}

std::vector<std::pair<std::string, std::string>> recorded_links(const DaemonContext& ctx,
                                                                const std::string& id) {
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& line : lines_of(links_path(ctx, id))) {
        auto space = line.find(' ');
        if (space != std::string::npos) out.emplace_back(line.substr(0, space), line.substr(space + 1));
    }
    return out;
}

}  // namespace berth::daemon
