#include <algorithm>
#include <set>

#include "compose/error.hpp"
#include "project_steps.hpp"

namespace berth::compose::detail {
namespace {

bool enabled_by(const Node& service, const std::vector<std::string>& profiles) {
    const Node* own = service.is_map() ? service.find("profiles") : nullptr;
    if (own == nullptr || !own->is_seq() || own->items.empty()) return true;
    for (const auto& p : own->items) {
        for (const auto& want : profiles) {
            if (want == "*" || want == p.text) return true;
        }
    }
    return false;
}

std::vector<std::string> dependencies_of(const Node& service) {
    std::vector<std::string> out;
    const Node* deps = service.is_map() ? service.find("depends_on") : nullptr;
    if (deps == nullptr || !deps->is_map()) return out;
    for (const auto& d : deps->entries) out.push_back(d.key);
    return out;
}

}  // namespace

std::vector<std::string> apply_profiles(Node& dict, const std::vector<std::string>& profiles,
                                        const std::vector<std::string>& selected) {
    Node* services = dict.find("services");
    if (services == nullptr || !services->is_map()) {
        if (!selected.empty()) fail(dict.mark, "no such service: " + selected.front());
        return {};
    }
    std::set<std::string> enabled;
    std::vector<std::string> queue;
    for (const auto& name : selected) {
        if (services->find(name) == nullptr) fail(services->mark, "no such service: " + name);
        queue.push_back(name);
    }
    for (const auto& e : services->entries) {
        if (selected.empty() && enabled_by(e.value, profiles)) queue.push_back(e.key);
    }
    // What an enabled service depends on must run too, whatever its profiles say.
    while (!queue.empty()) {
        std::string name = queue.back();
        queue.pop_back();
        const Node* svc = services->find(name);
        if (svc == nullptr || !enabled.insert(name).second) continue;
        for (auto& dep : dependencies_of(*svc)) queue.push_back(dep);
    }
    std::vector<std::string> disabled;
    std::erase_if(services->entries, [&](const Entry& e) {
        if (enabled.count(e.key) != 0) return false;
        disabled.push_back(e.key);
        return true;
    });
    std::sort(disabled.begin(), disabled.end());
    return disabled;
}

}  // namespace berth::compose::detail
