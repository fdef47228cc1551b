// Which top-level keys of a service differ between two normalized definitions: what a user sees
// next to "Recreate" to learn why.
#include <set>

#include "scheduler/planner.hpp"

namespace berth::scheduler {

namespace {

std::set<std::string> keys_of(const compose::Node& service) {
    std::set<std::string> keys;
    for (const auto& entry : service.entries) keys.insert(entry.key);
    return keys;
}

}  // namespace

std::vector<std::string> changed_keys(const compose::Node& before, const compose::Node& after) {
    std::set<std::string> keys = keys_of(before);
    keys.merge(keys_of(after));
    std::vector<std::string> changed;
    for (const auto& key : keys) {
        const compose::Node* old_value = before.find(key);
        const compose::Node* new_value = after.find(key);
        bool same = old_value != nullptr && new_value != nullptr && *old_value == *new_value;
        if (!same) changed.push_back(key);
    }
    return changed;
}

}  // namespace berth::scheduler
