// Checks on top-level resources and a few service attributes that the schema cannot express.
#include <arpa/inet.h>

#include "compose/error.hpp"
#include "project_steps.hpp"

namespace berth::compose::detail {
namespace {

void check_external_volume(const std::string& name, const Node& v) {
    const Node* external = v.find("external");
    if (external == nullptr || external->as_bool() != true) return;
    for (const auto& e : v.entries) {
        if (e.key == "name" || e.key == "external" || e.key.rfind("x-", 0) == 0) continue;
        fail(e.key_mark, "volumes." + name + ": conflicting parameters \"external\" and \"" +
                             e.key + "\" specified");
    }
}

// A secret or config comes from exactly one source, unless it is external or driver-provided.
void check_file_object(const std::string& where, const Node& v,
                       const std::vector<std::string>& keys) {
    int count = 0;
    std::string joined;
    for (const auto& k : keys) {
        joined += (joined.empty() ? "" : "|") + k;
        if (v.find(k) != nullptr) ++count;
    }
    if (count > 1) fail(v.mark, where + ": " + joined + " attributes are mutually exclusive");
    if (count == 0 && v.find("driver") == nullptr && v.find("external") == nullptr) {
        fail(v.mark, where + ": one of " + joined + " must be set");
    }
}

bool valid_ip(const std::string& s) {
    unsigned char buf[sizeof(struct in6_addr)];
    return inet_pton(AF_INET, s.c_str(), buf) == 1 || inet_pton(AF_INET6, s.c_str(), buf) == 1;
}

void check_service(const std::string& name, const Node& svc) {
    if (const Node* ports = svc.find("ports"); ports != nullptr && ports->is_seq()) {
        for (std::size_t i = 0; i < ports->items.size(); ++i) {
            const Node& p = ports->items[i];
            const Node* ip = p.is_map() ? p.find("host_ip") : nullptr;
            if (ip != nullptr && !ip->text.empty() && !valid_ip(ip->text)) {
                fail(ip->mark, "services." + name + ".ports." + std::to_string(i) +
                                   ": invalid ip address: " + ip->text);
            }
        }
    }
    auto device_requests = [&](const Node* list, const std::string& where) {
        if (list == nullptr || !list->is_seq()) return;
        for (std::size_t i = 0; i < list->items.size(); ++i) {
            const Node& d = list->items[i];
            if (d.is_map() && d.find("count") != nullptr && d.find("device_ids") != nullptr) {
                fail(d.mark, where + "." + std::to_string(i) +
                                 ": \"count\" and \"device_ids\" attributes are exclusive");
            }
        }
    };
    const Node* deploy = svc.find("deploy");
    const Node* resources = deploy && deploy->is_map() ? deploy->find("resources") : nullptr;
    const Node* reservations =
        resources && resources->is_map() ? resources->find("reservations") : nullptr;
    if (reservations != nullptr && reservations->is_map()) {
        device_requests(reservations->find("devices"),
                        "services." + name + ".deploy.resources.reservations.devices");
    }
    device_requests(svc.find("gpus"), "services." + name + ".gpus");
}

}  // namespace

void check_resources(const Node& dict) {
    if (const Node* volumes = dict.find("volumes"); volumes != nullptr && volumes->is_map()) {
        for (const auto& e : volumes->entries) {
            if (e.value.is_map()) check_external_volume(e.key, e.value);
        }
    }
    for (auto [kind, keys] : {std::pair<const char*, std::vector<std::string>>{
                                  "configs", {"file", "environment", "content"}},
                              {"secrets", {"file", "environment"}}}) {
        const Node* all = dict.find(kind);
        if (all == nullptr || !all->is_map()) continue;
        for (const auto& e : all->entries) {
            if (e.value.is_map()) check_file_object(std::string(kind) + "." + e.key, e.value, keys);
        }
    }
    if (const Node* services = dict.find("services"); services != nullptr && services->is_map()) {
        for (const auto& e : services->entries) {
            if (e.value.is_map()) check_service(e.key, e.value);
        }
    }
}

}  // namespace berth::compose::detail
