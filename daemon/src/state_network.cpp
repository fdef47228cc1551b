// StateDb's network rows: the networks berthd made, each container's endpoints on them and its
// published ports. The kernel side is the network manager's; these rows are what it rebuilds
// from when berthd starts.
#include <nlohmann/json.hpp>

#include "state_impl.hpp"

namespace berth::daemon {

namespace {

using json = nlohmann::json;

const char* kNetworkColumns = "id, name, driver, project, spec, ipam, link, created";
const char* kEndpointColumns =
    "container_id, network_id, ifname, host_link, mac, ipv4, ipv6, aliases, position";
const char* kPortColumns = "container_id, protocol, host_ip, host_port, container_port";

NetworkRecord read_network(const Statement& s) {
    NetworkRecord n;
    n.id = s.text(0);
    n.name = s.text(1);
    n.driver = s.text(2);
    n.project = s.text(3);
    n.spec = s.text(4);
    n.ipam = s.text(5);
    n.link = s.text(6);
    n.created = s.integer(7);
    return n;
}

std::vector<std::string> string_list(const std::string& text) {
    json parsed = json::parse(text, nullptr, false);
    std::vector<std::string> out;
    if (!parsed.is_array()) return out;
    for (const auto& v : parsed) {
        if (v.is_string()) out.push_back(v.get<std::string>());
    }
    return out;
}

EndpointRecord read_endpoint(const Statement& s) {
    EndpointRecord e;
    e.container_id = s.text(0);
    e.network_id = s.text(1);
    e.ifname = s.text(2);
    e.host_link = s.text(3);
    e.mac = s.text(4);
    e.ipv4 = s.text(5);
    e.ipv6 = s.text(6);
    e.aliases = string_list(s.text(7));
    e.position = static_cast<int>(s.integer(8));
    return e;
}

PortRecord read_port(const Statement& s) {
    PortRecord p;
    p.container_id = s.text(0);
    p.protocol = s.text(1);
    p.host_ip = s.text(2);
    p.host_port = static_cast<int>(s.integer(3));
    p.container_port = static_cast<int>(s.integer(4));
    return p;
}

}  // namespace

Result<void> StateDb::put_network(const NetworkRecord& n) {
    std::lock_guard lock(impl_->mu);
    const std::string what = "put network " + n.name;
    auto stmt = impl_->db.statement(std::string("INSERT OR REPLACE INTO networks (") +
                                    kNetworkColumns + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    if (!stmt) return impl_->fail(stmt.error(), what);
    stmt->bind(1, n.id)
        .bind(2, n.name)
        .bind(3, n.driver)
        .bind(4, n.project)
        .bind(5, n.spec)
        .bind(6, n.ipam)
        .bind(7, n.link)
        .bind(8, n.created);
    if (auto ran = stmt->run(); !ran) return impl_->fail(ran.error(), what);
    return {};
}

Result<std::vector<NetworkRecord>> StateDb::networks() {
    std::lock_guard lock(impl_->mu);
    auto stmt = impl_->db.statement(std::string("SELECT ") + kNetworkColumns +
                                    " FROM networks ORDER BY name");
    if (!stmt) return impl_->fail(stmt.error(), "list networks");
    auto all = read_all<NetworkRecord>(*stmt, read_network);
    if (!all) return impl_->fail(all.error(), "list networks");
    return all;
}

Result<void> StateDb::remove_network(const std::string& id) {
    std::lock_guard lock(impl_->mu);
    auto stmt = impl_->db.statement("DELETE FROM networks WHERE id = ?");
    if (!stmt) return impl_->fail(stmt.error(), "remove network " + id);
    stmt->bind(1, id);
    if (auto ran = stmt->run(); !ran) return impl_->fail(ran.error(), "remove network " + id);
    return {};
}

Result<void> StateDb::put_endpoint(const EndpointRecord& e) {
    std::lock_guard lock(impl_->mu);
    const std::string what = "put endpoint of " + e.container_id + " on " + e.network_id;
    auto stmt = impl_->db.statement(std::string("INSERT OR REPLACE INTO endpoints (") +
                                    kEndpointColumns + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
    if (!stmt) return impl_->fail(stmt.error(), what);
    stmt->bind(1, e.container_id)
        .bind(2, e.network_id)
        .bind(3, e.ifname)
        .bind(4, e.host_link)
        .bind(5, e.mac)
        .bind(6, e.ipv4)
        .bind(7, e.ipv6)
        .bind(8, json(e.aliases).dump())
        .bind(9, std::int64_t{e.position});
    if (auto ran = stmt->run(); !ran) return impl_->fail(ran.error(), what);
    return {};
}

Result<std::vector<EndpointRecord>> StateDb::endpoints(const std::string& container_id,
                                                       const std::string& network_id) {
    std::lock_guard lock(impl_->mu);
    // An empty filter matches every row, so one statement serves the three lookups.
    auto stmt = impl_->db.statement(std::string("SELECT ") + kEndpointColumns +
                                    " FROM endpoints WHERE (?1 = '' OR container_id = ?1) AND "
                                    "(?2 = '' OR network_id = ?2) ORDER BY container_id, position");
    if (!stmt) return impl_->fail(stmt.error(), "list endpoints");
    stmt->bind(1, container_id).bind(2, network_id);
    auto all = read_all<EndpointRecord>(*stmt, read_endpoint);
    if (!all) return impl_->fail(all.error(), "list endpoints");
    return all;
}

Result<void> StateDb::remove_endpoint(const std::string& container_id,
                                      const std::string& network_id) {
    std::lock_guard lock(impl_->mu);
    const std::string what = "remove endpoint of " + container_id + " on " + network_id;
    auto stmt =
        impl_->db.statement("DELETE FROM endpoints WHERE container_id = ? AND network_id = ?");
    if (!stmt) return impl_->fail(stmt.error(), what);
    stmt->bind(1, container_id).bind(2, network_id);
    if (auto ran = stmt->run(); !ran) return impl_->fail(ran.error(), what);
    return {};
}

Result<void> StateDb::put_ports(const std::string& container_id,
                                const std::vector<PortRecord>& ports) {
    std::lock_guard lock(impl_->mu);
    const std::string what = "put published ports of " + container_id;
    auto abort = [&](Error e) {
        if (auto undone = impl_->db.exec("ROLLBACK"); !undone) {
            e = Error(e.message() + " (and the rollback failed: " + undone.error().message() + ")");
        }
        return impl_->fail(e, what);
    };
    if (auto r = impl_->db.exec("BEGIN IMMEDIATE"); !r) return impl_->fail(r.error(), what);
    auto del = impl_->db.statement("DELETE FROM published_ports WHERE container_id = ?");
    if (!del) return abort(del.error());
    del->bind(1, container_id);
    if (auto ran = del->run(); !ran) return abort(ran.error());
    for (const auto& p : ports) {
        auto put = impl_->db.statement(std::string("INSERT INTO published_ports (") + kPortColumns +
                                       ") VALUES (?, ?, ?, ?, ?)");
        if (!put) return abort(put.error());
        put->bind(1, container_id)
            .bind(2, p.protocol)
            .bind(3, p.host_ip)
            .bind(4, std::int64_t{p.host_port})
            .bind(5, std::int64_t{p.container_port});
        if (auto ran = put->run(); !ran) return abort(ran.error());
    }
    if (auto r = impl_->db.exec("COMMIT"); !r) return abort(r.error());
    return {};
}

Result<std::vector<PortRecord>> StateDb::ports(const std::string& container_id) {
    std::lock_guard lock(impl_->mu);
    auto stmt = impl_->db.statement(
        std::string("SELECT ") + kPortColumns +
        " FROM published_ports WHERE (?1 = '' OR container_id = ?1) ORDER BY container_id, "
        "container_port, protocol, host_ip");
    if (!stmt) return impl_->fail(stmt.error(), "list published ports");
    stmt->bind(1, container_id);
    auto all = read_all<PortRecord>(*stmt, read_port);
    if (!all) return impl_->fail(all.error(), "list published ports");
    return all;
}

Result<void> StateDb::remove_ports(const std::string& container_id) {
    return put_ports(container_id, {});
}

}  // namespace berth::daemon
