#include "dns_service.hpp"

#include <algorithm>

#include "container_etc.hpp"
#include "daemon_context.hpp"
#include "engine/container_state.hpp"
#include "health_monitor.hpp"
#include "log.hpp"
#include "network_manager.hpp"

namespace berth::daemon {

namespace {

std::optional<dns::Address> address(const std::string& text) {
    if (text.empty()) return std::nullopt;
    return network::parse_address(text);
}

std::string trimmed(std::string s) {
    while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
    return s;
}

bool health_aware(const ContainerRecord& c) {
    auto label = c.labels.find(std::string(dns::kHealthAwareLabel));
    if (label == c.labels.end()) return true;
    auto v = dns::parse_health_aware(label->second);
    if (!v) {
        log_warn("container " + c.name + ": " + v.error().message() + "; answering it by health");
        return true;
    }
    return *v;
}

}  // namespace

DnsService::DnsService(DaemonContext& ctx, DnsServiceOptions options)
    : ctx_(ctx),
      options_(std::move(options)),
      by_source_(std::make_shared<const ServerMap>()),
      fallback_(options_.resolv_conf, options_.default_servers) {}

DnsService::~DnsService() {
    stop();
}

void DnsService::start() {
    server_ = std::make_unique<dns::DnsServer>(
        store_, [this](const dns::Address& source) { return upstreams_for(source); });
    std::lock_guard lock(mu_);
    load_networks_locked();
    if (auto all = ctx_.db->containers(""); all) {
        for (const auto& c : *all) load_container_locked(c.id);
    } else {
        log_warn("dns: " + all.error().message());
    }
    started_ = true;
    sync_listeners_locked();
    publish_locked();
}

void DnsService::stop() {
    std::unique_ptr<dns::DnsServer> server;
    {
        std::lock_guard lock(mu_);
        started_ = false;
        listening_.clear();
        server = std::move(server_);
    }
    if (server) server->stop();
}

void DnsService::starting(const std::string& id) {
    reload(id, true);
}

void DnsService::container_changed(const std::string& id) {
    reload(id, false);
}

void DnsService::reload(const std::string& id, bool starting) {
    std::lock_guard lock(mu_);
    if (!started_) return;
    if (starting) {
        starting_.insert(id);
    } else {
        starting_.erase(id);
    }
    load_container_locked(id);
    publish_locked();
}

void DnsService::networks_changed() {
    std::lock_guard lock(mu_);
    if (!started_) return;
    load_networks_locked();
    sync_listeners_locked();
    publish_locked();
}

void DnsService::load_container_locked(const std::string& id) {
    auto rec = ctx_.db->container(id);
    if (!rec || !*rec) {
        containers_.erase(id);
        container_servers_.erase(id);
        return;
    }
    const ContainerRecord& c = **rec;
    dns::ContainerRecord d;
    d.id = c.id;
    d.name = c.name;
    d.project = c.project;
    // compose gives one-off containers (`run`) no service alias: they must not take the
    // service's traffic.
    d.service = c.oneoff ? "" : c.service;
    auto hostname = engine::read_text_file(ctx_.container_data(id) + "/etc/hostname");
    d.hostname = hostname ? trimmed(*hostname) : "";
    const auto links = recorded_links(ctx_, id);
    auto eps = ctx_.db->endpoints(id);
    if (eps) {
        std::sort(eps->begin(), eps->end(),
                  [](const auto& a, const auto& b) { return a.position < b.position; });
        for (const auto& e : *eps) {
            dns::EndpointRecord de;
            de.network_id = e.network_id;
            de.ipv4 = address(e.ipv4);
            de.ipv6 = address(e.ipv6);
            de.aliases = e.aliases;
            de.links = links;
            d.endpoints.push_back(std::move(de));
        }
    }
    auto st = ctx_.runtime->status(id);
    d.running =
        starting_.count(id) > 0 ||
        (st && (st->state == ContainerRunState::Running || st->state == ContainerRunState::Paused));
    if (auto h = ctx_.health ? ctx_.health->view(id) : std::nullopt) {
        d.has_healthcheck = true;
        d.healthy = h->state.status == scheduler::HealthStatus::Healthy;
    }
    d.health_aware = health_aware(c);
    containers_[id] = std::move(d);
    container_servers_[id] = parse_servers(recorded_dns_servers(ctx_, id));
}

void DnsService::load_networks_locked() {
    auto all = ctx_.db->networks();
    if (!all) {
        log_warn("dns: " + all.error().message());
        return;
    }
    networks_.clear();
    gateways_.clear();
    for (const auto& n : *all) {
        if (n.driver != "bridge") continue;
        dns::NetworkRecord d;
        d.id = n.id;
        d.name = n.name;
        d.internal = parse_spec(n.spec).internal;
        for (const auto& s : parse_ipam(n.ipam).subnets) {
            if (auto p = network::parse_prefix(s.subnet)) d.subnets.push_back(*p);
            if (auto gw = address(s.gateway)) gateways_[n.id].push_back(*gw);
        }
        networks_.push_back(std::move(d));
    }
}

void DnsService::sync_listeners_locked() {
    std::map<dns::Address, Listening> wanted;
    for (const auto& n : networks_) {
        for (const auto& gw : gateways_[n.id]) wanted[gw] = {n.id, n.internal};
    }
    for (auto it = listening_.begin(); it != listening_.end();) {
        auto w = wanted.find(it->first);
        if (w != wanted.end() && w->second.network_id == it->second.network_id) {
            ++it;
            continue;
        }
        if (auto r = server_->remove_listener(it->first); !r)
            log_warn("dns: " + r.error().message());
        it = listening_.erase(it);
    }
    for (const auto& [ip, l] : wanted) {
        if (listening_.count(ip)) continue;
        auto bound = server_->add_listener(ip, options_.port, {l.internal, l.network_id});
        if (!bound) {
            log_warn("dns: no resolver for network " + l.network_id.substr(0, 12) + " on " +
                     network::to_string(ip) + ": " + bound.error().message());
            continue;
        }
        listening_[ip] = l;
    }
}

void DnsService::publish_locked() {
    std::set<std::string> known;
    for (const auto& n : networks_) known.insert(n.id);
    std::vector<dns::ContainerRecord> all;
    all.reserve(containers_.size());
    auto servers = std::make_shared<ServerMap>();
    for (const auto& [id, c] : containers_) {
        dns::ContainerRecord copy = c;
        // Endpoints on macvlan or ipvlan networks have no resolver of berth's.
        std::erase_if(copy.endpoints,
                      [&](const dns::EndpointRecord& e) { return !known.count(e.network_id); });
        const auto& own = container_servers_[id];
        if (!own.empty()) {
            for (const auto& e : copy.endpoints) {
                for (const auto& ip : {e.ipv4, e.ipv6}) {
                    // An address a stopped container still has on record is the running one's.
                    if (ip && (c.running || !servers->count(*ip))) (*servers)[*ip] = own;
                }
            }
        }
        all.push_back(std::move(copy));
    }
    auto snap = dns::Snapshot::build(networks_, all);
    if (!snap) {
        log_warn("dns: the records were not updated: " + snap.error().message());
        return;
    }
    by_source_.store(std::move(servers));
    store_.publish(std::move(snap).value());
}

Result<std::vector<DnsName>> DnsService::names(const std::string& network_id) {
    std::string name;
    {
        std::lock_guard lock(mu_);
        for (const auto& n : networks_) {
            if (n.id == network_id) name = n.name;
        }
    }
    if (name.empty())
        return Error("network " + network_id + " has no resolver: it is not a bridge");
    std::vector<DnsName> out;
    for (const auto& [n, addresses] : store_.current()->table(name)) {
        DnsName d{n, {}};
        for (const auto& a : addresses) d.addresses.push_back(network::to_string(a));
        out.push_back(std::move(d));
    }
    return out;
}

std::string DnsService::listen_address(const std::string& network_id) {
    std::lock_guard lock(mu_);
    std::string out;
    for (const auto& [ip, l] : listening_) {
        if (l.network_id == network_id) out += (out.empty() ? "" : ", ") + network::to_string(ip);
    }
    return out;
}

std::vector<dns::Upstream> DnsService::upstreams_for(const dns::Address& source) {
    auto map = by_source_.load();
    if (auto it = map->find(source); it != map->end()) return it->second;
    return fallback_.current();
}

}  // namespace berth::daemon
